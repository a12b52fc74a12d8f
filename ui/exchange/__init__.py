"""Exchange packages in the window: the conflicts dialog."""
