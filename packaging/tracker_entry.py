"""The frozen command line's entry (``tracker.exe``): the same ``main`` as the installed ``tracker`` command."""

import sys

from tracker.cli.commands import main

if __name__ == "__main__":
    sys.exit(main())
