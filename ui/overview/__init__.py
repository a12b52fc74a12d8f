"""The overview tab: tab, status_counts, goal_bars, executor_model."""
