"""Exchange across an amendment of the plan: measures named by uid, old-format packages by the first version's code,
and the office's amendments travelling to laptops with its packages."""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path

import pytest

from tests.tracker.exchange.exchange_devices import nothing_changes, signing_key
from tests.tracker.exchange.test_sync import send
from tests.tracker.plan.test_amend import remove_113_then_bring_it_back
from tests.tracker.plan.test_amendment import amended, remove_and_renumber, row
from tracker.cli.commands import main as cli_main
from tracker.exchange import package as P
from tracker.exchange.package import PackageError
from tracker.exchange.aside import set_aside_changes, set_aside_values
from tracker.exchange.merge import NOT_IN_PLAN
from tracker.exchange.sync import (
    export_package,
    import_package,
    list_conflicts,
    same_text,
    unasked_text,
)
from tracker.exchange.trust import UnsignedPackage
from tracker.plan.amend import apply_file
from tracker.plan.store import current_plan
from tracker.plan.versions import amendments
from tracker.progress.records import draft_values, find_measure, save_progress
from tracker.progress.tree import load_tree
from tracker.quarters import Quarter
from tracker.storage.device import this_device
from tracker.storage.models import History, Measure, PendingEvent, Progress

Q4_2025, Q1_2026 = Quarter(2025, 4), Quarter(2026, 1)
DECISION = "рішення міської ради від 25.02.2026 № 71/14"


def amend(folder: Path) -> None:
    apply_file(amended(folder, remove_and_renumber), decision=DECISION, effective=Q1_2026, author="Оля")


def percent(uid: str, quarter: Quarter):
    record = (Progress.select().join(Measure).where((Measure.uid == uid) & (Progress.year == quarter.year)
                                                    & (Progress.quarter == quarter.number)).first())
    return None if record is None else record.percent


def uids(*codes, quarter=Q4_2025) -> list[str]:
    return [find_measure(current_plan(), code, quarter).uid for code in codes]


def test_a_laptop_behind_the_office_reports_onto_the_right_measures(office, laptop, tmp_path):
    with office:
        old_113, old_114 = uids("1.1.3", "1.1.4")
        amend(tmp_path)
    with laptop:  # still the plan before the decision: 1.1.3 and 1.1.4 are the old ones, for every quarter
        save_progress(find_measure(current_plan(), "1.1.4", Q1_2026), Q1_2026, {"status": "in_progress",
                                                                               "percent": 70}, author="Петро")
        save_progress(find_measure(current_plan(), "1.1.3", Q4_2025), Q4_2025, {"status": "in_progress",
                                                                               "percent": 20}, author="Петро")
    result = send(laptop, office, tmp_path)
    assert result.applied == 4 and not result.set_aside
    with office:
        assert percent(old_114, Q1_2026) == 70 and find_measure(current_plan(), "1.1.3", Q1_2026).uid == old_114
        assert percent(old_113, Q4_2025) == 20  # the removed measure keeps what was reported before it went


def _as_format_1(path: Path) -> Path:
    """The package as a laptop on the previous program writes it: version 1, measures by code only."""
    document = json.loads(gzip.decompress(path.read_bytes()))
    body = {k: v for k, v in document.items() if k not in ("signature", "plan_amendments")}
    body["version"] = 1
    body["header"]["device"].pop("key")
    laptop_uid = body["header"]["device"]["uid"]
    body["header"]["device"]["uid"] = "f" * 32  # a laptop still on 0.2: never trusted (trust came with signing)
    for event in body["events"]:
        event.pop("measure_uid")
        if event["site"] == laptop_uid:  # its own changes, made under its own uid
            event["site"] = "f" * 32
    target = path.with_name("old-format.pkg")
    target.write_bytes(gzip.compress(json.dumps(dict(body, checksum=P.checksum(body))).encode()))
    return target


