"""The frozen command line's entry (``tracker.exe``): the same ``command_line`` as the installed ``tracker`` command."""

import sys

from tracker.cli.commands import command_line

if __name__ == "__main__":
    sys.exit(command_line())
