"""Domain and storage of the strategic-plan tracker (no Qt here)."""

import sys
from importlib.metadata import PackageNotFoundError, version

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

try:
    # one place for the version: pyproject.toml, read back from the installed package's metadata (a wheel, an
    # editable install, and the frozen program, whose spec copies the metadata in)
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:  # a checkout used without installing it
    __version__ = "0+unknown"
