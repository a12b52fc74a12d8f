"""The Qt desktop window of the plan tracker (widgets, item models, delegates)."""