def test_a_package_of_the_previous_format_resolves_codes_through_the_first_version(office, laptop, tmp_path):
    with office:
        old_114, old_115 = uids("1.1.4", "1.1.5")
        amend(tmp_path)
    with laptop:
        save_progress(find_measure(current_plan(), "1.1.4"), Q1_2026, {"status": "in_progress", "percent": 70},
                      author="Петро")
        save_progress(find_measure(current_plan(), "1.1.5"), Q1_2026, {"status": "in_progress", "percent": 15},
                      author="Петро")
        export_package(tmp_path / "laptop.pkg", "laptop")
    old = _as_format_1(tmp_path / "laptop.pkg")
    assert P.read_package(old).version == 1 and not P.read_package(old).signed
    with office:
        with pytest.raises(UnsignedPackage, match="без підпису"):
            import_package(old, "Оля")  # not without a person saying so: an unsigned file could be anyone's
        result = import_package(old, "Оля", allow_unsigned=True)
        assert result.applied == 4
        assert percent(old_114, Q1_2026) == 70 and percent(old_115, Q1_2026) == 15  # not 1.1.4 and 1.1.5 of today


def test_the_office_amendment_reaches_laptops_with_its_package(office, laptop, standalone, tmp_path):
    with office:
        amend(tmp_path)
        save_progress(find_measure(current_plan(), "1.1.3", Q1_2026), Q1_2026, {"status": "in_progress",
                                                                               "percent": 50}, author="Оля")
        export_package(tmp_path / "office.pkg", "office")
        office_codes = {m.uid: m.code for m in load_tree(current_plan(), Q1_2026).measures()}
    for device in (laptop, standalone):  # a file copy of the office database, and one set up on its own
        with device:
            # the laptop is a copy of the office's database: takes its amendments by itself; the other, when asked
            result = import_package(tmp_path / "office.pkg", "Петро", plan_changes=device is standalone)
            assert result.plan_amendments == 1 and result.applied == 2
            [record] = amendments(current_plan())
            assert (record.decision, Quarter.from_index(record.effective), record.applied_by) == (DECISION, Q1_2026,
                                                                                                   "Оля")
            assert {m.uid: m.code for m in load_tree(current_plan(), Q1_2026).measures()} == office_codes
            assert load_tree(current_plan(), Q4_2025).measures()[2].title.startswith("Удосконалення дуальної")
            with nothing_changes():
                again = import_package(tmp_path / "office.pkg", "Петро")
            assert not again.changed and len(amendments(current_plan())) == 1
    result = send(laptop, office, tmp_path)  # the office's own amendment, back from the laptop: known
    assert result.plan_amendments == 0


def test_an_amendment_from_a_device_this_database_is_no_copy_of_waits_for_a_person(office, laptop, tmp_path,
                                                                                   capsys):
    """A laptop's own amendment (half the plan cut) reached the office in its package and was applied there unasked,
    back-dated, and went on to every laptop; the office amends the plan."""
    with laptop:
        amend(tmp_path)
        save_progress(find_measure(current_plan(), "1.1.3", Q1_2026), Q1_2026, {"status": "in_progress",
                                                                               "percent": 50}, author="Петро")
        export_package(tmp_path / "laptop.pkg", "laptop")
    with office:
        [moved] = uids("1.1.4")  # the laptop's 1.1.3 in 2026: the office's 1.1.4
        result = import_package(tmp_path / "laptop.pkg", "Оля")
        assert result.plan_amendments == 0 and result.plan_amendments_unasked == (DECISION,)
        assert not amendments(current_plan()) and len(load_tree(current_plan(), Q1_2026).measures()) == 233
        assert percent(moved, Q1_2026) == 50  # the progress merged, onto the measure it was made for
        assert "не застосовано: план вносить офіс" in unasked_text(result)
    assert cli_main(["--db", str(office.path), "exchange", "import", str(tmp_path / "laptop.pkg"),
                     "--plan-changes"]) == 0
    assert "з пакетом прийшли зміни до плану: 1" in capsys.readouterr().out
    with office:
        assert len(amendments(current_plan())) == 1 and find_measure(current_plan(), "1.1.3", Q1_2026).uid == moved


def _second_laptop(office, laptop, tmp_path):
    """Another laptop set up from a copy of the office's file (closed: whole by itself), trusting and trusted by the
    office and the first laptop."""
    from tests.tracker.exchange.exchange_devices import introduce

    other = office.copy_to("laptop2", tmp_path / "laptop2.sqlite3")
    introduce(office, laptop, other)
    return other


