"""The measure panel: details, the quarter's form, the history, the both-versions dialog."""
