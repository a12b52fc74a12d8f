"""Звіт menu: export with presets from the view and a worker thread; import with a preview."""

import openpyxl
import pytest

from tests.helpers import record_of
from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from tracker.report import layout as L
from tracker.storage.models import History, Progress
from ui.report.export_dialog import ExportDialog

Q = Quarter(2025, 2)


@pytest.fixture
def export_dialog(window, tmp_path, qtbot):
    window.settings.setValue("report/folder", str(tmp_path))
    window.set_quarter(Q)
    culture = window.filter_bar.executor_combo.findText("Департамент культури")
    window.filter_bar.executor_combo.setCurrentIndex(culture)
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    return dialog


def test_export_dialog_is_preset_from_the_view(export_dialog, tmp_path):
    assert export_dialog.quarter() == Q
    assert export_dialog.executor().name == "Департамент культури"
    assert export_dialog.path_edit.text() == str(tmp_path / "Звіт_2025_2кв_ДК.xlsx")
    export_dialog.executor_combo.setCurrentIndex(0)
    assert export_dialog.path_edit.text() == str(tmp_path / "Звіт_2025_2кв.xlsx")


def test_export_runs_in_a_worker_and_offers_to_open(export_dialog, qtbot, no_modal_dialogs, tmp_path, plan):
    save_progress(find_measure(plan, "4.3.1"), Q, {"status": "in_progress", "percent": 35}, author="t")
    seen = []
    export_dialog.start()
    assert export_dialog.thread is not None
    export_dialog.thread.progressed.connect(lambda done, total: seen.append((done, total)))
    qtbot.waitUntil(lambda: export_dialog.written is not None, timeout=10000)
    path = tmp_path / "Звіт_2025_2кв_ДК.xlsx"
    assert export_dialog.written == str(path) and path.exists()
    sheet = openpyxl.load_workbook(path)[L.REPORT_SHEET]
    codes = [sheet.cell(r, 1).value for r in range(L.FIRST_DATA_ROW, sheet.max_row + 1)]
    assert "4.3.1" in codes and "1.1.1" not in codes
    assert ("open_report", "", str(path)) in no_modal_dialogs["messages"]
    assert export_dialog.progress.maximum() == 27


def test_export_failure_is_reported_and_nothing_written(export_dialog, qtbot, no_modal_dialogs, tmp_path):
    target = tmp_path / "blocked.xlsx"
    target.mkdir()  # a folder where the file should go
    export_dialog.path_edit.setText(str(target))
    export_dialog.start()
    qtbot.waitUntil(lambda: any(m[0] == "warning" for m in no_modal_dialogs["messages"]), timeout=10000)
    assert export_dialog.written is None and export_dialog.export_button.isEnabled()
    assert target.is_dir()


def _fill(path, values_by_code):
    book = openpyxl.load_workbook(path)
    sheet = book[L.REPORT_SHEET]
    rows = {sheet.cell(r, 1).value: r for r in range(L.FIRST_DATA_ROW, sheet.max_row + 1)}
    for code, cells in values_by_code.items():
        for column, value in cells.items():
            sheet.cell(rows[code], column).value = value
    book.save(path)


def _export(window, tmp_path, qtbot):
    from tracker.report.export import export_report

    return export_report(window.plan, Q, tmp_path / "Звіт_2025_2кв.xlsx")


def test_import_shows_preview_and_writes_only_on_confirm(window, tmp_path, qtbot, no_modal_dialogs):
    window.set_quarter(Q)
    path = _export(window, tmp_path, qtbot)
    _fill(path, {"1.1.1": {L.COL_STATUS: "Виконується", L.COL_PERCENT: "75 %", L.COL_NOTE: "Підписано угоду "},
                 "1.1.2": {L.COL_STATUS: "Виконано", L.COL_PERCENT: 60}})
    shown = []

    def decline(dialog):
        shown.append(dialog)
        return False

    no_modal_dialogs["on_dialog"] = decline
    before = History.select().count()
    assert window.reports.import_report_file(str(path)) == 0
    dialog = shown[0]
    assert dialog.changes_table.rowCount() >= 3
    assert dialog.problems_table.rowCount() == 1 and "100" in dialog.problems_table.item(0, 2).text()
    assert dialog.problems_table.item(0, 0).text() == path.name
    assert dialog.apply_button.isEnabled()
    assert History.select().count() == before  # declined: nothing written
    no_modal_dialogs["on_dialog"] = lambda dialog: True
    assert window.reports.import_report_file(str(path)) == 1
    record = record_of("1.1.1", Q)
    assert (record.status, record.percent, record.note) == ("in_progress", 75, "Підписано угоду")
    assert History.select().where(History.origin == "Звіт_2025_2кв.xlsx").count() >= 3
    index = window.model.index_of_measure(record.measure_id)
    assert window.model.index(index.row(), 3, index.parent()).data() == "Виконується"  # the tree reloaded