def _office_amendment_passed_on_by(laptop, office, tmp_path) -> str:
    """The office amends the plan; the laptop takes it from the office's package and passes it on in its own
    («laptop.pkg»). Returns the office's device uid."""
    with office:
        office_uid = this_device().uid
        amend(tmp_path)
        export_package(tmp_path / "office.pkg", "office")
    with laptop:
        assert import_package(tmp_path / "office.pkg", "Петро").plan_amendments == 1
        assert amendments(current_plan())[0].made_on == office_uid
        export_package(tmp_path / "laptop.pkg", "laptop")
    return office_uid


def test_the_office_amendment_passed_on_by_another_copy_is_taken_by_itself(office, laptop, tmp_path):
    """Where an amendment was made travels with it, signed there: a laptop set up from the office's file takes the
    office's amendment by itself from another such laptop that passes it on."""
    other = _second_laptop(office, laptop, tmp_path)
    office_uid = _office_amendment_passed_on_by(laptop, office, tmp_path)
    with other:
        result = import_package(tmp_path / "laptop.pkg", "Марія")
        assert result.plan_amendments == 1 and not result.plan_amendments_unasked
        assert amendments(current_plan())[0].made_on == office_uid


def test_a_laptop_s_amendment_the_office_allowed_reaches_the_other_laptops_as_the_office_s(office, laptop, tmp_path):
    """Allowed at the office, a laptop's amendment went on as the laptop's: every other laptop listed it as not
    applied, and the office's next amendment, made on top of it, as made on another version — for good."""
    other = _second_laptop(office, laptop, tmp_path)
    with laptop:
        amend(tmp_path)
        export_package(tmp_path / "laptop.pkg", "laptop")
    with office:
        office_uid = this_device().uid
        assert import_package(tmp_path / "laptop.pkg", "Оля", plan_changes=True).plan_amendments == 1
        assert amendments(current_plan())[0].made_on == office_uid  # taken on the office's authority
        export_package(tmp_path / "office.pkg", "office")
    with other:
        result = import_package(tmp_path / "office.pkg", "Марія")
        assert result.plan_amendments == 1 and not result.plan_amendments_unasked


def test_an_amendment_signed_by_an_office_no_longer_trusted_is_not_taken_unasked(office, laptop, tmp_path):
    """Revoked on a laptop, the office's key still made its amendments — passed on by another laptop — apply there
    by themselves (its key may be in anyone's hands: every copy of its file holds it)."""
    from tracker.exchange.trust import revoke

    other = _second_laptop(office, laptop, tmp_path)
    office_uid = _office_amendment_passed_on_by(laptop, office, tmp_path)
    with other:
        revoke(office_uid[:8], "Марія")
        result = import_package(tmp_path / "laptop.pkg", "Марія")
        assert result.plan_amendments == 0 and result.plan_amendments_unasked == (DECISION,)


def test_an_amendment_a_laptop_says_the_office_made_is_not_taken_unasked(office, laptop, tmp_path):
    """A trusted laptop's package naming the office as the maker of its own amendment: other laptops took it by
    themselves. The office's signature of it is what says so."""
    other = _second_laptop(office, laptop, tmp_path)
    with office:
        office_uid = this_device().uid
    with laptop:
        amend(tmp_path)
        export_package(tmp_path / "laptop.pkg", "laptop")
        _public, private = signing_key()

    def as_the_office_s(body):
        change = body["plan_amendments"][0]
        change["made_on"] = office_uid
        claimed = P.PlanChange.from_json(change)
        change["made_on_signature"] = P.signature(claimed.authority_body(), private)  # the laptop's own key

    forged = _forged(tmp_path / "laptop.pkg", as_the_office_s, private)
    with other:
        result = import_package(forged, "Марія")
        assert result.plan_amendments == 0 and result.plan_amendments_unasked == (DECISION,)
        assert not amendments(current_plan())


