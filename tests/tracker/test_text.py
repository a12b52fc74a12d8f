"""Text clean-up and comparison keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.text import (
    clean,
    has_broken_hyphen,
    is_dash,
    join_broken_hyphens,
    name_key,
    plural,
    search_key,
    starts_lowercase,
    unify_apostrophes,
)


def test_clean():
    assert clean("  a \t b\n\nc  ") == "a b c"
    assert clean(None) == ""
    assert clean(12) == "12"


@pytest.mark.parametrize("broken, joined", [
    ("інформаційно- комунікаційних", "інформаційно-комунікаційних"),
    ("ІТ- екосистеми", "ІТ-екосистеми"),
    ("культурно-  туристичного", "культурно-туристичного"),
])
def test_broken_hyphen_joined(broken, joined):
    assert has_broken_hyphen(broken)
    assert join_broken_hyphens(broken) == joined


@pytest.mark.parametrize("text", ["Луцьк - Київ", "тепло-, водо-, газопостачання", "2024- 2027",
                                  "бізнес-середовищем", "розділ А- Б", "-співпрацю з ВНЗ"])
def test_not_a_broken_hyphen(text):
    assert not has_broken_hyphen(text)
    assert join_broken_hyphens(text) == text


def test_apostrophes():
    assert unify_apostrophes("здоров’я здоровʼя здоров`я") == "здоров'я здоров'я здоров'я"
    assert search_key(" Управління  Охорони здоров’я ") == "управління охорони здоров'я"


def test_name_key():
    assert name_key("Управління міжнародного співробітництва та проєктної діяльності") == \
        name_key("управління  міжнародного співробітництва та проектної діяльності")
    assert name_key('КУ "ХАБ ВЕТЕРАН"') == name_key("КУ «ХАБ ВЕТЕРАН»")
    assert name_key("Суб’єкти") == name_key("суб'єкти") == name_key("субєкти")
    assert name_key("Департамент освіти") != name_key("Департамент культури")


@pytest.mark.parametrize("count, text", [
    (0, "0 заходів"), (1, "1 захід"), (2, "2 заходи"), (4, "4 заходи"), (5, "5 заходів"), (11, "11 заходів"),
    (12, "12 заходів"), (14, "14 заходів"), (21, "21 захід"), (22, "22 заходи"), (111, "111 заходів"),
    (233, "233 заходи"), (1001, "1001 захід"),
])
def test_plural(count, text):
    assert plural(count, "захід", "заходи", "заходів") == text


def test_starts_lowercase():
    assert starts_lowercase("сімей та молоді")
    assert starts_lowercase("– створення")
    assert starts_lowercase("«зелено-блакитного» кола")
    assert not starts_lowercase("Збільшити")
    assert not starts_lowercase("1.2 Плану")
    assert not starts_lowercase("")


@pytest.mark.parametrize("text, dash", [("-", True), (" – ", True), ("—", True), ("--", False), ("", False),
                                        ("- кошти", False)])
def test_is_dash(text, dash):
    assert is_dash(text) is dash


def test_names_sort_in_ukrainian_alphabetical_order():
    from tracker.text import ukrainian_sort_key

    names = ["Іноземні партнери", "Агенція", "Єдиний центр", "Ґанок", "Гараж", "Департамент освіти", "Департамент",
             "Їжак", "Яблуко", "КП «Луцьксвітло»", "Житло", "Eco"]
    assert sorted(names, key=ukrainian_sort_key) == [
        "Eco", "Агенція", "Гараж", "Ґанок", "Департамент", "Департамент освіти", "Єдиний центр", "Житло",
        "Іноземні партнери", "Їжак", "КП «Луцьксвітло»", "Яблуко"]


def test_the_executors_of_the_plan_are_listed_in_ukrainian_order(plan):
    from tracker.plan.executors import responsible_executors

    names = [executor.name for executor in responsible_executors()]
    first = {prefix: next(i for i, name in enumerate(names) if name.startswith(prefix))
             for prefix in ("Вищі", "Відділ", "Волинська")}
    # и < і < о in Ukrainian; by code point і (U+0456) comes after every other letter
    assert first["Вищі"] < first["Відділ"] < first["Волинська"]


def test_marks_that_turn_text_around_do_not_enter():
    """«Петро\u202eсіфО» shows as «ПетроОфіс»: a name or note could pass for another's."""
    from tracker.text import clean_name, has_control, without_control

    assert clean_name("Петро\u202eсіфО") == "ПетросіфО"
    assert without_control("нотатка \u2067ізольовано\u2069 і \u202aвкладено\u202c") == "нотатка ізольовано і вкладено"
    assert without_control("Луцьк\u200e") == "Луцьк\u200e"  # a left-to-right mark changes nothing shown
    assert clean_name("Офіс\u200f-1\u061c") == "Офіс-1"  # a right-to-left one turns the «-1» beside it
    assert not has_control("Петро\u202eсіфО")  # stored by an earlier version, still read (not refused)


