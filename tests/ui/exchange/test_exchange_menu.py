"""Файл → Експорт/Імпорт пакета змін… and the conflicts dialog, between two real databases."""

import datetime as dt
from pathlib import Path

from tests.ui.helpers import laptop_conflict
from tracker.exchange.sync import export_package
from tracker.progress.records import find_measure, quarter_record, save_progress
from tracker.quarters import Quarter
from tracker.storage import backup
from tracker.storage.models import Progress, database
from ui.exchange.conflicts_dialog import ConflictsDialog

Q = Quarter(2025, 2)


def _record(window, code):
    return quarter_record(find_measure(window.plan, code), Q)


def test_laptop_package_is_imported_and_conflicts_resolved(window, tmp_path, no_modal_dialogs, qtbot, screenshot):
    office = database.obj.database
    laptop = tmp_path / "laptop.sqlite3"
    save_progress(find_measure(window.plan, "2.2.2"), Q, {"status": "in_progress", "percent": 10}, author="офіс")
    backup.backup_to(laptop)  # the laptop is set up from a copy of the office database

    assert window.database.switch_database(str(laptop))
    save_progress(find_measure(window.plan, "1.1.1"), Q, {"status": "in_progress", "percent": 30}, author="Лаптоп")
    save_progress(find_measure(window.plan, "2.2.2"), Q, {"percent": 55}, author="Лаптоп")
    package = export_package(tmp_path / "laptop.trackerpkg", "Старостат Прилуцьке").path

    assert window.database.switch_database(office)
    save_progress(find_measure(window.plan, "2.2.2"), Q, {"percent": 70}, author="офіс")  # both changed it
    no_modal_dialogs["confirm"].append(True)  # a new device: its key's fingerprint is asked about once
    result = window.exchange.import_package_file(str(package))
    question = next(text for kind, title, text in no_modal_dialogs["messages"] if kind == "confirm")
    assert "Старостат Прилуцьке" in question and "Відбиток ключа" in question
    assert result.applied >= 1 and result.conflicts == 1
    kind, _, said = no_modal_dialogs["messages"][-1]  # said whole before the conflicts, not in a cut status line
    assert kind == "information" and "конфліктів — 1" in said
    assert _record(window, "1.1.1").percent == 30  # a field changed on one side only: taken
    assert _record(window, "2.2.2").percent == 70  # both changed: not decided silently
    dialog = no_modal_dialogs["dialogs"][-1]
    assert isinstance(dialog, ConflictsDialog) and dialog.table.rowCount() == 1
    assert "55" in dialog.table.item(0, 4).text() and "Лаптоп" in dialog.table.item(0, 4).text()
    assert "70" in dialog.table.item(0, 3).text()
    dialog.show()
    screenshot(dialog, "exchange_conflicts")
    assert dialog.resolve_selected("incoming")
    assert dialog.table.rowCount() == 0
    assert _record(window, "2.2.2").percent == 55

    again = window.exchange.import_package_file(str(package))  # twice: nothing changes
    assert again.applied == 0 and again.conflicts == 0


def test_a_damaged_package_is_refused_with_a_message(window, tmp_path, no_modal_dialogs):
    bad = tmp_path / "bad.trackerpkg"
    bad.write_bytes(b"\x1f\x8b garbage")
    before = Progress.select().count()
    assert window.exchange.import_package_file(str(bad)) is None
    assert no_modal_dialogs["messages"][-1][0] == "warning"
    assert Progress.select().count() == before


