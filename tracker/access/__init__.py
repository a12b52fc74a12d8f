"""Who works here and what they may change: the login's rights (rights.py) and the server's users (users.py)."""
