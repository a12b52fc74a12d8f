"""A folder of filled-in reports, back from the round: one preview, one transaction, idempotent."""

from __future__ import annotations

import pytest

from tests.helpers import record_of
from tracker.errors import TrackerError
from tracker.progress.tree import load_tree
from tracker.quarters import Quarter
from tracker.report.batch import apply_batch, read_reports, report_files
from tracker.report.round import round_scopes, write_round
from tracker.storage.models import History

from .test_reimport import counts, fill, filled

Q3 = Quarter(2025, 3)
AUTHOR = "Моніторингова група"


@pytest.fixture
def round_folder(plan, tmp_path):
    """The round's files for 2025 Q3 as sent out, of the executors these tests fill in; {executor name: path}."""
    folder = tmp_path / "повернені"
    folder.mkdir()
    wanted = {"Департамент культури", "Департамент освіти", *_shared_measure(plan)[1]}
    done = write_round([s for s in round_scopes(plan, Q3) if s.executor.name in wanted], folder)
    done.listing.unlink()
    return {item.executor: item.path for item in done.files}


def _own_measure(plan, executor: str) -> str:
    return next(m.code for m in load_tree(plan).measures() if m.executors == [executor])


def _shared_measure(plan) -> tuple[str, list[str]]:
    """A measure with two or more responsible executors: it comes back in each of their files."""
    node = next(m for m in load_tree(plan).measures() if len(m.executors) >= 2)
    return node.code, node.executors


def test_a_folder_of_filled_reports_is_written_at_once_and_again_changes_nothing(plan, round_folder, tmp_path):
    culture, education = round_folder["Департамент культури"], round_folder["Департамент освіти"]
    school = _own_measure(plan, "Департамент освіти")
    fill(culture, {"1.4.5": filled("Виконується", 60, note="Проведено конкурс")})
    fill(education, {school: filled("Виконано", 100)})
    damaged = culture.parent / "Звіт_зіпсований.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a workbook")
    (culture.parent / "~$Звіт_2025_3кв_ДК.xlsx").write_bytes(b"Excel's lock file")
    batch = read_reports([culture.parent], plan, expected_quarter=Q3)
    assert len(batch.previews) == len(round_folder) > 2 and [r.file_name for r in batch.refused] == [damaged.name]
    assert batch.measures == 2 and not batch.clashes
    before = counts()
    assert apply_batch(batch, AUTHOR) == 2
    assert record_of("1.4.5", Q3).percent == 60 and record_of(school, Q3).status == "done"
    origins = {h.origin for h in History.select().where(History.changed_by == AUTHOR)}
    assert origins == {culture.name, education.name}
    after = counts()
    assert after != before
    again = read_reports([culture.parent], plan, expected_quarter=Q3)
    assert again.measures == 0 and apply_batch(again, AUTHOR) == 0 and counts() == after


def test_a_shared_measure_filled_differently_is_written_from_neither(plan, round_folder):
    code, executors = _shared_measure(plan)
    first, second = round_folder[executors[0]], round_folder[executors[1]]
    fill(first, {code: filled("Виконується", 40)})
    fill(second, {code: filled("Виконується", 70)})
    batch = read_reports([first, second], plan)
    assert batch.measures == 0 and [c.code for c in batch.clashes] == [code]
    assert first.name in batch.clashes[0].message and second.name in batch.clashes[0].message
    fill(second, {code: filled("Виконується", 40)})  # agreed
    batch = read_reports([first, second], plan)
    assert batch.measures == 1 and not batch.clashes
    assert apply_batch(batch, AUTHOR) == 1 and record_of(code, Q3).percent == 40


def test_a_file_for_another_quarter_is_listed_and_the_others_go_on(plan, round_folder, tmp_path):
    culture = round_folder["Департамент культури"]
    fill(culture, {"1.4.5": filled("Виконується", 60)})
    other = tmp_path / "другий"
    other.mkdir()
    q2 = write_round(round_scopes(plan, Quarter(2025, 2)), other).files[0].path
    batch = read_reports([culture, q2], plan, expected_quarter=Q3)
    assert batch.measures == 1 and any(p.blocked for p in batch.previews)
    assert apply_batch(batch, AUTHOR) == 1