def test_each_problem_is_read_whole_and_the_preview_fits_the_screen(window, tmp_path, qtbot, no_modal_dialogs):
    """A problem was cut at two lines, the rest (what to do) only in a mouse's tooltip; the dialog was 600 px tall,
    more than 1366×768 at 125 % leaves above the taskbar."""
    from PySide6.QtCore import QRect, Qt

    window.set_quarter(Q)
    path = _export(window, tmp_path, qtbot)
    _fill(path, {code: {L.COL_STATUS: "Виконано", L.COL_PERCENT: 60} for code in ("1.1.1", "1.1.2", "1.1.3")})
    shown = []
    no_modal_dialogs["on_dialog"] = lambda dialog: shown.append(dialog) and False
    window.reports.import_report_file(str(path))
    dialog = shown[0]
    qtbot.addWidget(dialog)
    dialog.resize(520, 400)  # narrow: each problem takes several lines
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.problems_table
    assert table.rowCount() == 3
    width = table.columnWidth(2) - 8
    for row in range(table.rowCount()):
        text = table.item(row, 2).text()
        needed = table.fontMetrics().boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text).height()
        assert needed > 2 * table.fontMetrics().lineSpacing() and table.rowHeight(row) >= needed, text
    available = dialog.screen().availableGeometry()  # the offscreen screen: 800×600
    fresh = type(dialog)(dialog.batch, window)  # as it first opens
    qtbot.addWidget(fresh)
    assert fresh.height() <= 0.92 * available.height() and fresh.width() <= 0.95 * available.width()


def test_a_long_notes_change_is_shown_where_it_is_not_by_the_notes_same_beginning(window, tmp_path, qtbot,
                                                                                   no_modal_dialogs):
    from tests.helpers import long_text
    from tracker.progress.records import find_measure, save_progress

    note = long_text(400)
    save_progress(find_measure(window.plan, "1.1.1"), Q, {"status": "in_progress", "percent": 40, "note": note},
                  author="t")
    window.set_quarter(Q)
    path = _export(window, tmp_path, qtbot)
    book = openpyxl.load_workbook(path)
    sheet = book[L.REPORT_SHEET]
    first = next(r for r in range(L.FIRST_DATA_ROW, sheet.max_row + 1) if sheet.cell(r, 1).value == "1.1.1")
    last = first
    while str(sheet.cell(last + 1, 1).value or "").startswith("1.1.1 прод."):
        last += 1
    assert last > first  # the note goes on in rows under the measure's
    sheet.cell(last, L.COL_NOTE).value = sheet.cell(last, L.COL_NOTE).value.replace(" ", " ЗМІНА ", 1)
    book.save(path)
    shown = []
    no_modal_dialogs["on_dialog"] = lambda dialog: shown.append(dialog) and False
    window.reports.import_report_file(str(path))
    table = shown[0].changes_table
    was, will = table.item(0, 4), table.item(0, 5)
    assert "ЗМІНА" in will.text() and "ЗМІНА" not in was.text() and will.text().startswith("…")
    assert "символів" in will.text() and "\n" not in will.text()  # how long, on one line
    assert "ЗМІНА" in will.toolTip() and len(will.toolTip()) < 1400
    assert max(len(line) for line in will.toolTip().split("\n")) <= 100  # a tooltip of lines, not one screen-wide


