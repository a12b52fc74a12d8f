"""Progress per measure and quarter: the field table, the write path with history, rollups, the tree."""
