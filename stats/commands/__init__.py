"""One module per ``python -m stats`` command; see :mod:`stats.cli`."""
