"""The plan tree: its item model, filters and delegates."""
