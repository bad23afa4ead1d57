"""``python -m experiments.dashboard``: the ``servicesim-dashboard`` command."""

import sys

from experiments.dashboard.cli import main

if __name__ == "__main__":
    sys.exit(main())
