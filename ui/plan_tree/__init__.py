"""The plan tree: model (a thin adapter over tracker.progress.tree), filter_bar, shown (the rows a filter shows), delegates, roles."""
