"""Writing report files off the GUI thread: the data are read beforehand, so the thread touches neither widgets
nor the database; its progress, result and failure come back as signals."""

from __future__ import annotations

from PySide6.QtCore import QThread, Signal

from tracker.errors import TrackerError

from ..i18n import tr


class WritingThread(QThread):
    progressed = Signal(int, int)
    succeeded = Signal(object)  # what ``work`` returned
    failed = Signal(str)

    def __init__(self, work, unexpected: str, parent=None):
        """``work(progress)`` writes and returns its result; ``unexpected`` says what failed, with «{error}»."""
        super().__init__(parent)
        self.work, self.unexpected = work, unexpected

    def run(self) -> None:
        try:
            done = self.work(lambda number, total: self.progressed.emit(number, total))
        except TrackerError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # an unexpected failure must still reach the user, not vanish in a thread
            self.failed.emit(tr(self.unexpected, error=str(exc)))
        else:
            self.succeeded.emit(done)
