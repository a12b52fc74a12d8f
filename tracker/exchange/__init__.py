"""Offline laptops: exchange packages, merging their events, conflicts."""