def test_a_report_for_another_quarter_offers_to_go_to_its_quarter(window, tmp_path, qtbot, no_modal_dialogs):
    """The window on III кв., the file for II кв.: the preview refused the whole file, and the clerk had to cancel,
    switch quarter and choose the file again."""
    window.set_quarter(Q)
    path = _export(window, tmp_path, qtbot)
    _fill(path, {"1.1.1": {L.COL_STATUS: "Виконується", L.COL_PERCENT: 75}})
    window.set_quarter(Quarter(2025, 3))
    shown = []
    no_modal_dialogs["on_dialog"] = lambda dialog: shown.append(dialog) and False
    assert window.reports.import_report_file(str(path)) == 0  # «no»: the window stays, the preview says why
    kind, _, question = no_modal_dialogs["messages"][-1]
    assert kind == "ask" and "звіт за II кв. 2025, а у вікні — III кв. 2025" in question
    assert window.quarter == Quarter(2025, 3) and not shown[-1].apply_button.isEnabled()
    no_modal_dialogs["confirm"] = [True]  # «yes», and then the preview cancelled: back where the clerk was, or the
    assert window.reports.import_report_file(str(path)) == 0  # next report typed would go into II кв.
    assert window.quarter == Quarter(2025, 3) and record_of("1.1.1", Q) is None
    no_modal_dialogs["confirm"] = [True]
    no_modal_dialogs["on_dialog"] = lambda dialog: True
    assert window.reports.import_report_file(str(path)) == 1
    assert window.quarter == Q and record_of("1.1.1", Q).percent == 75


def test_import_of_a_hostile_file_is_refused_with_a_message(window, tmp_path, no_modal_dialogs):
    path = tmp_path / "звіт.xlsx"
    path.write_text("№;Завдання\n1.1.1;=cmd|' /C calc'!A0\n", encoding="utf-8")
    before = (Progress.select().count(), History.select().count())
    assert window.reports.import_report_file(str(path)) == 0
    kind, title, text = no_modal_dialogs["messages"][-1]
    assert kind == "warning" and "звіт.xlsx" in text
    assert (Progress.select().count(), History.select().count()) == before


def test_export_over_an_existing_file_asks_and_can_keep_it(export_dialog, qtbot, no_modal_dialogs, tmp_path):
    from ui import dialogs

    filled = tmp_path / "Звіт_2025_2кв_ДК.xlsx"
    filled.write_bytes(b"already filled in by the department")
    export_dialog.start()  # the question is answered «Скасувати»: nothing written
    assert no_modal_dialogs["messages"][-1][0] == "overwrite" and export_dialog.thread is None
    assert filled.read_bytes() == b"already filled in by the department"
    no_modal_dialogs["overwrite"].append(dialogs.OTHER_NAME)
    export_dialog.start()
    qtbot.waitUntil(lambda: export_dialog.written is not None, timeout=10000)
    assert export_dialog.written == str(tmp_path / "Звіт_2025_2кв_ДК (2).xlsx")
    assert filled.read_bytes() == b"already filled in by the department"  # the filled copy is kept


def test_export_into_a_missing_folder_is_refused_not_created(export_dialog, no_modal_dialogs, tmp_path):
    export_dialog.path_edit.setText(str(tmp_path / "немає" / "звіт.xlsx"))
    export_dialog.start()
    assert no_modal_dialogs["messages"][-1][0] == "warning" and "немає" in no_modal_dialogs["messages"][-1][2]
    assert not (tmp_path / "немає").exists() and export_dialog.thread is None


def test_open_file_says_so_when_no_program_opens_xlsx(export_dialog, no_modal_dialogs, monkeypatch, tmp_path):
    from PySide6.QtGui import QDesktopServices

    from ui import dialogs

    monkeypatch.setattr(dialogs, "ask_open_report", lambda parent, path: dialogs.OPEN_FILE)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    export_dialog.offer_to_open(str(tmp_path / "звіт.xlsx"))
    kind, title, text = no_modal_dialogs["messages"][-1]
    assert kind == "information" and "немає програми" in text and "звіт.xlsx" in text


