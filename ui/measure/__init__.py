"""The measure panel: panel, details, editor (the form built from the field table), history, versions_dialog, controller."""
