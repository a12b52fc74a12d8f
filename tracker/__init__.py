"""Domain and storage of the strategic-plan tracker (no Qt here)."""

import sys

if "peewee" not in sys.modules and "psycopg" not in sys.modules:
    # peewee and its migrations import psycopg, the server's driver, at their own import: 0.2 s of every start, for an
    # embedded file too. Hidden from them here; the driver is imported when a server database is made
    # (tracker.storage.postgres), and what they would have taken from it at import is only for psycopg's hstore.
    sys.modules["psycopg"] = None
    try:
        import peewee  # noqa: F401  # imported here, once, without the driver
        import playhouse.migrations  # noqa: F401  # as peewee
    finally:
        del sys.modules["psycopg"]

DISTRIBUTION = "lutsk-plan-tracker"
# the one place for the version: pyproject.toml reads it from here at build time ([tool.setuptools.dynamic]), so the
# wheel's metadata, the frozen program and a checkout all say the same, and no start reads package metadata for it
# (importlib.metadata and the email parser it brings: 40 ms of every start of the window and the command line)
__version__ = "0.2.0"