def test_three_devices_disagree_every_value_is_shown_and_one_is_picked(window, tmp_path, no_modal_dialogs,
                                                                       monkeypatch, screenshot):
    office = database.obj.database
    save_progress(find_measure(window.plan, "2.2.2"), Q, {"status": "in_progress", "percent": 10}, author="офіс")
    packages = []
    for name, percent, status in (("A", 55, "partially_done"), ("B", 65, "not_done")):
        laptop = tmp_path / f"{name}.sqlite3"
        backup.backup_to(laptop)
        assert window.database.switch_database(str(laptop))
        save_progress(find_measure(window.plan, "2.2.2"), Q, {"percent": percent, "status": status}, author=name)
        packages.append(export_package(tmp_path / f"{name}.trackerpkg", f"Ноутбук {name}").path)
        assert window.database.switch_database(office)
    save_progress(find_measure(window.plan, "2.2.2"), Q, {"percent": 70, "status": "obsolete"}, author="офіс")
    for package in packages:
        no_modal_dialogs["confirm"].append(True)  # each laptop trusted once, after its fingerprint is shown
        window.exchange.import_package_file(str(package))
    dialog = ConflictsDialog(window.operations, "офіс", window)
    assert dialog.table.rowCount() == 2  # status and percent
    fields = [dialog.conflicts[row].field for row in range(2)]
    percent_row, status_row = fields.index("percent"), fields.index("status")
    incoming = dialog.table.item(percent_row, 4).text()
    assert "55 %" in incoming and "65 %" in incoming and "Ноутбук A" in incoming and "Ноутбук B" in incoming
    assert "70 %" in dialog.table.item(percent_row, 3).text()
    assert "змінено і тут" in dialog.table.item(percent_row, 5).text()
    dialog.show()
    screenshot(dialog, "exchange_conflicts_three_devices")

    asked = []

    def pick(parent, title, label, items, current, editable):
        asked.append((list(items), items[current], editable))
        if "Виконано" in items:
            return "Частково виконано", True
        return ("150" if len(asked) == 2 else "60"), True  # a percent past 100 first: refused, asked again with it

    monkeypatch.setattr("ui.exchange.conflicts_dialog.QInputDialog.getItem", pick)
    dialog.table.selectRow(status_row)
    dialog._type_value()
    dialog.table.selectRow([c.field for c in dialog.conflicts].index("percent"))
    dialog._type_value()
    assert asked[0][2] is False and asked[0][1] == "Втратило актуальність" and len(asked[0][0]) == 6  # six statuses
    assert asked[1][0][0] == "70" and sorted(asked[1][0]) == ["55", "65", "70"] and asked[1][1:] == ("70", True)
    assert asked[2][1] == "150" and no_modal_dialogs["messages"][-1][0] == "warning"  # the typed value kept
    assert dialog.table.rowCount() == 0 and "конфліктів немає" in dialog.summary.text()
    record = _record(window, "2.2.2")
    assert (record.status, record.percent) == ("partially_done", 60)


def test_open_conflicts_show_in_the_status_bar_until_resolved(window, tmp_path, no_modal_dialogs, screenshot):
    assert window.conflicts_button.isHidden()
    office, laptop, _ = laptop_conflict(window, tmp_path, no_modal_dialogs, Q, "Старостат")
    assert not window.conflicts_button.isHidden() and window.conflicts_button.text().endswith(": 1")
    screenshot(window, "conflicts_badge")

    assert window.database.switch_database(str(laptop))  # another database: its own count (none)
    assert window.conflicts_button.isHidden()
    assert window.database.switch_database(office)
    assert not window.conflicts_button.isHidden()
    window.conflicts_button.click()  # opens the dialog (recorded by the fixture, not shown)
    dialog = no_modal_dialogs["dialogs"][-1]
    assert isinstance(dialog, ConflictsDialog) and dialog.resolve_selected("local")
    window.update_conflicts_badge()
    assert window.conflicts_button.isHidden()


