"""Domain and storage of the strategic-plan tracker (no Qt here)."""

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "lutsk-plan-tracker"

try:
    # one place for the version: pyproject.toml, read back from the installed package's metadata (a wheel, an
    # editable install, and the frozen program, whose spec copies the metadata in)
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:  # a checkout used without installing it
    __version__ = "0+unknown"
