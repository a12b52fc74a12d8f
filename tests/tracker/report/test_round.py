"""The collection round: a report for every responsible executor, in one folder, with a list."""

from __future__ import annotations

import csv
import datetime as dt
import email
import email.policy
import re

import openpyxl
import pytest

from tracker.errors import TrackerError
from tracker.plan.contacts import Contact, set_contact
from tracker.plan.executors import find_executor
from tracker.progress.overview import executor_progress
from tracker.progress.records import find_measure, save_progress
from tracker.progress.tree import load_tree
from tracker.quarters import Quarter
from tracker.report import layout as L
from tracker.report.drafts import default_deadline
from tracker.report.round import file_names, listing_name, round_scopes, write_round
from tracker.text import ukrainian_sort_key

Q3 = Quarter(2025, 3)


def test_every_executor_gets_its_own_report_and_the_list_names_them(plan, tmp_path):
    save_progress(find_measure(plan, "1.2.8"), Q3, {"status": "in_progress", "percent": 30}, author="t")
    expected = executor_progress(load_tree(plan, Q3))
    steps = []
    done = write_round(round_scopes(plan, Q3), tmp_path, progress=lambda n, total: steps.append((n, total)))
    assert len(done.files) == len(expected) == len({f.path for f in done.files})
    assert steps[-1] == (len(expected), len(expected))
    names = [f.executor for f in done.files]
    assert names == sorted(names, key=ukrainian_sort_key)
    for item, row in zip(done.files, expected):
        book = openpyxl.load_workbook(item.path, read_only=True)
        meta = {k: v for k, v in book[L.META_SHEET].iter_rows(max_col=2, values_only=True)}
        codes = [r[0] for r in book[L.REPORT_SHEET].iter_rows(min_row=L.FIRST_DATA_ROW, values_only=True)
                 if isinstance(r[0], str) and re.fullmatch(r"\d+\.\d+\.\d+", r[0])]
        book.close()
        assert meta["department"] == row.name == item.executor and (meta["year"], meta["quarter"]) == ("2025", "3")
        assert len(codes) == row.measures == item.measures
    with open(done.listing, encoding="utf-8-sig", newline="") as handle:
        listed = list(csv.reader(handle, delimiter=";"))
    assert done.listing.name == listing_name(Q3) and listed[0] == ["Виконавець", "Файл", "Заходів", "E-mail", "Лист"]
    assert [(r[0], r[1], int(r[2])) for r in listed[1:]] == [(f.executor, f.path.name, f.measures) for f in done.files]
    assert not any(f.draft for f in done.files) and not list(tmp_path.glob("*.eml"))  # no addresses: no letters


def test_an_executor_with_an_address_gets_a_ready_unsent_letter_with_its_report(plan, tmp_path):
    culture = find_executor("Департамент культури")
    assert set_contact(culture, Contact("Олена Ковальчук", "Culture@LutskRada.gov.ua", "+380 332 77-77-77"))
    done = write_round(round_scopes(plan, Q3), tmp_path, deadline=dt.date(2025, 10, 15))
    letters = [f for f in done.files if f.draft]
    assert [f.executor for f in letters] == ["Департамент культури"] and len(list(tmp_path.glob("*.eml"))) == 1
    item = letters[0]
    message = email.message_from_bytes(item.draft.read_bytes(), policy=email.policy.default)
    assert message["To"] == "culture@lutskrada.gov.ua" and message["X-Unsent"] == "1"
    assert "III кв. 2025" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "Олена Ковальчук" in body and "15.10.2025" in body
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == item.path.name and attachment.get_content() == item.path.read_bytes()
    with open(done.listing, encoding="utf-8-sig", newline="") as handle:
        row = next(r for r in csv.reader(handle, delimiter=";") if r[0] == "Департамент культури")
    assert row[3:] == ["culture@lutskrada.gov.ua", item.draft.name]
    assert default_deadline(Q3, today=dt.date(2025, 10, 1)) == dt.date(2025, 10, 10)


@pytest.mark.parametrize("quarter, today, deadline", [
    (Quarter(2025, 3), dt.date(2025, 10, 1), dt.date(2025, 10, 10)),  # a Friday: the 10th as the council asks
    (Quarter(2025, 2), dt.date(2025, 7, 1), dt.date(2025, 7, 10)),
    (Quarter(2025, 4), dt.date(2026, 1, 2), dt.date(2026, 1, 12)),  # the 10th is a Saturday: the Monday
    (Quarter(2025, 1), dt.date(2025, 4, 1), dt.date(2025, 4, 10)),
    (Quarter(2025, 3), dt.date(2025, 10, 10), dt.date(2025, 10, 17)),  # sent on the day: a week from then
    (Quarter(2025, 3), dt.date(2026, 11, 27), dt.date(2026, 12, 4)),  # a quarter long past: a week from today
    (Quarter(2025, 3), dt.date(2026, 11, 28), dt.date(2026, 12, 7)),  # a week on is a Saturday: the Monday
])
def test_the_deadline_suggested_is_a_working_day_still_to_come(quarter, today, deadline):
    """The letters had asked for reports back by a day already gone, or by a Sunday."""
    assert default_deadline(quarter, today=today) == deadline
    assert deadline > today and deadline.weekday() < 5


def test_a_folder_with_this_rounds_files_is_refused_and_nothing_is_overwritten(plan, tmp_path):
    scopes = round_scopes(plan, Q3)
    folder = tmp_path / "розсилка"
    folder.mkdir()
    returned = folder / file_names(scopes)[3]
    returned.write_bytes(b"filled in by the department")
    with pytest.raises(TrackerError, match=re.escape(returned.name)):
        write_round(scopes, folder)
    assert returned.read_bytes() == b"filled in by the department"
    assert [p.name for p in folder.iterdir()] == [returned.name]  # nothing else written
    with pytest.raises(TrackerError, match="Теки"):
        write_round(scopes, folder / "немає")


def test_two_executors_with_one_short_name_get_two_files(plan):
    scopes = round_scopes(plan, Q3)[:2]
    for scope in scopes:
        scope.executor.short_name = "ДЕП"  # in memory only: two departments abbreviated alike
    assert file_names(scopes) == ["Звіт_2025_3кв_ДЕП.xlsx", "Звіт_2025_3кв_ДЕП (2).xlsx"]
    assert find_executor(scopes[0].executor.name).short_name != "ДЕП"  # the directory is untouched


def test_a_return_date_before_the_quarter_ends_is_refused(plan, tmp_path):
    with pytest.raises(TrackerError, match="до кінця кварталу"):
        write_round(round_scopes(plan, Q3), tmp_path, deadline=dt.date(2025, 9, 1))
    assert not list(tmp_path.glob("*.xlsx"))