def test_the_round_writes_every_executors_report_with_a_progress_bar(window, qtbot, no_modal_dialogs, tmp_path,
                                                                       monkeypatch):
    from ui import dialogs
    from ui.report.round_dialog import RoundDialog

    asked = []
    monkeypatch.setattr(dialogs, "ask_show_folder", lambda parent, title, text: asked.append(text) or False)
    folder = tmp_path / "розсилка"
    folder.mkdir()
    window.set_quarter(Q)
    assert window.menus.report_menu.actions()[-1] is window.reports.round_action
    dialog = RoundDialog(window)
    qtbot.addWidget(dialog)
    dialog.folder_edit.setText(str(folder))
    dialog.start()
    assert not dialog.progress.isHidden() and not dialog.start_button.isEnabled()  # working, not twice
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=60000)
    files = sorted(p.name for p in folder.glob("*.xlsx"))
    assert len(files) == len(dialog.written.files) == dialog.progress.maximum() == dialog.progress.value() > 30
    assert asked and f"{len(files)} файлів" in asked[0]
    assert window.settings.value("report/round_folder") == str(folder)
    again = RoundDialog(window)  # the folder is remembered, and a second round there is refused
    qtbot.addWidget(again)
    assert again.folder_edit.text() == str(folder)
    again.start()
    qtbot.waitUntil(lambda: any(m[0] == "warning" for m in no_modal_dialogs["messages"]), timeout=10000)
    assert "уже є файли цієї розсилки" in no_modal_dialogs["messages"][-1][2]
    assert sorted(p.name for p in folder.glob("*.xlsx")) == files


def test_a_folder_of_returned_reports_is_previewed_and_written_at_once(window, tmp_path, qtbot, no_modal_dialogs,
                                                                         monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from tracker.report.round import round_scopes, write_round

    window.set_quarter(Q)
    folder = tmp_path / "повернені"
    folder.mkdir()
    wanted = ("Департамент культури", "Департамент освіти")
    scopes = [s for s in round_scopes(window.plan, Q) if s.executor.name in wanted]
    files = {item.executor: item.path for item in write_round(scopes, folder).files}
    (folder / "зіпсований.xlsx").write_bytes(b"not a workbook")
    _fill(files["Департамент культури"], {"1.4.5": {L.COL_STATUS: "Виконується", L.COL_PERCENT: 55}})
    education = next(m.code for m in window.model.tree.measures() if m.executors == ["Департамент освіти"])
    _fill(files["Департамент освіти"], {education: {L.COL_STATUS: "Виконано", L.COL_PERCENT: 100}})
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(folder))
    shown = []
    no_modal_dialogs["on_dialog"] = lambda dialog: shown.append(dialog) or True
    window.reports.import_folder_action.trigger()
    dialog = shown[0]
    assert {dialog.changes_table.item(r, 0).text() for r in range(dialog.changes_table.rowCount())} == {
        files["Департамент культури"].name, files["Департамент освіти"].name}
    assert dialog.problems_table.item(0, 0).text() == "зіпсований.xlsx"
    assert record_of("1.4.5", Q).percent == 55 and record_of(education, Q).status == "done"


@pytest.mark.parametrize("start", ["export_report", "send_out"])
def test_a_report_made_with_changes_still_in_the_form_asks_to_save_them_first(window, select, no_modal_dialogs,
                                                                             start):
    """The report is of what is saved: made with a status typed and not saved, it said «Не подано» for the measure the
    window showed filled in, and nothing told the clerk."""
    from ui import dialogs

    window.set_quarter(Q)
    select(window, "1.2.2")
    editor = window.panel.editor
    editor.status_combo.setCurrentIndex(editor.status_combo.findData("in_progress"))
    editor.percent_spin.setValue(30)
    no_modal_dialogs["answers"] = [dialogs.CANCEL]
    getattr(window.reports, start)()
    assert no_modal_dialogs["asked"] == ["1.2.2"] and no_modal_dialogs["dialogs"] == [] and editor.dirty
    no_modal_dialogs["answers"] = [dialogs.SAVE]
    getattr(window.reports, start)()
    assert record_of("1.2.2", Q).percent == 30 and not editor.dirty
    assert [type(d).__name__ for d in no_modal_dialogs["dialogs"]] == [
        "ExportDialog" if start == "export_report" else "RoundDialog"]
