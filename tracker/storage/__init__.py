"""Storage: db (open + migrate), models, postgres, locking, backup, restore, copy, and this database's identity."""
