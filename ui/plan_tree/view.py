"""The plan tree's view: a QTreeView where typing a code («1.2.8») goes to that measure anywhere in the plan."""

from __future__ import annotations

import time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QTreeView


class PlanTreeView(QTreeView):
    # what was typed in the tree so far («1», «1.2», «1.2.8»): the window goes to the measure with that code
    codeTyped = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._typed = ""
        self._typed_at = 0.0
        self._refused = False  # the person chose to stay (unsaved edits): the rest of this code goes nowhere

    def keyboardSearch(self, search: str) -> None:
        """Qt's own search looks for the text among the current row's siblings only, so «1.3» typed on a measure of
        1.1 found nothing; the keystrokes of a pause (the system's interval) make one code, said to the window."""
        now = time.monotonic()
        if now - self._typed_at > QApplication.keyboardInputInterval() / 1000:
            self._typed, self._refused = "", False
        self._typed, self._typed_at = self._typed + search, now
        if self._typed.strip() and not self._refused:
            self.codeTyped.emit(self._typed.strip())

    def stay(self) -> None:
        """The code being typed is not followed further: asked about unsaved edits, the person chose to stay (each
        next keystroke would ask again)."""
        self._refused = True
