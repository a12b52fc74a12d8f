"""Reports in the window: the export and import dialogs."""
