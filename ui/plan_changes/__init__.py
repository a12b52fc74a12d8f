"""Amendments of the plan in the window: Файл → Імпорт змін до плану… and Довідка → Довідка про план."""
