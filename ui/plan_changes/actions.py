"""Файл → Імпорт змін до плану… and Довідка → Довідка про план."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from tracker.errors import TrackerError
from tracker.exchange.aside import take_set_aside_after_amendment, taken_from_aside_text
from tracker.plan.amend import apply_parsed, read_amendment

from .. import dialogs
from ..background import run_with_progress
from ..i18n import N_, quarter_label, tr
from ..operations import Operation
from .amendment_dialog import AmendmentDialog
from .history_dialog import PlanHistoryDialog


class PlanChangeActions:
    def __init__(self, window):
        self.window = window
        self.import_action = window.make_action(None, self.import_amendment)
        self.history_action = window.make_action(None, self.show_history)

    def texts(self) -> list:
        return [(self.import_action, N_("Імпорт змін &до плану…")), (self.history_action, N_("Довідка про &план"))]

    def import_amendment(self) -> None:
        window = self.window
        if not window.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(
            window, tr("Імпорт змін до плану"), window.settings.value("plan/folder", "", str),
            tr("План заходів (*.docx *.xlsx *.txt);;Усі файли (*)"))
        if path:
            window.settings.setValue("plan/folder", str(Path(path).parent))
            self.import_amendment_file(path)

    def import_amendment_file(self, path: str):
        """Read the file, show what it changes, apply it if the user settles every question and confirms."""
        window = self.window
        title = tr("Імпорт змін до плану")
        name = Path(path).name
        try:  # reading writes nothing
            plan, parsed = run_with_progress(window, title, tr("Читання «{name}»…", name=name),
                                             lambda: read_amendment(path))
        except TrackerError as exc:
            QMessageBox.warning(window, title, str(exc))
            return None
        dialog = AmendmentDialog(window, plan, parsed, name)
        if dialog.amendment is not None and dialog.amendment.empty:
            QMessageBox.information(window, title, tr("Файл «{name}» не змінює план «{title}»: він уже в цьому "
                                                      "вигляді. Нічого не змінено.", name=name, title=plan.title))
            return None
        if not dialogs.run_dialog(dialog):
            return None
        decision, effective = dialog.decision(), dialog.effective()
        matches, new_codes = dialog.matches, dialog.new_codes
        def apply():
            applied = apply_parsed(plan, parsed, decision=decision, effective=effective, author=window.author,
                                   source_name=name, matches=matches, new_codes=new_codes)
            # changes packages brought for measures this plan lacked, kept aside: merged if it has them now
            return applied, take_set_aside_after_amendment(window.author) if applied.amendment is not None else (0, "")

        try:
            result, (taken, problem) = window.operations.run(Operation(
                apply, title, busy=tr("Застосування змін до плану…"), replaces_plan=True))
        except TrackerError as exc:
            QMessageBox.warning(window, title, str(exc))
            return None
        if taken:
            QMessageBox.information(window, title, taken_from_aside_text(taken))
        if problem:
            QMessageBox.warning(window, title, problem)
        if result.amendment is not None:
            if result.backup is not None:
                QMessageBox.information(window, title, tr(
                    "Зміни до плану застосовано ({decision}), чинні з {quarter}: змін — {count}. Копію бази до змін "
                    "збережено; повернутися до неї можна через Файл → Відновити з резервної копії.",
                    decision=decision, quarter=quarter_label(effective), count=len(result.changes)))
            window.statusBar().showMessage(tr("Зміни до плану застосовано ({decision}), чинні з {quarter}: змін — "
                                              "{count}.", decision=decision, quarter=quarter_label(effective),
                                              count=len(result.changes)), 15000)
        return result

    def show_history(self) -> None:
        dialogs.run_dialog(PlanHistoryDialog(self.window.plan, self.window))
