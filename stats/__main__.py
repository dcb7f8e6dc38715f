"""``python -m stats COMMAND``: see :mod:`stats.cli`."""

import sys

try:
    from stats.cli import main

    code = main()
except KeyboardInterrupt:  # Ctrl-C while stats.cli loads, or before main catches it
    print("stats: interrupted", file=sys.stderr)
    code = 130
raise SystemExit(code)