def test_with_no_quarter_chosen_a_file_of_another_quarter_than_the_rest_is_left_out_and_said(plan, round_folder):
    """Last round's file, filled in again and put in this round's folder, went into its own quarter unsaid when the
    command line was given no quarter."""
    import shutil

    culture, education = round_folder["Департамент культури"], round_folder["Департамент освіти"]
    fill(culture, {"1.4.5": filled("Виконується", 60)})
    fill(education, {_own_measure(plan, "Департамент освіти"): filled("Виконано", 100)})
    other = culture.parent.parent / "минулий"
    other.mkdir()
    q2 = write_round([s for s in round_scopes(plan, Quarter(2025, 2)) if s.executor.name == "Департамент культури"],
                     other).files[0].path
    fill(q2, {"1.4.5": filled("Виконується", 30)})
    old = shutil.copyfile(q2, culture.parent / ("Старий_" + q2.name))
    batch = read_reports([culture.parent], plan)
    [blocked] = [p for p in batch.previews if p.blocked]
    assert blocked.file_name == old.name
    assert "більшість вибраних звітів — за III кв. 2025" in blocked.problems[-1].message
    assert apply_batch(batch, AUTHOR) == 2 and record_of("1.4.5", Quarter(2025, 2)) is None
    # one file of each quarter: which is this round's is not guessed (the later one was taken)
    tied = read_reports([culture, old], plan)
    assert all(p.blocked for p in tied.previews) and batch.measures and not tied.measures
    assert "порівну за кожен" in tied.previews[0].problems[-1].message


def test_a_reply_in_another_format_or_a_folder_within_is_listed_not_left_out_unsaid(plan, round_folder):
    """Only .xlsx files were read from a folder: a department's reply saved as .xls, .ods or .csv — its whole
    update — was left out without a word, and so was an .xlsm that imports by itself, and a folder within."""
    import shutil

    culture = round_folder["Департамент культури"]
    folder = culture.parent
    fill(culture, {"1.4.5": filled("Виконується", 60)})
    macro = shutil.copyfile(culture, folder / "Звіт_ДК_з_макросами.xlsm")
    culture.unlink()
    (folder / "Звіт_ДО.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (folder / "Звіт_ВТ.csv").write_text("1.4.5;Виконується;60\n", encoding="utf-8")
    (folder / "Розсилка_2025_3кв.csv").write_text("the round's own list of files\n", encoding="utf-8")
    (folder / "Лист_ДК.eml").write_text("a letter\n", encoding="utf-8")
    (folder / "минулий квартал").mkdir()
    # …and every other file of the folder is named, but the round's own and Excel's lock files
    (folder / "Скан листа.pdf").write_bytes(b"%PDF-1.4")
    shutil.copyfile(macro, folder / "Звіт_ДЖКГ")  # saved with no extension: read, a workbook by its bytes
    shutil.copyfile(macro, folder / "~$Звіт_ДК_копія.xlsx")  # a workbook saved under a lock file's name: read
    (folder / "~$Звіт_ДО.xlsx").write_bytes(b"lock" * 40)
    import zipfile
    with zipfile.ZipFile(folder / "Звіт_УОЗ.xlsb", "w") as binary:
        binary.writestr("[Content_Types].xml", "<Types/>")
        binary.writestr("xl/workbook.bin", b"\x00" * 16)
    batch = read_reports([folder], plan, expected_quarter=Q3)
    assert {macro.name, "~$Звіт_ДК_копія.xlsx", "Звіт_ДЖКГ"} <= {p.file_name for p in batch.previews}
    assert batch.measures == 1
    refused = {r.file_name: r.message for r in batch.refused}
    assert set(refused) == {"Звіт_ДО.xls", "Звіт_ВТ.csv", "минулий квартал", "Звіт_УОЗ.xlsb"}
    assert "збережіть як .xlsx" in refused["Звіт_ВТ.csv"] and "тека" in refused["минулий квартал"]
    assert "двійкова книга Excel (.xlsb)" in refused["Звіт_УОЗ.xlsb"]
    assert {r.file_name for r in batch.skipped} == {"Скан листа.pdf"}


def test_nothing_to_read_is_said_and_a_file_named_twice_is_read_once(tmp_path):
    with pytest.raises(TrackerError, match=".xlsx"):
        report_files([tmp_path])
    (tmp_path / "a.xlsx").touch()
    assert report_files([tmp_path, tmp_path / "a.xlsx"]) == [tmp_path / "a.xlsx"]


def test_a_failure_while_writing_writes_nothing(plan, round_folder, monkeypatch):
    from tracker.report import batch as batch_module

    fill(round_folder["Департамент культури"], {"1.4.5": filled("Виконується", 60)})
    fill(round_folder["Департамент освіти"], {_own_measure(plan, "Департамент освіти"): filled("Виконано", 100)})
    batch = read_reports(list(round_folder.values()), plan)
    calls = []

    def fail_second(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise TrackerError("диск від'єднано")
        return real(*args, **kwargs)

    real = batch_module.write_changes
    monkeypatch.setattr(batch_module, "write_changes", fail_second)
    before = counts()
    with pytest.raises(TrackerError):
        apply_batch(batch, AUTHOR)
    assert counts() == before  # one transaction: the first measure rolled back too