def test_two_long_values_are_shown_around_where_they_differ():
    """Two 5,000-character notes differing in their middle were shown by their same first 80 characters."""
    from tracker.text import around_the_change

    head, tail = "Проведено засідання. " * 100, " Укладено договір." * 100
    old, new = head + "Закуплено 3 автобуси." + tail, head + "Закуплено 4 автобуси." + tail
    shown_old, shown_new = around_the_change(old, new, 80)
    assert len(shown_old) <= 80 and len(shown_new) <= 80 and shown_old != shown_new
    assert "3 автобуси" in shown_old and "4 автобуси" in shown_new
    assert shown_old.startswith("…") and shown_old.endswith("…")
    assert around_the_change("коротко", "інакше", 80) == ("коротко", "інакше")
    assert around_the_change(head, head + "додано", 80)[1].endswith("додано")  # text added at the end is seen
    early = around_the_change("А" + head, "Б" + head, 80)  # a difference in sight from the start: no «…» before
    assert early[0].startswith("А") and early[1].startswith("Б")


def test_a_value_on_one_line_shows_its_line_breaks():
    from tracker.text import one_line

    assert one_line("перший\r\nдругий\nтретій") == "перший↵другий↵третій"


def test_a_name_in_another_encoding_is_kept_as_utf8_can_hold_it():
    from tracker.text import storable

    name = "звіт-" + "\udce7\udce2" + ".xlsx"  # how Python hands over a file name's bytes that are not UTF-8
    kept = storable(name)
    assert kept == "звіт-\\xe7\\xe2.xlsx" and kept.encode("utf-8") and storable(name) == kept
    assert storable("Звіт_2025_1кв.xlsx") == "Звіт_2025_1кв.xlsx"
    assert storable("half \ud800 a character").encode("utf-8")  # a Windows name's lone surrogate


def _longest_common_subsequence(one: str, other: str) -> int:
    row = [0] * (len(other) + 1)
    for character in one:
        previous, row = row, [0]
        for position, mine in enumerate(other):
            row.append(previous[position] + 1 if character == mine else max(previous[position + 1], row[position]))
    return row[-1]


@given(st.text(alphabet="абвгґдеєжз іїй", max_size=40), st.text(alphabet="абвгґдеєжз іїй", max_size=40))
def test_the_common_subsequence_is_the_longest_and_bounds_difflibs_ratio(one, other):
    """The plan comparison skips a pair's ratio on this bound: it must never be under the ratio."""
    import difflib

    from tracker.text import Subsequences

    length = Subsequences(other).longest_with(one)
    assert length == _longest_common_subsequence(one, other)
    ratio = difflib.SequenceMatcher(None, one, other, autojunk=False).ratio()
    assert 2 * length >= ratio * (len(one) + len(other)) - 1e-9
