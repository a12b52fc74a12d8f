"""Quarters of the plan period."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.errors import ValidationError
from tracker.quarters import Quarter, check_in_plan, clamp, current_quarter, plan_quarters


@pytest.mark.parametrize("text", ["2025Q1", "2025-Q1", "2025 К1", "2025/q1", "2025к1", " 1Q2025 ", "1К2025"])
def test_parse_forms(text):
    assert Quarter.parse(text) == Quarter(2025, 1)


@pytest.mark.parametrize("text", ["2025Q5", "2025Q0", "Q1", "2025", "весна", "", "25Q1", "2025Q12"])
def test_parse_refuses(text):
    with pytest.raises(ValidationError, match="Не розпізнано квартал"):
        Quarter.parse(text)


def test_number_out_of_range():
    with pytest.raises(ValidationError, match="від 1 до 4"):
        Quarter(2025, 5)


def test_order_and_neighbours():
    assert Quarter(2024, 4) < Quarter(2025, 1) < Quarter(2025, 2)
    assert Quarter(2024, 4).next() == Quarter(2025, 1)
    assert Quarter(2025, 1).previous() == Quarter(2024, 4)
    assert Quarter(2025, 3).next().next() == Quarter(2026, 1)
    assert Quarter(2025, 2).index - Quarter(2024, 2).index == 4
    assert Quarter.from_index(Quarter(2026, 3).index) == Quarter(2026, 3)


def test_text_forms():
    assert str(Quarter(2025, 2)) == "2025Q2"
    assert Quarter(2025, 2).label == "II кв. 2025"
    assert Quarter(2027, 4).label == "IV кв. 2027"
    assert Quarter.parse(str(Quarter(2026, 3))) == Quarter(2026, 3)


@pytest.mark.parametrize("day, quarter", [
    (dt.date(2025, 1, 1), Quarter(2025, 1)), (dt.date(2025, 3, 31), Quarter(2025, 1)),
    (dt.date(2025, 4, 1), Quarter(2025, 2)), (dt.date(2025, 12, 31), Quarter(2025, 4)),
])
def test_containing(day, quarter):
    assert Quarter.containing(day) == quarter


def test_first_day_after():
    assert Quarter(2025, 1).first_day_after == dt.date(2025, 4, 1)
    assert Quarter(2025, 4).first_day_after == dt.date(2026, 1, 1)


def test_plan_quarters():
    quarters = plan_quarters(2024, 2027)
    assert len(quarters) == 16
    assert quarters[0] == Quarter(2024, 1) and quarters[-1] == Quarter(2027, 4)
    assert quarters == sorted(quarters)


def test_clamp_and_current_quarter():
    assert clamp(Quarter(2020, 2), 2024, 2027) == Quarter(2024, 1)
    assert clamp(Quarter(2030, 2), 2024, 2027) == Quarter(2027, 4)
    assert clamp(Quarter(2025, 3), 2024, 2027) == Quarter(2025, 3)
    assert current_quarter(2024, 2027, dt.date(2025, 5, 20)) == Quarter(2025, 2)
    assert current_quarter(2024, 2027, dt.date(2031, 1, 1)) == Quarter(2027, 4)
    assert current_quarter(2024, 2027, dt.date(2023, 6, 1)) == Quarter(2024, 1)


def test_check_in_plan():
    check_in_plan(Quarter(2024, 1), 2024, 2027)
    check_in_plan(Quarter(2027, 4), 2024, 2027)
    for outside in (Quarter(2023, 4), Quarter(2028, 1)):
        with pytest.raises(ValidationError, match="поза межами плану"):
            check_in_plan(outside, 2024, 2027)
