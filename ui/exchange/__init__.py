"""Exchange packages in the window: actions (menu items) and conflicts_dialog."""
