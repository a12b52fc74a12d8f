"""Reports in the window: actions (menu items), export_dialog, import_dialog (the preview)."""
