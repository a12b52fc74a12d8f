"""Progress per measure and quarter: fields (the field table), status, records (the write path), events, rollup, tree, overview, filters."""
