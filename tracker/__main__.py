"""``python -m tracker`` runs the command line."""

import sys

from .cli.commands import command_line

sys.exit(command_line())
