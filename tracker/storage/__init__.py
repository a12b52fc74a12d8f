"""Storage: db (open + migrate), models, postgres, locking, backup, integrity, recovery, failures, restore, copy, device."""
