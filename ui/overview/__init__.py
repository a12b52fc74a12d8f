"""The overview tab: counts by status, goal bars, the executors' table."""
