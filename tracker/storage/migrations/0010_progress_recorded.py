"""On the office server, a record of progress changes only with history rows of its own transaction: the history's
rows carry the transaction that wrote them (``history.tx``, a column of the server's database only) and a check at
commit refuses a record changed without them — a monitor's own ``UPDATE progress`` in psql wrote no history
(tracker.storage.server_rights). Nothing changes in an SQLite file.
"""
from tracker.storage.server_rights import install


def up(migrator, db):
    install(db)
