"""``python -m digitgame``: see ``digitgame.cli``."""

import sys

from digitgame.cli import main

if __name__ == "__main__":
    sys.exit(main())
