"""Choosing the database: actions (open, server, restore), server_dialog, restore_dialog."""
