"""Domain and storage of the strategic-plan tracker (no Qt here)."""

__version__ = "0.1.0"
