"""The plan document: source (rows), parser (rebuild by rules), directory, store (open_plan, current_plan), executors."""
