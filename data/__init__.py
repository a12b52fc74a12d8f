"""The plan as the council published it and the directory of executors; installed as package data (tracker.data)."""