def test_export_asks_the_device_name_once_and_packages_carry_it(window, tmp_path, no_modal_dialogs, monkeypatch):
    from tracker.exchange.package import read_package

    asked, suggested = [], []
    # the second typed without a suffix, as Qt's own dialog leaves it: the import's list did not show the file
    targets = iter([tmp_path / "first.trackerpkg", tmp_path / "second"])
    monkeypatch.setattr("ui.exchange.actions.QFileDialog.getSaveFileName",
                        lambda parent, title, where, kinds: suggested.append(where) or (str(next(targets)), ""))
    monkeypatch.setattr("ui.exchange.actions.QInputDialog.getText",
                        lambda *a, **k: asked.append(a[2]) or ("  Старостат: Прилуцьке ", True))
    save_progress(find_measure(window.plan, "1.1.1"), Q, {"status": "in_progress", "percent": 30}, author="Петро")
    window.exchange.export_package()
    window.exchange.export_package()
    assert len(asked) == 1 and "Як назвати цей комп'ютер" in asked[0]
    for name in ("first", "second"):
        assert read_package(tmp_path / f"{name}.trackerpkg").header.device_name == "Старостат: Прилуцьке"
    assert Path(suggested[0]).name == f"Старостат_ Прилуцьке-{dt.date.today():%Y-%m-%d}.trackerpkg"
    kind, _, said = no_modal_dialogs["messages"][-1]  # where the file is, said whole, and the folder offered
    assert kind == "show_folder" and f"«second.trackerpkg» збережено в теці\n{tmp_path}\n" in said


def test_export_over_a_file_that_is_not_this_database_s_package_is_asked_about(window, tmp_path, no_modal_dialogs,
                                                                              monkeypatch):
    """Another device's package on the shared stick, chosen by mistake: replaced only when the person says so."""
    from tracker.exchange.package import read_package

    other = tmp_path / "ноутбук.trackerpkg"
    other.write_bytes(b"another device's package")
    monkeypatch.setattr("ui.exchange.actions.QFileDialog.getSaveFileName", lambda *a, **k: (str(other), ""))
    monkeypatch.setattr("ui.exchange.actions.QInputDialog.getText", lambda *a, **k: ("Офіс", True))
    window.exchange.export_package()  # «no», the default
    kind, _, text = no_modal_dialogs["messages"][-1]
    assert kind == "confirm" and "не надіслані зміни" in text and other.read_bytes() == b"another device's package"
    no_modal_dialogs["confirm"].append(True)
    window.exchange.export_package()
    assert read_package(other).header.device_name == "Офіс"


