"""The ``tracker`` command line: commands (entry point ``main``), exchange, server, hints."""