def _forged(path: Path, edit, private_key: str) -> Path:
    """The package changed and signed again with the office's own key: what the checks of its content stop."""
    document = json.loads(gzip.decompress(path.read_bytes()))
    body = {k: v for k, v in document.items() if k != "signature"}
    edit(body)
    target = path.with_name("forged.pkg")
    target.write_bytes(gzip.compress(json.dumps(dict(body, signature=P.signature(body, private_key))).encode()))
    return target


def _measures(body):
    after = body["plan_amendments"][0]["after"]
    return [m for sg in after["strategic_goals"] for og in sg["operational_goals"] for t in og["tasks"]
            for m in t["measures"]]


@pytest.mark.parametrize("edit, message", [
    (lambda body: _measures(body)[0].update(uid="not-a-uid"), "неправильний ідентифікатор заходу"),
    (lambda body: _measures(body)[1].update(uid=_measures(body)[0]["uid"]), "неправильний ідентифікатор заходу"),
    (lambda body: _measures(body)[0].update(title="a\x00b"), "неправильний текст плану"),
    (lambda body: body["plan_amendments"][0]["after"].pop("strategic_goals"), "неправильна будова плану"),
    (lambda body: body["plan_amendments"][0].update(effective="2031Q1"), "поза межами плану"),
    (lambda body: body["plan_amendments"][0].update(decision=""), "Вкажіть рішення"),
    (lambda body: body.update(plan_amendments={"uid": 1}), "неправильні зміни до плану"),
    (lambda body: body["plan_amendments"][0]["after"].update(strategic_goals=[]), "неправильна будова плану"),
    (lambda body: _measures(body)[0].update(code=""), "неправильний текст плану"),
    (lambda body: _measures(body)[0].update(title="два\nрядки"), "неправильний текст плану"),
    (lambda body: _measures(body)[1].update(code=_measures(body)[0]["code"]), "неправильна будова плану"),
    (lambda body: body["plan_amendments"][0]["after"]["strategic_goals"][1].update(number=1),
     "неправильна будова плану"),
    (lambda body: body["plan_amendments"][0]["after"]["strategic_goals"][1]["operational_goals"][0].update(code="1.1"),
     "неправильна будова плану"),
    (lambda body: body["plan_amendments"][0]["after"].update(title="Зовсім інший план"), "інший план"),
    (lambda body: body["plan_amendments"][0].pop("base"), "неправильні зміни до плану"),
])
def test_a_package_with_a_malformed_amendment_is_refused_and_changes_nothing(office, laptop, tmp_path, edit,
                                                                             message):
    with office:
        amend(tmp_path)
        export_package(tmp_path / "office.pkg", "office")
        _, private_key = signing_key()
    forged = _forged(tmp_path / "office.pkg", edit, private_key)
    with laptop:
        with nothing_changes():
            with pytest.raises(PackageError, match=message):
                import_package(forged, "Петро")
        assert not amendments(current_plan())


def test_an_amendment_made_on_another_version_is_not_applied_and_blocks_nothing(office, laptop, tmp_path):
    """A laptop that amended its own plan: the office's amendment (made on the plan as first imported) is not applied
    over it, the laptop's is not applied at the office — each said so — and progress still travels both ways."""
    with office:
        amend(tmp_path)
    with laptop:
        def other(rows):
            row(rows, "1.1.1")[3] = "Департамент освіти"

        apply_file(amended(tmp_path, other, "laptop.txt"), decision="рішення ноутбука", effective=Quarter(2026, 2),
                   author="Петро")
        save_progress(find_measure(current_plan(), "1.2.8", Q4_2025), Q4_2025, {"status": "in_progress",
                                                                               "percent": 35}, author="Петро")
        laptop_plan = {m.uid: (m.code, tuple(m.executors))
                       for m in load_tree(current_plan(), Quarter(2026, 2)).measures()}
    at_laptop = send(office, laptop, tmp_path)
    assert at_laptop.plan_amendments == 0 and at_laptop.plan_amendments_passed == (DECISION,)
    at_office = send(laptop, office, tmp_path)
    assert at_office.plan_amendments == 0 and at_office.plan_amendments_passed == ("рішення ноутбука",)
    assert at_office.applied == 2  # the progress merged all the same
    with laptop:
        assert [a.decision for a in amendments(current_plan())] == ["рішення ноутбука"]
        assert {m.uid: (m.code, tuple(m.executors))
                for m in load_tree(current_plan(), Quarter(2026, 2)).measures()} == laptop_plan
    with office:
        assert [a.decision for a in amendments(current_plan())] == [DECISION]
        assert percent(find_measure(current_plan(), "1.2.8", Q4_2025).uid, Q4_2025) == 35


