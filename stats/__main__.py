"""``python -m stats COMMAND``: see :mod:`stats.cli`."""

from stats.cli import main

raise SystemExit(main())
