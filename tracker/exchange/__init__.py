"""Offline laptops: package (the file format), merge (events, pending, conflicts), sync (export, import, resolve)."""
