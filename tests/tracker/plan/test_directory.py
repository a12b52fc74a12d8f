"""The directory of executors and funding sources, and reading plan cells with it."""

from __future__ import annotations

import json

import pytest

from tracker.errors import NotFoundError, TrackerError
from tracker.plan.directory import Directory, guess_kind
from tracker.plan.executors import find_executor, responsible_executors
from tracker.storage.models import Executor, MeasureExecutor
from tracker.text import ukrainian_sort_key

DMZRR = "Департамент містобудування, земельних ресурсів та реклами"
USSDM = "Управління соціальних служб для сім'ї, дітей та молоді"
DFBA = "Департамент фінансів, бюджету та аудиту"


@pytest.fixture(scope="module")
def directory():
    return Directory.load()


def names(mentions):
    return [m.entry.name if m.entry else None for m in mentions]


def test_bundled_directory_loads(directory):
    all_names = [d.name for d in directory.executors]
    assert len(all_names) == len(set(all_names))
    assert {DMZRR, USSDM, DFBA} <= set(all_names)
    assert "державний бюджет" in directory.funding_names


@pytest.mark.parametrize("name", [DMZRR, USSDM, DFBA])
def test_name_with_commas_is_one_executor(directory, name):
    mentions = directory.split_executors(name)
    assert names(mentions) == [name]
    assert mentions[0].how == "exact"
    assert mentions[0].missing_comma_before is False


def test_names_with_commas_in_one_cell(directory):
    cell = f"{DMZRR}, управління соціальних служб для сім’ї, дітей та молоді, департамент фінансів, бюджету та аудиту"
    mentions = directory.split_executors(cell)
    assert names(mentions) == [DMZRR, USSDM, DFBA]
    assert [m.text for m in mentions] == [
        DMZRR, "управління соціальних служб для сім’ї, дітей та молоді", "департамент фінансів, бюджету та аудиту"]
    assert not any(m.missing_comma_before for m in mentions)


def test_name_with_commas_between_other_names(directory):
    mentions = directory.split_executors(f"Департамент освіти, {DMZRR}, департамент культури")
    assert names(mentions) == ["Департамент освіти", DMZRR, "Департамент культури"]


@pytest.mark.parametrize("written, expected", [
    ("ДЕПАРТАМЕНТ   ЕКОНОМІЧНОЇ політики", "Департамент економічної політики"),
    ("  департамент\tкультури ", "Департамент культури"),
    ("управління охорони здоровʼя", "Управління охорони здоров'я"),
    ("Управління охорони здоров’я", "Управління охорони здоров'я"),
    ("Управління охорони здоров`я", "Управління охорони здоров'я"),
    ('КУ "ХАБ ВЕТЕРАН"', "КУ «ХАБ ВЕТЕРАН»"),
    ("КП “Луцькводоканал”", "КП «Луцькводоканал»"),
    ("управління міжнародного співробітництва та проектної діяльності",
     "Управління міжнародного співробітництва та проєктної діяльності"),
    ("департамент містобудування земельних ресурсів та реклами", DMZRR),
])
def test_spelling_variants_resolve(directory, written, expected):
    mentions = directory.split_executors(written)
    assert names(mentions) == [expected]


@pytest.mark.parametrize("written, expected", [
    ("ЦНАП", "Центр надання адміністративних послуг"),
    ("ВОДА", "Волинська обласна державна адміністрація"),
    ("ЖКП", "Житлово-комунальні підприємства"),
    ("Департамент муніципальної варті", "Департамент муніципальної варти"),
    ("КП «ЛЕП-Луцьквітло»", "КП «ЛЕП «Луцьксвітло»"),
    ("громадські організації відповідного спрямування", "Громадські організації"),
])
def test_aliases_resolve(directory, written, expected):
    mentions = directory.split_executors(written)
    assert names(mentions) == [expected]
    assert mentions[0].how == "alias"


def test_misspelling_resolves_fuzzily(directory):
    mentions = directory.split_executors("Департамент освітии, департамент культури")
    assert names(mentions) == ["Департамент освіти", "Департамент культури"]
    assert [m.how for m in mentions] == ["fuzzy", "exact"]


def test_broken_hyphen_in_name(directory):
    mentions = directory.split_executors("Управління інформаційно- комунікаційних технологій")
    assert names(mentions) == ["Управління інформаційно-комунікаційних технологій"]


def test_missing_commas_are_found(directory):
    cell = ("Департамент економічної політики, департамент культури управління туризму та промоції міста "
            "департамент містобудування, земельних ресурсів та реклами")
    mentions = directory.split_executors(cell)
    assert names(mentions) == ["Департамент економічної політики", "Департамент культури",
                               "Управління туризму та промоції міста", DMZRR]
    assert [m.missing_comma_before for m in mentions] == [False, False, True, True]


def test_unknown_executor_is_reported_and_kept_whole(directory):
    mentions = directory.split_executors("Асоціація міст, громад та регіонів, департамент освіти")
    assert [(m.text, m.how) for m in mentions] == [
        ("Асоціація міст, громад та регіонів", "unknown"), ("департамент освіти", "exact")]
    assert mentions[0].entry is None
    assert names(mentions) == [None, "Департамент освіти"]


