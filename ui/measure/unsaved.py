"""The form's unsaved values kept through a blackout or a crash (tracker.progress.unsaved), and offered back.

While the form holds changes, they are kept a moment after the last keystroke; saved, reverted or thrown away,
they are forgotten. When the window opens a database, what was kept there for the same person is offered back
into the form, still unsaved: restored, it is saved as any form is (a record changed since is a conflict).
"""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox

from tracker.errors import TrackerError
from tracker.progress import fields
from tracker.progress.unsaved import UnsavedForm, forget, keep, kept, what_became_of

from .. import dialogs
from ..i18n import quarter_label, tr

KEEP_AFTER_MS = 1000  # after the last keystroke: a file written per keystroke would be written hundreds of times


class UnsavedKeeper(QObject):
    """Keeps ``window``'s form while it holds changes, and offers back what an earlier run kept (``offer``)."""

    def __init__(self, window):
        super().__init__(window)
        self._window = window
        self._editor = window.panel.editor
        self._kept_at: tuple[str, str] | None = None  # (database, person) this run kept the form for
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(KEEP_AFTER_MS)
        self._timer.timeout.connect(self.keep_now)
        self._editor.edited.connect(self._on_edited)

    def _place(self) -> tuple[str, str]:
        return self._window.database_label, self._window.controller.author

    def _on_edited(self) -> None:
        if self._editor.dirty:
            self._timer.start()
            return
        self._timer.stop()
        if self._kept_at is not None:  # saved, reverted, or another measure loaded after «Відкинути»
            forget(*self._kept_at)
            self._kept_at = None

    def keep_now(self) -> None:
        self._timer.stop()
        measure, editor = self._window.panel.measure, self._editor
        if not editor.dirty or measure is None or editor.quarter is None:
            return
        place = self._place()
        if self._kept_at is not None and self._kept_at != place:  # another database or name since: not offered there
            forget(*self._kept_at)
        form = UnsavedForm(*place, measure.uid, measure.code, editor.quarter, editor.version, editor.values(),
                           _dt.datetime.now().replace(microsecond=0))
        if keep(form):
            self._kept_at = place

    def offer(self) -> None:
        """What was kept for this database and person, offered back into the form (asked first)."""
        window = self._window
        place = self._place()
        form = kept(*place)
        if form is None or self._editor.dirty:
            return
        try:
            measure, pending = what_became_of(form)
        except TrackerError:  # the database cannot be read now: offered at the next opening
            return
        if measure is not None and not pending:  # saved after all
            forget(*place)
            return
        when = form.typed_at.strftime("%d.%m.%Y %H:%M")
        where = tr("захід {code} за {quarter}", code=form.code, quarter=quarter_label(form.quarter))
        answer = dialogs.ask_restore(window, tr(
            "Після попереднього сеансу залишилися незбережені зміни: {where}, введені {when}. Програму тоді закрито, "
            "не зберігши їх (можливо, через вимкнення світла чи збій). Відновити їх у формі, щоб переглянути й "
            "зберегти?", where=where, when=when))
        if answer == dialogs.DISCARD:
            forget(*place)
        if answer != dialogs.RESTORE:
            return
        self.bring_back(form, measure)

    def take_form(self) -> UnsavedForm | None:
        """The form's unsaved values, taken out of it for another opening of the database (its file replaced under
        the window): the form shows what it was loaded with, and nothing is kept on disk to be offered as a past
        session's."""
        measure, editor = self._window.panel.measure, self._editor
        if not editor.dirty or measure is None or editor.quarter is None:
            return None
        form = UnsavedForm(*self._place(), measure.uid, measure.code, editor.quarter, editor.version, editor.values(),
                           _dt.datetime.now().replace(microsecond=0))
        self._timer.stop()
        if self._kept_at is not None:
            forget(*self._kept_at)
            self._kept_at = None
        editor.revert()
        return form

    def bring_back(self, form: UnsavedForm, measure=None) -> None:
        """``form``'s values into the form of its measure in the open database, unsaved (saved over a record changed
        since they were typed, they are a conflict); said in a message with the values when the plan has no such
        measure in force in that quarter."""
        window = self._window
        place = self._place()
        where = tr("захід {code} за {quarter}", code=form.code, quarter=quarter_label(form.quarter))
        if measure is None:
            try:
                measure, _ = what_became_of(form)
            except TrackerError:
                measure = None
        if measure is None or not window.navigation.show_for_editing(measure.id, form.quarter):
            QMessageBox.information(window, tr("Незбережені зміни"), tr(
                "Зміни ({where}) у форму не відновити: цього заходу в плані за цей квартал тепер немає. Ось вони, "
                "щоб їх можна було скопіювати:\n\n{values}", where=where, values=_listed(form.values)))
            forget(*place)
            return
        self._editor.restore_typed(form.values, form.version)
        self.keep_now()  # kept again, now by this run: forgotten once saved or thrown away
        window.statusBar().showMessage(tr("Відновлено незбережені зміни ({where}): збережіть їх (Ctrl+S) або "
                                          "скасуйте.", where=where), 15000)


def _listed(values: dict) -> str:
    lines = []
    for field in fields.FIELDS:
        value = values.get(field.name)
        if value in (None, ""):
            continue
        try:
            shown = fields.show(field.name, field.parse(value))
        except TrackerError:  # as typed, then: a value the form could not save either
            shown = str(value)
        lines.append(f"{tr(field.label)}: {shown}")
    return "\n".join(lines)
