"""The plan tree's view: a QTreeView where typing a code («1.2.8») goes to that measure anywhere in the plan."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QApplication, QTreeView


class PlanTreeView(QTreeView):
    # a code typed in the tree («1.2.8»), once the typing pauses: the window goes to the measure with that code
    codeTyped = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._typed = ""
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.timeout.connect(self._typed_whole)

    def keyboardSearch(self, search: str) -> None:
        """Qt's own search looks for the text among the current row's siblings only, so «1.3» typed on a measure of
        1.1 found nothing. The keys typed until a pause (the system's interval) make one code, said once: going on
        each key left the groups of «3», «3.4» open on the way to 3.4.10, and a question about unsaved edits asked
        after the first key took the rest of the code."""
        self._typed += search
        self._pause.start(QApplication.keyboardInputInterval())

    def _typed_whole(self) -> None:
        typed, self._typed = self._typed.strip(), ""
        if typed:
            self.codeTyped.emit(typed)
