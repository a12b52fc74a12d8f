"""Numbered schema migrations, applied in order by tracker.db (playhouse.migrations)."""
