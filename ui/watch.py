"""The window keeping up with other programs: what a colleague saved on the shared server, or another window or
`tracker set` saved in the same file, is shown without F5.

Every few seconds the window asks the database where its history stands (two look-ups of a largest id); when
another program wrote since, the measures it changed are read again through the same path an operation's changes
take (Operations.look), so the form's unsaved edits stay and only those rows move. An amended plan is said in the
status bar and taken in on F5: taking it in folds the tree and empties the form.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from tracker.errors import TrackerError
from tracker.logs import log

from .i18n import tr

INTERVAL_MS = 10_000  # a colleague's save shows within ten seconds; a look is two index look-ups (< 1 ms)


class OthersWatch(QObject):
    def __init__(self, window):
        super().__init__(window)
        self._window = window
        self._said: str = ""  # the status bar's word about an amended plan, said once until F5
        self.timer = QTimer(self)
        self.timer.setObjectName("othersWatch")
        self.timer.timeout.connect(self.look)

    def start(self, interval_ms: int = INTERVAL_MS) -> None:
        self.timer.start(interval_ms)

    def look(self) -> None:
        """One look: the other programs' changes shown, or a word that the plan changed; nothing under a dialog."""
        window = self._window
        if QApplication.activeModalWidget() is not None or not window.isVisible():
            return  # an import's preview, a question: what it shows stays as it is until it is closed
        try:
            changes = window.operations.look()
        except TrackerError as exc:  # the server gone for a moment: said when the person next does something
            log.info("looking for other programs' changes: %s", exc)
            return
        bar = window.statusBar()
        if changes is None or not changes:
            return
        if changes.plan:
            if not self._said:
                self._said = tr("План або базу змінено в іншій програмі. Натисніть F5, щоб побачити зміни.")
                bar.showMessage(self._said)
            return
        if not bar.currentMessage():  # a refusal or a save's word is not covered
            bar.showMessage(tr("Показано зміни, збережені в іншій програмі (заходів: {count}).",
                               count=len(changes.measures)), 8000)

    def taken_in(self) -> None:
        """The window read the whole database again (F5): an amended plan's word goes."""
        if self._said and self._window.statusBar().currentMessage() == self._said:
            self._window.statusBar().clearMessage()
        self._said = ""