def test_unknown_executor_at_the_end(directory):
    mentions = directory.split_executors("Департамент освіти, Луцький національний технічний університет")
    assert [(m.text, m.entry is None) for m in mentions] == [
        ("Департамент освіти", False), ("Луцький національний технічний університет", True)]


def test_unknown_executor_stops_before_a_new_executor(directory):
    mentions = directory.split_executors("Благодійний фонд «Світло», управління невідомих справ")
    assert [m.text for m in mentions] == ["Благодійний фонд «Світло»", "управління невідомих справ"]
    assert all(m.entry is None for m in mentions)


def test_comma_inside_quotes_does_not_split(directory):
    mentions = directory.split_executors("ГО «Мир, праця, травень», департамент освіти")
    assert [m.text for m in mentions] == ["ГО «Мир, праця, травень»", "департамент освіти"]


@pytest.mark.parametrize("cell", ["", "   ", "-", "–", "—"])
def test_empty_or_dash_executor_cell_means_none(directory, cell):
    assert directory.split_executors(cell) == []


def test_looks_like_executors(directory):
    assert directory.looks_like_executors("Департамент освіти, Луцький національний технічний університет")
    assert not directory.looks_like_executors("Встановлення соціальних квот при погодженні забудови")
    assert not directory.looks_like_executors("")


# -- funding ---------------------------------------------------------------------------------------

def test_funding_split_and_typo_fixed(directory):
    mentions = directory.split_funding("держаний бюджет, обласний бюджет; бюджет громади ,інші джерела.")
    assert [(m.name, m.how) for m in mentions] == [
        ("державний бюджет", "fuzzy"), ("обласний бюджет", "exact"), ("бюджет громади", "exact"),
        ("інші джерела", "exact")]
    assert mentions[0].text == "держаний бюджет"


def test_funding_alias_and_case(directory):
    assert [(m.name, m.how) for m in directory.split_funding("Кошти підприємства, Інші джерела")] == [
        ("кошти підприємств", "alias"), ("інші джерела", "exact")]


def test_unknown_funding_is_kept(directory):
    assert [m.how for m in directory.split_funding("бюджет громади")] == ["exact"]
    unknown = directory.split_funding("Гранти ЄС")
    assert [(m.text, m.name, m.how) for m in unknown] == [("Гранти ЄС", "гранти ЄС", "unknown")]
    assert not directory.looks_like_funding("Гранти ЄС")


@pytest.mark.parametrize("cell", ["-", " – ", "—", "", "  "])
def test_dash_means_no_funding(directory, cell):
    assert directory.split_funding(cell) == []


def test_looks_like_funding(directory):
    assert directory.looks_like_funding("-")
    assert directory.looks_like_funding("бюджет громади, інші джерела")
    assert not directory.looks_like_funding("Департамент освіти")


# -- loading and kinds -----------------------------------------------------------------------------

@pytest.mark.parametrize("name, kind", [
    ("Департамент освіти", "council_department"),
    ("управління невідомих справ", "council_department"),
    ("КП «Нове підприємство»", "municipal_enterprise"),
    ("Комунальне некомерційне підприємство", "municipal_enterprise"),
    ("Асоціація міст", "partner"),
])
def test_guess_kind(name, kind):
    assert guess_kind(name) == kind


def test_broken_directory_file_raises(tmp_path):
    path = tmp_path / "departments.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(TrackerError, match="пошкоджено"):
        Directory.load(path)
    with pytest.raises(TrackerError):
        Directory.load(tmp_path / "missing.json")


def test_unknown_kind_in_directory_raises(tmp_path):
    path = tmp_path / "departments.json"
    path.write_text(json.dumps({"departments": [{"name": "Відділ", "kind": "alien"}], "funding_sources": []}),
                    encoding="utf-8")
    with pytest.raises(TrackerError, match="alien"):
        Directory.load(path)


# -- looking departments up in the database --------------------------------------------------------

@pytest.mark.parametrize("query", [DMZRR, "ДМЗРР", "дмзрр", "департамент містобудування", "  Департамент "
                                   "містобудування,  земельних ресурсів та реклами "])
def test_find_executor(plan, query):
    assert find_executor(query).name == DMZRR


def test_find_executor_by_alias(plan):
    assert find_executor("Департамент муніципальної варті").name == "Департамент муніципальної варти"


def test_find_executor_unknown_or_ambiguous(plan):
    with pytest.raises(NotFoundError, match="немає в довіднику"):
        find_executor("Міністерство магії")
    with pytest.raises(NotFoundError, match="підходить до кількох виконавців.*Уточніть"):
        find_executor("Департамент")  # a prefix of many
    with pytest.raises(NotFoundError, match="Можливо, ви мали на увазі: «Управління охорони здоров'я»"):
        find_executor("Управління охорони здоровля")  # a misspelling
    assert find_executor("культури").name == "Департамент культури"  # a unique part of the name


def test_responsible_executors_are_linked_ones(plan):
    idle = Executor.create(name="Відділ без заходів", short_name="ВБЗ", kind="council_department")
    responsible = responsible_executors()
    linked = {link.executor_id for link in MeasureExecutor.select()}
    assert {d.id for d in responsible} == linked
    assert DMZRR in [d.name for d in responsible]
    assert idle.id not in {d.id for d in responsible}
    assert [d.name for d in responsible] == sorted((d.name for d in responsible), key=ukrainian_sort_key)
