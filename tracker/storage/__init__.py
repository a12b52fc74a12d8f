"""Storage: the database (SQLite or PostgreSQL), its models and migrations, copies and backups."""