def test_edits_on_a_measure_removed_for_those_quarters_are_kept_and_said_so(office, laptop, tmp_path):
    with office:
        amend(tmp_path)
    with laptop:  # still on the plan before the decision: 1.1.3 is a measure for it in 2026 too
        save_progress(find_measure(current_plan(), "1.1.3"), Q1_2026, {"status": "in_progress", "percent": 5},
                      author="Петро")
    result = send(laptop, office, tmp_path)
    assert result.out_of_plan == ("1.1.3",)
    from tracker.exchange.sync import out_of_plan_text
    assert "1.1.3" in out_of_plan_text(result) and "не показуються" in out_of_plan_text(result)


def test_a_laptop_taking_an_amendment_that_hides_its_own_records_is_told(office, laptop, tmp_path, capsys):
    """The office's amendment removes 1.1.3 from 2026 while the laptop has a record of it for I кв. 2026: applied
    from a file, the program said «Увага…»; arriving in a package, it hid the laptop's own record without a word."""
    with laptop:
        save_progress(find_measure(current_plan(), "1.1.3"), Q1_2026, {"status": "in_progress", "percent": 5},
                      author="Петро")
    with office:
        amend(tmp_path)
        export_package(tmp_path / "office.pkg", "office")
    assert cli_main(["--db", str(laptop.path), "exchange", "import", str(tmp_path / "office.pkg")]) == 0
    out = capsys.readouterr().out
    assert "Увага. Виключений захід 1.1.3 має записи за I кв. 2026 і пізніше (1): їх збережено" in out
    with laptop:  # the record is kept
        assert Progress.select().join(Measure).where(Measure.code == "1.1.3").count() == 1


def test_a_measure_the_office_put_back_is_put_back_on_the_laptop_with_its_records(office, laptop, tmp_path):
    with laptop:
        [uid_113] = uids("1.1.3")
        save_progress(find_measure(current_plan(), "1.1.3", Q4_2025), Q4_2025, {"status": "in_progress",
                                                                               "percent": 30}, author="Петро")
    with office:
        remove_113_then_bring_it_back(tmp_path)
        export_package(tmp_path / "office.pkg", "office")
    with laptop:
        result = import_package(tmp_path / "office.pkg", "Петро")
        assert result.plan_amendments == 2
        back = find_measure(current_plan(), "1.1.6", Quarter(2026, 3))
        assert back.uid == uid_113 and Measure.select().where(Measure.uid == uid_113).count() == 1
        assert Measure.get_by_id(back.id).removed_in is None and percent(uid_113, Q4_2025) == 30
        changes = json.loads(amendments(current_plan())[1].changes)
        assert any(line.startswith("повернуто до плану 1.1.6") for line in changes)


