"""The plan tree: model (a thin adapter over tracker.progress.tree), filter_bar, filter_proxy, delegates, roles."""
