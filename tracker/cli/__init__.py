"""The ``tracker`` command line: commands.main is the entry point."""
