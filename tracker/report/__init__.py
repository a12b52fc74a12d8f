"""The council's quarterly report: its layout, the export, and re-import of a filled-in copy."""
