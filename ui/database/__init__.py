"""Choosing the database: the server dialog and restoring from a backup."""