def test_a_measure_brought_back_keeps_the_quarters_it_was_out(office, laptop, tmp_path):
    """Removed from I кв. 2026 and brought back from III кв.: a laptop's reports of it for I–II кв. 2026 were said
    nowhere (its row's «removed from» cleared by the return), shown by no list even among the removed, and carried
    into III кв. as «дані за II кв. 2026» — a quarter whose report has no such row."""
    with laptop:  # still on the plan as first imported: 1.1.3 is a measure for every quarter
        [uid_113] = uids("1.1.3")
        for quarter, done in ((Q4_2025, 10), (Q1_2026, 15), (Quarter(2026, 2), 25)):
            save_progress(find_measure(current_plan(), "1.1.3", quarter), quarter,
                          {"status": "in_progress", "percent": done}, author="Петро")
    with office:
        remove_113_then_bring_it_back(tmp_path)
    result = send(laptop, office, tmp_path)
    assert result.out_of_plan == ("1.1.6",)  # said, by its code here
    with office:
        plan = current_plan()
        out = {m.code: m for m in load_tree(plan, Q1_2026, removed=True).measures() if m.uid == uid_113}
        assert [(code, m.removed, m.state.values["percent"]) for code, m in out.items()] == [
            ("1.1.6", "рішення міської ради від 25.02.2026 № 71/14", 15)]
        assert not [m for m in load_tree(plan, Q1_2026).measures() if m.uid == uid_113]
        [back] = [m for m in load_tree(plan, Quarter(2026, 3)).measures() if m.uid == uid_113]
        assert (back.state.quarter, back.state.values["percent"]) == (Q4_2025, 10)  # not II кв. 2026's 25
        # the form starts from the same (it had filled in 25 %), and a save of a note alone carries the same
        assert draft_values(back.id, Quarter(2026, 3))[0]["percent"] == 10
        save_progress(back.id, Quarter(2026, 3), {"note": "повернуто до плану"}, author="Оля")
        assert percent(uid_113, Quarter(2026, 3)) == 10


def _with_measure_117(title: str):
    """An amendment that adds a measure 1.1.7 under 1.1.6's task, worded ``title``."""
    def edit(rows):
        base = row(rows, "1.1.6")
        added = ["1.1.7", "", title, *base[3:]]
        rows.insert(rows.index(base) + 1, added)
    return edit


LAPTOP_WORDING = "Створення молодіжного простору в старостинському окрузі Прилуцьке"
OFFICE_WORDING = "Облаштування молодіжного центру в селі Прилуцьке з громадськими організаціями"


def _laptop_reports_on_its_own_new_measure(office, laptop, tmp_path) -> Path:
    """The laptop amends its plan by itself (a measure 1.1.7 the office has not) and reports on it; its package."""
    with laptop:
        apply_file(amended(tmp_path, _with_measure_117(LAPTOP_WORDING), "laptop-amendment.txt"), decision=DECISION,
                   effective=Q1_2026, author="Петро")
        save_progress(find_measure(current_plan(), "1.1.7", Q1_2026), Q1_2026,
                      {"status": "in_progress", "percent": 35}, author="Петро")
        save_progress(find_measure(current_plan(), "1.1.1", Q1_2026), Q1_2026,
                      {"status": "in_progress", "percent": 15}, author="Петро")
        export_package(tmp_path / "laptop.pkg", "Старостат")
    return tmp_path / "laptop.pkg"


def test_a_laptop_s_changes_on_a_measure_of_its_own_amendment_are_kept_aside_not_lost(office, laptop, tmp_path,
                                                                                     capsys):
    """They were dropped at the office and confirmed, so the laptop never sent them again: a coordinator's quarter
    lost but for a full package. Kept aside, they wait for the plan here to have the measure."""
    package = _laptop_reports_on_its_own_new_measure(office, laptop, tmp_path)
    with office:
        result = import_package(package, "Оля")
        assert result.set_aside == 2 and result.unknown_measures == ("1.1.7",) and result.plan_amendments_unasked
        assert percent(uids("1.1.1")[0], Q1_2026) == 15  # the rest merged
        aside = set_aside_changes()
        assert (aside.count, aside.codes, aside.devices) == (2, ("1.1.7",), ("Старостат",))
        again = import_package(package, "Оля")  # said once, not again with every package
        assert again.set_aside == 0 and again.skipped == 4 and set_aside_changes().count == 2  # kept: here already
        export_package(tmp_path / "office.pkg", "office", full=True)
    assert not [e for e in P.read_package(tmp_path / "office.pkg").events if e.measure == "1.1.7"]  # not sent on
    assert cli_main(["--db", str(office.path), "exchange", "conflicts"]) == 0
    assert "Окремо збережено змін для заходів, яких немає в плані цієї бази: 2 (коди: 1.1.7; від: «Старостат»)" \
        in capsys.readouterr().out
    # the office takes the laptop's amendment: the changes kept aside are merged with it, said so
    assert cli_main(["--db", str(office.path), "exchange", "import", str(package), "--plan-changes"]) == 0
    assert "Застосовано змін, збережених раніше окремо" in capsys.readouterr().out
    with office:
        assert set_aside_changes().count == 0
        new = find_measure(current_plan(), "1.1.7", Q1_2026)
        assert percent(new.uid, Q1_2026) == 35
        origins = {h.origin for h in History.select().where(History.measure == new.id)}
        assert origins == {"пакет «Старостат»"}  # the package it came with, not the one that merged it