def test_export_cancelled_at_the_device_name_writes_nothing(window, tmp_path, no_modal_dialogs, monkeypatch):
    monkeypatch.setattr("ui.exchange.actions.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "p.trackerpkg"), ""))
    monkeypatch.setattr("ui.exchange.actions.QInputDialog.getText", lambda *a, **k: ("", False))
    window.exchange.export_package()
    assert not (tmp_path / "p.trackerpkg").exists()


def test_an_import_waits_visibly_for_another_programs_write_and_can_be_cancelled(window, tmp_path, no_modal_dialogs):
    """A whole package waits in its worker for the write lock: the dialog says so and offers «Скасувати»."""
    import sqlite3

    from PySide6.QtWidgets import QPushButton

    from tests.ui.test_background import on_gui_thread, visible_progress_dialogs

    office = database.obj.database
    laptop = tmp_path / "laptop.sqlite3"
    backup.backup_to(laptop)
    assert window.database.switch_database(str(laptop))
    save_progress(find_measure(window.plan, "1.1.1"), Q, {"status": "in_progress", "percent": 30}, author="Лаптоп")
    package = export_package(tmp_path / "laptop.trackerpkg", "Старостат Прилуцьке").path
    assert window.database.switch_database(office)
    other = sqlite3.connect(office, timeout=0)  # another program writing to the office database
    other.execute("BEGIN IMMEDIATE")
    seen = []

    def press(button_text_wanted: bool):
        def step():
            shown = [d for d in visible_progress_dialogs() if "Чекаю" in d.labelText()]
            buttons = shown[0].findChildren(QPushButton) if shown else []
            if not buttons:
                return False
            seen.append(shown[0].labelText())
            if button_text_wanted:
                buttons[0].click()
            else:
                other.rollback()
            return True
        return on_gui_thread(step)

    timer = press(True)
    try:
        assert window.exchange.import_package_file(str(package)) is None
    finally:
        timer.stop()
    assert "скасовано" in no_modal_dialogs["messages"][-1][2] and _record(window, "1.1.1") is None
    timer = press(False)  # this time the other program finishes
    no_modal_dialogs["confirm"].append(True)  # the laptop's key, trusted once asked
    try:
        result = window.exchange.import_package_file(str(package))
    finally:
        timer.stop()
        other.close()
    assert result.applied >= 1 and _record(window, "1.1.1").percent == 30
    assert len(seen) == 2 and "База даних зайнята" in seen[0]


def test_a_laptop_s_own_amendment_is_applied_at_the_office_only_when_the_person_says_so(window, tmp_path,
                                                                                         no_modal_dialogs):
    from tests.tracker.plan.test_amendment import amended, remove_and_renumber
    from tracker.plan.amend import apply_file
    from tracker.plan.versions import amendments

    office = database.obj.database
    laptop = tmp_path / "laptop.sqlite3"
    backup.backup_to(laptop)
    assert window.database.switch_database(str(laptop))
    apply_file(amended(tmp_path, remove_and_renumber), decision="рішення ноутбука", effective=Quarter(2026, 1),
               author="Петро")
    package = export_package(tmp_path / "laptop.trackerpkg", "Старостат Прилуцьке").path
    assert window.database.switch_database(office)
    no_modal_dialogs["confirm"].extend([True, False])  # the new device trusted; its amendment: «no»
    result = window.exchange.import_package_file(str(package))
    question = [text for kind, _, text in no_modal_dialogs["messages"] if kind == "confirm"][-1]
    assert "рішення ноутбука" in question and "план вносить офіс" in question
    assert result.plan_amendments == 0 and not amendments(window.plan)
    assert "не застосовано" in no_modal_dialogs["messages"][-1][2]
    no_modal_dialogs["confirm"].append(True)  # taken again, and this time «yes»
    result = window.exchange.import_package_file(str(package))
    assert result.plan_amendments == 1 and not result.plan_amendments_unasked
    assert [a.decision for a in amendments(window.plan)] == ["рішення ноутбука"]
    assert "план оновлено" in no_modal_dialogs["messages"][-1][2]


def test_changes_on_a_laptop_s_own_new_measure_are_kept_aside_and_merged_with_its_amendment(
        window, tmp_path, no_modal_dialogs, screenshot):
    from tests.tracker.exchange.test_plan_changes import LAPTOP_WORDING, _with_measure_117
    from tests.tracker.plan.test_amendment import amended
    from tracker.plan.amend import apply_file

    office = database.obj.database
    laptop = tmp_path / "laptop.sqlite3"
    backup.backup_to(laptop)
    assert window.database.switch_database(str(laptop))
    apply_file(amended(tmp_path, _with_measure_117(LAPTOP_WORDING)), decision="рішення ноутбука",
               effective=Quarter(2026, 1), author="Петро")
    save_progress(find_measure(window.plan, "1.1.7", Quarter(2026, 1)), Quarter(2026, 1),
                  {"status": "in_progress", "percent": 35}, author="Петро")
    package = export_package(tmp_path / "laptop.trackerpkg", "Старостат Прилуцьке").path
    assert window.database.switch_database(office)
    no_modal_dialogs["confirm"].extend([True, False])  # the new device trusted; its amendment: «no»
    result = window.exchange.import_package_file(str(package))
    said = no_modal_dialogs["messages"][-1][2]
    question = [text for kind, _, text in no_modal_dialogs["messages"] if kind == "confirm"][-1]
    assert "крім змін для заходів, яких у плані тут немає (2): їх збережено окремо" in question
    assert result.set_aside == 2 and "Змін для заходів, яких немає в плані цієї бази: 2 (коди на тому пристрої: " \
        "1.1.7)" in said and "Файл → Конфлікти обміну" in said
    window.update_conflicts_badge()
    assert not window.conflicts_button.isHidden()
    assert window.conflicts_button.text() == "⚠ Окремо збережені зміни з пакетів: 2"
    dialog = ConflictsDialog(window.operations, "офіс", window)
    assert not dialog.set_aside.isHidden() and "1.1.7" in dialog.set_aside.text() \
        and "«Старостат Прилуцьке»" in dialog.set_aside.text()
    dialog.show()
    screenshot(dialog, "exchange_set_aside")
    dialog.close()
    no_modal_dialogs["confirm"].append(True)  # taken again, and this time «yes»: the changes kept aside come with it
    result = window.exchange.import_package_file(str(package))
    said = no_modal_dialogs["messages"][-1][2]
    assert result.taken_from_aside == 2 and result.set_aside == 0 and result.applied == 2  # status and percent
    assert "застосовано змін — 2" in said
    assert "Застосовано змін, збережених раніше окремо" in said and "Змін для заходів, яких немає" not in said
    assert quarter_record(find_measure(window.plan, "1.1.7", Quarter(2026, 1)), Quarter(2026, 1)).percent == 35
    assert ConflictsDialog(window.operations, "офіс", window).set_aside.isHidden()
    window.update_conflicts_badge()
    assert window.conflicts_button.isHidden()


def test_a_package_with_all_changes_is_one_menu_step(window, tmp_path, no_modal_dialogs, monkeypatch):
    """For a laptop put back from an older copy of itself: the office sends every change, not only the unconfirmed."""
    from tracker.exchange.package import read_package

    monkeypatch.setattr("ui.exchange.actions.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "full.trackerpkg"), ""))
    monkeypatch.setattr("ui.exchange.actions.QInputDialog.getText", lambda *a, **k: ("Офіс", True))
    import ui.exchange.actions as actions

    made = []
    real = actions.export_package
    monkeypatch.setattr(actions, "export_package", lambda *a, **k: made.append(real(*a, **k)) or made[-1])
    save_progress(find_measure(window.plan, "1.1.1"), Q, {"status": "in_progress", "percent": 30}, author="Оля")
    window.exchange.export_full_action.trigger()
    [result] = made
    assert result.full and len(read_package(tmp_path / "full.trackerpkg").events) == 2
    assert window.exchange.export_full_action in window.menus.file_menu.actions()


def test_changes_kept_aside_are_taken_off_the_list_when_asked_and_confirmed(window, no_modal_dialogs):
    """Entered by hand into the measure here: they stood under the conflicts and in the status bar for good."""
    import json

    from tracker.exchange.aside import set_aside_changes
    from tracker.exchange.merge import DISMISSED, NOT_IN_PLAN
    from tracker.exchange.package import Event
    from tracker.storage.models import PendingEvent

    event = Event("a" * 32, (), "b" * 32, "1.1.7", 2026, 1, "percent", None, "35", "Петро",
                  dt.datetime(2026, 3, 2, 10, 0), "c" * 32, "d" * 32)
    PendingEvent.create(event_uid=event.uid, plan_uid=window.plan.uid, reason=NOT_IN_PLAN,
                        payload=json.dumps(event.to_json()), measure_uid=event.measure_uid, measure_code="1.1.7",
                        device_uid=event.device)
    window.update_conflicts_badge()
    assert not window.conflicts_button.isHidden()
    dialog = ConflictsDialog(window.operations, "офіс", window)
    assert not dialog.dismiss_button.isHidden() and "35 %" in dialog.set_aside.text()
    assert dialog.dismiss_button.nextInFocusChain() is dialog.close_button  # Tab goes as the buttons stand
    no_modal_dialogs["confirm"].append(False)  # asked first: «no» keeps them
    dialog.dismiss_button.click()
    assert set_aside_changes().count == 1
    no_modal_dialogs["confirm"].append(True)
    dialog.dismiss_button.click()
    question = [text for kind, _, text in no_modal_dialogs["messages"] if kind == "confirm"][-1]
    assert "Прибрати з переліку окремо збережені зміни (1, коди: 1.1.7)?" in question
    assert set_aside_changes().count == 0 and dialog.set_aside.isHidden() and dialog.dismiss_button.isHidden()
    assert PendingEvent.get(PendingEvent.event_uid == event.uid).reason == DISMISSED  # kept in the database
    window.update_conflicts_badge()
    assert window.conflicts_button.isHidden()
