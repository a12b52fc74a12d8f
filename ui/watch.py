"""The window keeping up with other programs: what a colleague saved on the shared server, or another window or
`tracker set` saved in the same file, is shown without F5.

Every few seconds the window asks the database where its history stands (two look-ups of a largest id); when
another program wrote since, the measures it changed are read again through the same path an operation's changes
take (Operations.look), so the form's unsaved edits stay and only those rows move. An amended plan is read again
whole, as F5 does — or, while the form holds unsaved edits, said in the status bar and left for F5, which asks.

On a server the two look-ups are made in a thread of their own, on its own connection: a network gone quiet holds
that thread (a server's answer can take minutes to be given up), not the window. An SQLite file is read where it
is — a second connection to it in this program would make a restore or a rebuild take it for another program's.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from tracker.errors import TrackerError
from tracker.logs import log
from tracker.storage.db import on_server, opened, thread_connection
from tracker.storage.file_identity import replaced

from .i18n import tr
from .operations import marks_now

INTERVAL_MS = 10_000  # a colleague's save shows within ten seconds; a look is two index look-ups (< 1 ms)


class OthersWatch(QObject):
    _read = Signal(object, object)  # (the database read, its marks or what failed): from the server's thread

    def __init__(self, window):
        super().__init__(window)
        self._window = window
        self._said: str = ""  # the status bar's word about an amended plan, said once until F5
        self._reading = False  # a server's look is under way in its thread
        self._failing = False  # the last look failed: said once in the journal, not every ten seconds
        self._reopened = None  # the replaced file's database the watch tried to open the new file in place of
        self.timer = QTimer(self)
        self.timer.setObjectName("othersWatch")
        self.timer.timeout.connect(self.look)
        self._read.connect(self._on_read)

    def start(self, interval_ms: int = INTERVAL_MS) -> None:
        self.timer.start(interval_ms)

    def look(self) -> None:
        """One look: the other programs' changes shown, or a word that the plan changed; nothing under a dialog."""
        if not self._may_show():
            return
        if on_server():
            if not self._reading:  # the last look still waits for the server: no second one beside it
                self._reading = True
                threading.Thread(target=self._read_aside, args=(opened(),), name="others-watch",
                                 daemon=True).start()
            return
        if replaced(opened()):
            self._replaced()
            return
        self._take(None)

    def _replaced(self) -> None:
        """The file was replaced under the window (a copy put back by rename, a sync tool): what it shows and would
        write is the old file's. The file now under the name opened — or, over the form's unsaved edits, said: their
        save offers it (tracker.storage.file_identity)."""
        window = self._window
        if not window.panel.editor.dirty and self._reopened is not opened():
            self._reopened = opened()  # tried once: a file gone for good is not asked about every ten seconds
            shown, quarter = window.panel.measure, window.panel.editor.quarter
            if window.database.switch_database(window.database_label):
                if shown is not None and quarter is not None:  # the same measure in the file now there, if it has it
                    tree = window.model.tree
                    same = next((m for m in tree.measures() if m.uid == shown.uid), None) if tree else None
                    if same is not None:
                        window.navigation.show_for_editing(same.id, quarter)
                window.statusBar().showMessage(tr(
                    "Файл бази замінено іншим, поки вікно з ним працювало; показано файл, що тепер під цим ім'ям."),
                    15000)
                return
        said = tr("Файл бази замінено іншим, поки вікно з ним працювало. Збережіть форму (Ctrl+S): програма "
                  "запропонує відкрити новий файл і перенести в нього ваші зміни.") if window.panel.editor.dirty else \
            tr("Файл бази замінено іншим чи видалено, поки вікно з ним працювало, і відкрити його знову не вдалося. "
               "Усе збережене досі вікно ще бачить: збережіть копію бази (Файл → Зберегти копію бази…) і відкрийте "
               "її.")
        if window.statusBar().currentMessage() != said:
            window.statusBar().showMessage(said)

    def _read_aside(self, db) -> None:
        try:
            with thread_connection():
                result = marks_now()
        except Exception as exc:  # noqa: BLE001 — whatever the server or the network did: said on the GUI thread
            result = exc
        self._read.emit(db, result)

    def _on_read(self, db, result) -> None:
        self._reading = False
        if isinstance(result, BaseException):
            self._failed(result)
        elif db is opened() and self._may_show():  # not another database opened meanwhile, nor a dialog up
            self._take(result)

    def _may_show(self) -> bool:
        # an import's preview, a question: what it shows stays as it is until it is closed
        return QApplication.activeModalWidget() is None and self._window.isVisible()

    def _take(self, marks) -> None:
        window = self._window
        try:
            changes = window.operations.look(marks)
        except TrackerError as exc:
            self._failed(exc)
            return
        self._failing = False
        bar = window.statusBar()
        if not changes:  # nothing new (None), or nothing the views show
            return
        if changes.plan:
            if not window.panel.editor.dirty:  # as F5 does it: what is folded stays so, the form keeps its measure
                window.reload_from_database()
                bar.showMessage(tr("План або базу змінено в іншій програмі; показано їх такими, як тепер."), 8000)
            elif not self._said:  # F5 asks about the unsaved edits first; the watch does not ask
                self._said = tr("План або базу змінено в іншій програмі. Натисніть F5, щоб побачити зміни.")
                bar.showMessage(self._said)
            return
        shown = window.panel.measure
        if shown is not None and shown.id in changes.measures and window.panel.editor.dirty:
            # the form keeps what the person typed, over values that are no longer the database's: said, so that
            # the question at the save (which values to keep) does not come out of the blue
            window.panel.editor.say_changed_elsewhere()  # in the form, at length
            bar.showMessage(tr("Захід {code} змінено в іншій програмі; у дереві — нові значення.", code=shown.code))
        elif not bar.currentMessage():  # a refusal or a save's word is not covered
            bar.showMessage(tr("Показано зміни, збережені в іншій програмі (заходів: {count}).",
                               count=len(changes.measures)), 8000)

    def _failed(self, exc: BaseException) -> None:
        """The server gone for a moment, the file out of reach: said when the person next does something there."""
        if not self._failing:
            log.info("looking for other programs' changes: %s", exc)
        self._failing = True

    def taken_in(self) -> None:
        """The window read the whole database again (F5): an amended plan's word goes."""
        if self._said and self._window.statusBar().currentMessage() == self._said:
            self._window.statusBar().clearMessage()
        self._said = ""