@pytest.mark.parametrize("wording, taken", [(LAPTOP_WORDING, 2), (OFFICE_WORDING, 0)], ids=["same", "another"])
def test_kept_aside_changes_are_merged_when_the_same_amendment_is_applied_here(office, laptop, tmp_path, capsys,
                                                                               wording, taken):
    """The council's file the laptop applied, applied here: the measure is the laptop's, its changes land on it.
    Another wording is another measure: nothing of the laptop's lands on it."""
    package = _laptop_reports_on_its_own_new_measure(office, laptop, tmp_path)
    with office:
        # a trusted device's changes for made-up measures kept aside before: they do not crowd out the list below
        made_up = [dataclasses.replace(e, uid=f"{n:032x}", measure="9.9.9", measure_uid="9" * 32)
                   for n, e in enumerate(P.read_package(package).events[:1] * 3, start=1)]
        for event in made_up:
            PendingEvent.create(event_uid=event.uid, plan_uid=current_plan().uid, reason=NOT_IN_PLAN,
                                payload=json.dumps(event.to_json()), measure_uid=event.measure_uid,
                                measure_code="9.9.9", device_uid=event.device)
        import_package(package, "Оля")
    path = amended(tmp_path, _with_measure_117(wording), "office-amendment.txt")
    capsys.readouterr()
    assert cli_main(["--db", str(office.path), "import-plan", str(path), "--apply", "--decision", DECISION,
                     "--effective", "2026Q1", "--author", "Оля"]) == 0
    out = capsys.readouterr().out
    assert (f"збережених раніше окремо, бо їхніх заходів не було в плані цієї бази: {taken}." in out) == bool(taken)
    with office:
        assert set_aside_changes().count == 5 - taken
        assert percent(uids("1.1.7", quarter=Q1_2026)[0], Q1_2026) == (35 if taken else None)
    if taken:
        return
    # the plan here has a 1.1.7 of its own: nothing promises they will be applied by themselves; the values are listed
    # to be entered by hand, if it is the same measure
    with office:
        assert set_aside_changes().same_code == ("1.1.7",)
        values, read = set_aside_values(("1.1.7",), limit=2)  # the values to enter by hand come first
        assert {v.code for v in values} == {"1.1.7"} and read == 2
    assert cli_main(["--db", str(office.path), "exchange", "conflicts"]) == 0
    out = capsys.readouterr().out
    assert "Захід із кодом 1.1.7 у плані тут є, але його внесено іншою зміною до плану" in out
    assert "Зміни для заходів 9.9.9 буде застосовано самі" in out and "Їх буде застосовано самі" not in out
    assert f"1.1.7 «{LAPTOP_WORDING}», I кв. 2026, Виконання, %: 35 % (Петро, " in out
    assert f"1.1.7 «{LAPTOP_WORDING}», I кв. 2026, Стан: Виконується (Петро, " in out
    assert cli_main(["--db", str(office.path), "exchange", "aside", "--json"]) == 0  # for scripts: the values too
    listed = json.loads(capsys.readouterr().out)
    assert (listed["count"], listed["codes_of_other_measures_here"]) == (5, ["1.1.7"])
    assert {(v["measure"], v["quarter"], v["field"], v["value"]) for v in listed["values"]
            if v["measure"] == "1.1.7"} == {("1.1.7", "2026Q1", "status", "in_progress"),
                                             ("1.1.7", "2026Q1", "percent", "35")}


