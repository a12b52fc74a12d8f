"""The plan document: reading the council's table, the executors' directory, storing the plan."""
