"""``python -m stats COMMAND``: see :mod:`stats.cli`."""

import sys

try:
    from stats.cli import main
except KeyboardInterrupt:  # Ctrl-C while the libraries load
    print("stats: interrupted", file=sys.stderr)
    raise SystemExit(130) from None

raise SystemExit(main())
