"""Custom item-data roles of the plan model."""

import enum

from PySide6.QtCore import Qt


class Role(enum.IntEnum):
    NODE_KIND = Qt.ItemDataRole.UserRole + 1
    MEASURE_ID = Qt.ItemDataRole.UserRole + 2
    PERCENT = Qt.ItemDataRole.UserRole + 3  # float or None
    STATUS_CODE = Qt.ItemDataRole.UserRole + 4
    REPORTED = Qt.ItemDataRole.UserRole + 5
    BAR = Qt.ItemDataRole.UserRole + 6  # (PERCENT, STATUS_CODE, NODE_KIND, REPORTED) for the percent bar, at once
