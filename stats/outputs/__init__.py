"""What the project hands out: the report page from its Jinja2 templates
(:mod:`stats.outputs.html`, ``templates/``)."""
