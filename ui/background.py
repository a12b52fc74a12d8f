"""Long database work off the GUI thread, behind a modal progress dialog; the caller gets the result.

The window stays painted and says what it is doing; the work runs in its own thread on its own
database connection (tracker.db.thread_connection), and its result — or its exception — is handed
back to the caller on the GUI thread, as if the call had been made directly.
"""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, Qt, QThread, QTimer
from PySide6.QtWidgets import QProgressDialog

from tracker.storage.db import thread_connection

# shown only for work that takes longer than this; a quick import does not flash a dialog
SHOW_AFTER_MS = 400
_running = 0


def busy() -> bool:
    """True while work runs: the window must not close (its thread and connection are in use)."""
    return _running > 0


class _Worker(QThread):
    def __init__(self, work, parent=None):
        super().__init__(parent)
        self.work = work
        self.result = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with thread_connection():
                self.result = self.work()
        except BaseException as exc:  # handed to the caller on the GUI thread, never lost in the thread
            self.error = exc


def run_with_progress(parent, title: str, label: str, work):
    """Run ``work()`` in a thread while a busy dialog (no cancel: the work is one transaction) is shown."""
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(480)
    dialog.cancel()  # not shown by its own timer: ours below shows it only for long work
    global _running
    worker = _Worker(work, parent)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    show = QTimer()
    show.setSingleShot(True)
    show.timeout.connect(lambda: dialog.show() if worker.isRunning() else None)
    show.start(SHOW_AFTER_MS)
    enabled = parent.isEnabled() if parent is not None else True
    if parent is not None:
        parent.setEnabled(False)  # no clicks or keys reach the window before the dialog shows
        dialog.setEnabled(True)  # a window of its own: not greyed with its parent
    _running += 1
    try:
        worker.start()
        if not worker.isFinished():
            loop.exec()
        worker.wait()
    finally:
        _running -= 1
        show.stop()
        dialog.hide()
        if parent is not None:
            parent.setEnabled(enabled)
    dialog.deleteLater()
    worker.deleteLater()
    if worker.error is not None:
        raise worker.error
    return worker.result