@pytest.mark.parametrize("laptop_effective, same", [(Q1_2026, True), (Quarter(2026, 2), False)], ids=["same", "later"])
def test_the_same_council_file_applied_on_both_sides_is_not_said_to_be_another_amendment(office, laptop, tmp_path,
                                                                                        laptop_effective, same):
    """Both applied the council's file on their own: each other's amendment was said «made on another version of the
    plan — the plan here was amended otherwise», which it was not. From another quarter, it was."""
    with office:
        amend(tmp_path)
    with laptop:
        apply_file(amended(tmp_path, remove_and_renumber, "laptop.txt"), decision="рішення № 71/14",
                   effective=laptop_effective, author="Петро")
    at_laptop, at_office = send(office, laptop, tmp_path), send(laptop, office, tmp_path)
    for result, theirs in ((at_laptop, DECISION), (at_office, "рішення № 71/14")):
        assert result.plan_amendments == 0
        assert (result.plan_amendments_same, result.plan_amendments_passed) == (
            ((theirs,), ()) if same else ((), (theirs,)))
    if same:
        assert "тут уже є: план у цій базі змінено так само" in same_text(at_office)
    with office:
        assert [a.decision for a in amendments(current_plan())] == [DECISION]


def test_conflicts_name_the_measure_by_its_code_in_that_quarter_and_say_when_it_was_out(office, laptop, tmp_path,
                                                                                      capsys):
    """After renumbering, a conflict of 2025 was labelled by today's code — that of another measure in 2025 — and one
    on a removed measure's hidden quarter looked like any other, its resolution written where nothing shows it."""
    other = _second_laptop(office, laptop, tmp_path)
    for device, percent_then in ((laptop, 20), (other, 30)):
        with device:  # both still on the plan before the decision
            save_progress(find_measure(current_plan(), "1.1.4", Q4_2025), Q4_2025,
                          {"status": "in_progress", "percent": percent_then}, author="Петро")
            save_progress(find_measure(current_plan(), "1.1.3", Q1_2026), Q1_2026,
                          {"status": "in_progress", "percent": percent_then}, author="Петро")
    with office:
        amend(tmp_path)  # 1.1.3 removed from 2026, 1.1.4 is 1.1.3 from then on
    send(laptop, office, tmp_path)
    send(other, office, tmp_path)
    with office:
        conflicts = {(c.label, c.quarter): c for c in list_conflicts() if c.field == "percent"}
    assert set(conflicts) == {("1.1.4 (тепер 1.1.3)", Q4_2025), ("1.1.3", Q1_2026)}
    assert conflicts["1.1.4 (тепер 1.1.3)", Q4_2025].in_plan_then
    assert not conflicts["1.1.3", Q1_2026].in_plan_then
    assert cli_main(["--db", str(office.path), "exchange", "conflicts"]) == 0
    out = capsys.readouterr().out
    assert "захід 1.1.4 (тепер 1.1.3), IV кв. 2025, поле «Виконання, %»" in out
    assert "захід 1.1.3, I кв. 2026, поле «Виконання, %» (у I кв. 2026 захід був поза планом" in out
    hidden = conflicts["1.1.3", Q1_2026].id
    assert cli_main(["--db", str(office.path), "exchange", "resolve", str(hidden), "--take", "incoming"]) == 0
    assert "Зауважте: у I кв. 2026 захід був поза планом" in capsys.readouterr().out


def test_an_amendment_stands_when_merging_the_changes_kept_aside_fails_after_it(office, laptop, tmp_path, capsys,
                                                                             monkeypatch):
    """It printed «…застосовано» and then «Помилка … Зміни не записано», exit 1, the amendment applied all the same."""
    from peewee import OperationalError

    from tracker.exchange import aside

    package = _laptop_reports_on_its_own_new_measure(office, laptop, tmp_path)
    with office:
        import_package(package, "Оля")

    def fails(*args, **kwargs):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(aside, "take_set_aside", fails)
    path = amended(tmp_path, _with_measure_117(LAPTOP_WORDING), "office-amendment.txt")
    capsys.readouterr()
    assert cli_main(["--db", str(office.path), "import-plan", str(path), "--apply", "--decision", DECISION,
                     "--effective", "2026Q1"]) == 0
    out = capsys.readouterr().out
    assert "застосовано" in out and "Зміни, збережені окремо з пакетів, зараз не застосовано (Не вдалося " in out
    with office:
        assert len(amendments(current_plan())) == 1 and set_aside_changes().count == 2

