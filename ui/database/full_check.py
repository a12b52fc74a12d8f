"""The full check of the database just opened, run beside the window, and what it found said in the window.

The window opens once SQLite's quick check has passed; the full check (1.8 s at 4,660 measures) runs in a thread
(tracker.storage.write_gate), and every write waits for it. What it finds arrives here on the GUI thread: damage
goes to a handler (the window offers the newest whole copy in the file's place), a start copy not made is said.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from tracker.storage.recovery import DamagedDatabaseError
from tracker.storage.write_gate import check_in_background

from ..i18n import tr


class FullCheck(QObject):
    """One database's full check. ``handler(damage)`` is called on the GUI thread if it finds the file damaged;
    damage found before a handler is given waits for it (the window is still being made at the start)."""

    _finished = Signal(object, str)  # from the checking thread: (DamagedDatabaseError | None, what failed)

    def __init__(self, parent: QObject | None = None, handler: Callable[[DamagedDatabaseError], None] | None = None):
        super().__init__(parent or QApplication.instance())  # lives until it has said what it found
        self._handler = handler
        self._damage: DamagedDatabaseError | None = None
        self._copy: str | None = None
        self.done = False
        self._finished.connect(self._arrived)

    def start(self, copy: str | None = None) -> FullCheck:
        """Begin the check of the open database; ``copy``: the thread then makes the start's backup copy too."""
        self._copy = copy
        thread = check_in_background(copy=copy, done=lambda damage, failure: self._finished.emit(damage, failure))
        if thread is None:  # a server database: nothing to check here
            self.done = True
        return self

    def handle_with(self, handler: Callable[[DamagedDatabaseError], None]) -> None:
        self._handler = handler
        if self._damage is not None:
            damage, self._damage = self._damage, None
            handler(damage)

    @Slot(object, str)
    def _arrived(self, damage: DamagedDatabaseError | None, failure: str) -> None:
        self.done = True
        if failure and self._copy is not None:  # the copy not made (or the check, which the copy waits for)
            QMessageBox.warning(QApplication.activeWindow(), tr("Резервна копія"),
                                tr("Резервну копію бази на початку роботи не зроблено. {reason}", reason=failure))
        elif failure:  # the check could not read the file through
            QMessageBox.warning(QApplication.activeWindow(), tr("Перевірка бази"), failure)
        if damage is None:
            return
        if self._handler is None:
            self._damage = damage
        else:
            self._handler(damage)
