"""Exchange packages in the menu: export this database's changes, import a package, the conflicts."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import platform
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from tracker.errors import TrackerError
from tracker.exchange.aside import taken_from_aside_text
from tracker.exchange.sync import (
    first_words,
    left_out_words,
    export_package,
    import_package,
    passed_text,
    progress_taken_text,
    restored_text,
    same_text,
    set_aside_text,
    unasked_text,
    withheld_text,
)
from tracker.plan.amend import left_out_text
from tracker.exchange.trust import UnsignedPackage, UntrustedDevice, trust_package
from tracker.storage.device import this_device

from .. import dialogs
from ..i18n import N_, tr
from ..operations import Operation
from .conflicts_dialog import ConflictsDialog


class ExchangeActions:
    def __init__(self, window):
        self.window = window
        self.export_action = window.make_action(None, self.export_package)
        # every change, not only those others have not confirmed: for a laptop put back from an older copy of itself
        self.export_full_action = window.make_action(None, lambda: self.export_package(full=True))
        self.import_action = window.make_action(None, self.import_package)
        self.conflicts_action = window.make_action(None, self.show_conflicts)

    def texts(self) -> list:
        return [(self.export_action, N_("&Експорт пакета змін…")),
                (self.export_full_action, N_("Експорт &пакета з усіма змінами…")),
                (self.import_action, N_("І&мпорт пакета змін…")),
                (self.conflicts_action, N_("&Конфлікти обміну…"))]

    def export_package(self, full: bool = False) -> None:
        window = self.window
        device = self._device_name()  # first: the file is named after it
        if device is None:
            return
        folder = window.settings.value("exchange/folder", "", str) or str(Path.home())
        suggested = Path(folder) / f"{_file_safe(device)}-{_dt.date.today():%Y-%m-%d}{PACKAGE_SUFFIX}"
        path, _ = QFileDialog.getSaveFileName(window, tr("Експорт пакета змін"), str(suggested),
                                              tr("Пакет змін (*.trackerpkg);;Усі файли (*)"))
        if not path:
            return
        if not Path(path).suffix:  # Qt's own dialog adds none: a file with no suffix the import's list did not show
            path += PACKAGE_SUFFIX
        try:  # writes the package and the exchange log, no progress: the views have nothing to redraw
            result = dialogs.asked_to_replace(window, tr("Експорт пакета змін"), lambda replace: window.operations.run(
                Operation(lambda: export_package(path, device, full=full, replace=replace))))
        except TrackerError as exc:
            QMessageBox.warning(window, tr("Експорт пакета змін"), str(exc))
            return
        if result is None:
            return
        written = Path(str(result.path))
        window.settings.setValue("exchange/folder", str(written.parent))
        # where it is, said whole: the person carries this file to the office on a stick or by mail; the folder on a
        # line of its own (wrapped inside the sentence, «в теці «/» ended a line and «tmp/…» began the next)
        if dialogs.ask_show_folder(window, tr("Експорт пакета змін"), tr(
                "Пакет «{name}» збережено в теці\n{folder}\nЗмін у ньому — {count}. Передайте цей файл в офіс "
                "(на флешці чи поштою).", name=written.name, folder=written.parent, count=result.events)):
            dialogs.show_folder(window, written.parent, tr("Експорт пакета змін"))

    def _device_name(self) -> str | None:
        """The name this database goes by in packages; asked once (the office sees it in conflicts)."""
        name = this_device().name
        if name:
            return name
        name, accepted = QInputDialog.getText(
            self.window, tr("Експорт пакета змін"),
            # in lines of their own: one line, the dialog was wider than a 1366×768 screen at 125 %, «Скасувати» off it
            tr("Як назвати цей комп'ютер у пакетах змін?\nЦю назву побачать на інших комп'ютерах поруч зі змінами,\n"
               "зробленими тут (напр. «Старостат Прилуцьке» чи «Офіс, економічна політика»)."), text=platform.node())
        return (name.strip() or platform.node()) if accepted else None

    def import_package(self) -> None:
        window = self.window
        if not window.confirm_discard():
            return
        folder = window.settings.value("exchange/folder", "", str)
        path, _ = QFileDialog.getOpenFileName(window, tr("Імпорт пакета змін"), folder,
                                              tr("Пакет змін (*.trackerpkg *.pkg);;Усі файли (*)"))
        if path:
            self.import_package_file(path)

    def import_package_file(self, path: str, allow_unsigned: bool = False):
        window = self.window
        title = tr("Імпорт пакета змін")
        try:
            result = window.operations.run(Operation(
                lambda: import_package(path, author=window.author, allow_unsigned=allow_unsigned), title,
                busy=tr("Об'єднання змін з пакета «{name}»…", name=Path(path).name)))
        except UntrustedDevice as exc:
            return self._trust_and_import(path, exc)
        except UnsignedPackage as exc:
            if dialogs.confirm(window, title, str(exc) + "\n\n" + tr("Імпортувати цей непідписаний пакет?")):
                return self.import_package_file(path, allow_unsigned=True)
            return None
        except TrackerError as exc:
            QMessageBox.warning(window, title, str(exc))
            return None
        if result.plan_amendments_unasked:
            result = self._take_plan_changes_if_asked(path, result, allow_unsigned)
        text = tr("Пакет від «{device}»: застосовано змін — {applied}, уже відомих — {skipped}, "
                  "очікують попередніх — {pending}, конфліктів — {conflicts}.", device=result.device_name,
                  applied=result.applied, skipped=result.skipped, pending=result.pending, conflicts=result.conflicts)
        for words in first_words(result):
            text += "\n\n" + words
        if result.plan_amendments:
            text += "\n\n" + tr("З пакетом прийшли зміни до плану ({count}); план оновлено. Перелік — Довідка → "
                                 "Довідка про план.", count=result.plan_amendments)
        if result.plan_amendments_passed:
            text += "\n\n" + passed_text(result)
        if result.plan_amendments_same:
            text += "\n\n" + same_text(result)
        for code, effective, count in result.records_left_out:
            text += "\n\n" + tr("Увага.") + " " + left_out_text(code, effective, count)
        if result.plan_amendments_withheld:
            text += "\n\n" + withheld_text(result)
        if result.plan_amendments_unasked:
            text += "\n\n" + unasked_text(result)
        if result.put_back:
            text += "\n\n" + restored_text(result)
        for words in left_out_words(result):
            text += "\n\n" + words
        if result.set_aside:
            text += "\n\n" + set_aside_text(result) + ("" if result.set_aside_same_code  # the text points to its list
                                                        else " " + tr("Перелік — Файл → Конфлікти обміну."))
        if result.taken_from_aside:
            text += "\n\n" + taken_from_aside_text(result.taken_from_aside)
        window.statusBar().showMessage(text.split("\n")[0], 15000)
        # said whole every time: with conflicts it went to the status bar alone, one line cut by the conflicts'
        # badge, and what the package held for measures this plan has not was not read at all
        QMessageBox.information(window, title, text)
        if result.conflicts:
            self.show_conflicts()
        return result

    def _take_plan_changes_if_asked(self, path: str, result, allow_unsigned: bool):
        """Amendments of the plan made elsewhere than in the office this database was copied from: applied only when a
        person says so (the progress the package brought is merged already; the package taken again applies them,
        and only them)."""
        window = self.window
        title = tr("Зміни до плану з пакета")
        question = tr("Пакет від «{device}» приносить зміни до плану: {decisions}.\n\nЇх зроблено не в тій базі, з "
                      "копії якої зроблено цю (не в офісі, звідки її взято), а план вносить офіс. Застосувати ці "
                      "зміни до плану? Тоді ця база ручається за них перед своїми копіями. ({progress})",
                      device=result.device_name, decisions="; ".join(result.plan_amendments_unasked),
                      progress=progress_taken_text(result))
        if not dialogs.confirm(window, title, question):
            return result
        try:
            again = window.operations.run(Operation(
                lambda: import_package(path, author=window.author, allow_unsigned=allow_unsigned, plan_changes=True),
                title, busy=tr("Зміни до плану з пакета «{name}»…", name=Path(path).name)))
        except TrackerError as exc:
            QMessageBox.warning(window, title, str(exc))
            return result
        # what the first import kept aside for the amendment's measures is merged with it now: said as such, with what
        # merging it applied and the conflicts it listed (the second import's numbers, added to the first's)
        left = max(0, result.set_aside - again.taken_from_aside)
        return dataclasses.replace(result, applied=result.applied + again.applied,
                                   conflicts=result.conflicts + again.conflicts,
                                   recorded=result.recorded + again.recorded, updated=result.updated + again.updated,
                                   resolved=result.resolved + again.resolved, pending=again.pending + result.pending,
                                   plan_amendments=again.plan_amendments,
                                   plan_amendments_passed=again.plan_amendments_passed,
                                   plan_amendments_same=again.plan_amendments_same,
                                   records_left_out=again.records_left_out,
                                   plan_amendments_unasked=again.plan_amendments_unasked,
                                   set_aside=left, unknown_measures=result.unknown_measures if left else (),
                                   taken_from_aside=again.taken_from_aside)

    def _trust_and_import(self, path: str, refusal: UntrustedDevice):
        """The first package of an unknown device: its name and key fingerprint, to compare with that device."""
        window = self.window
        header = refusal.header
        question = tr("Пакет «{name}» підписав пристрій «{device}», якому ця база ще не довіряє.\n\nВідбиток ключа:\n"
                      "{fingerprint}\n\nЗвірте відбиток із тим пристроєм (там: Довідка → Про програму). Якщо він "
                      "збігається — довіряти цьому пристрою й імпортувати пакет?", name=Path(path).name,
                      device=header.device_name, fingerprint=refusal.fingerprint)
        if refusal.revoked:
            question += "\n\n" + refusal.revoked
        if not dialogs.confirm(window, tr("Новий пристрій"), question):
            return None
        try:
            window.operations.run(Operation(lambda: trust_package(path, window.author), tr("Новий пристрій")))
        except TrackerError as exc:
            QMessageBox.warning(window, tr("Новий пристрій"), str(exc))
            return None
        return self.import_package_file(path)

    def show_conflicts(self) -> None:
        window = self.window
        dialogs.run_dialog(ConflictsDialog(window.operations, window.author, window))
        window.update_conflicts_badge()


PACKAGE_SUFFIX = ".trackerpkg"


def _file_safe(name: str) -> str:
    """A device's name as part of a file name: without the signs Windows refuses in one."""
    return "".join("_" if sign in '<>:"/\\|?*' or ord(sign) < 32 else sign for sign in name).strip(" .") or "пакет"
