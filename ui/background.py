"""Long database work off the GUI thread, behind a modal progress dialog; the caller gets the result.

The window stays painted and says what it is doing; the work runs in its own thread on its own
database connection (tracker.db.thread_connection), and its result — or its exception — is handed
back to the caller on the GUI thread, as if the call had been made directly. While the work waits
for another program's write, the dialog says so, counts the seconds and offers to cancel.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEventLoop, Qt, QThread, QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton

from tracker.storage.db import thread_connection
from tracker.storage.locking import UntilCancelled, waiting_with

from .i18n import tr

# shown only for work that takes longer than this; a quick import does not flash a dialog
SHOW_AFTER_MS = 400
_running = 0


def busy() -> bool:
    """True while work runs: the window must not close (its thread and connection are in use)."""
    return _running > 0


class _Worker(QThread):
    def __init__(self, work, patience: UntilCancelled, parent=None, connected: bool = True):
        super().__init__(parent)
        self.work = work
        self.patience = patience
        self.connected = connected
        self.result = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            if not self.connected:
                self.result = self.work()
                return
            with thread_connection() as db, waiting_with(self.patience):
                self.patience.bind(db)
                self.result = self.work()
        except BaseException as exc:  # handed to the caller on the GUI thread, never lost in the thread
            self.error = exc


def waiting_text(seconds: float) -> str:
    return tr("База даних зайнята: у неї саме записує інша програма або інший користувач. Чекаю, доки вона "
              "закінчить… ({seconds} с)", seconds=int(seconds))


def checking_text(seconds: float) -> str:
    return tr("Щойно відкриту базу ще перевіряють повністю; зміну буде записано, щойно перевірка скінчиться… "
              "({seconds} с)", seconds=int(seconds))


def run_with_progress(parent, title: str, label: str, work, *, waiting: bool = False, connected: bool = True):
    """Run ``work()`` in a thread while a busy dialog is shown.

    The work is one transaction: it cannot be stopped half-way, but a wait for another program's
    write lock can be (the dialog then offers «Скасувати»). ``waiting``: the work is known to wait
    already (a save the database refused as busy), so the dialog shows the wait at once.
    ``connected=False``: work on database files with the database closed (a damaged file mended): the
    thread opens no connection of its own to it — one had held the file while it was moved, and, the last to
    close, could write the WAL beside it into the file.
    """
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(480)
    dialog.cancel()  # not shown by its own timer: ours below shows it only for long work
    global _running
    patience = UntilCancelled()
    worker = _Worker(work, patience, parent, connected)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    show = QTimer()
    show.setSingleShot(True)
    show.timeout.connect(lambda: dialog.show() if worker.isRunning() else None)
    show.start(0 if waiting else SHOW_AFTER_MS)
    started = time.monotonic()

    def follow_the_wait() -> None:
        """Poll what the worker is doing: waiting (say so, offer cancel) or working (the plain label)."""
        waits = patience.waited is not None or (waiting and not patience.holding)
        if waits and not patience.cancelled:
            seconds = patience.waited if patience.waited is not None else time.monotonic() - started
            dialog.setLabelText(checking_text(seconds) if patience.checking else waiting_text(seconds))
            if not dialog.findChildren(QPushButton):
                dialog.setCancelButtonText(tr("Скасувати"))
        else:
            dialog.setLabelText(label if not patience.cancelled else tr("Скасування…"))
            if dialog.findChildren(QPushButton):
                dialog.setCancelButton(None)

    dialog.canceled.connect(patience.cancel)
    poll = QTimer()
    poll.timeout.connect(follow_the_wait)
    poll.start(200)
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
        poll.stop()
        show.stop()
        dialog.hide()
        if parent is not None:
            parent.setEnabled(enabled)
    dialog.deleteLater()
    worker.deleteLater()
    if worker.error is not None:
        raise worker.error
    return worker.result
