"""Файл → Користувачі…: the people of an office database on the server, for its admin."""
