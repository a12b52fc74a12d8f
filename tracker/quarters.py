"""Quarters of the plan period: parsing, ordering and the current quarter."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from .errors import ValidationError
from .i18n import tr

_PATTERN = re.compile(r"^\s*(\d{4})\s*[-/ ]?\s*[QqКк]\s*([1-4])\s*$|^\s*([1-4])\s*[QqКк]\s*(\d{4})\s*$")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __post_init__(self):
        if not 1 <= self.number <= 4:
            raise ValidationError(tr("Квартал має бути від 1 до 4, а не {number}.", number=self.number))

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """``2025Q1``, ``2025-Q1``, ``2025 К1`` or ``1Q2025``."""
        match = _PATTERN.match(str(text))
        if not match:
            raise ValidationError(tr("Не розпізнано квартал «{text}». Вкажіть його у вигляді 2025Q1.", text=text))
        if match.group(1):
            return cls(int(match.group(1)), int(match.group(2)))
        return cls(int(match.group(4)), int(match.group(3)))

    @classmethod
    def containing(cls, day: _dt.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def index(self) -> int:
        """Months-free ordinal: consecutive quarters differ by one."""
        return self.year * 4 + self.number - 1

    @classmethod
    def from_index(cls, index: int) -> "Quarter":
        return cls(index // 4, index % 4 + 1)

    def next(self) -> "Quarter":
        return Quarter.from_index(self.index + 1)

    def previous(self) -> "Quarter":
        return Quarter.from_index(self.index - 1)

    @property
    def first_day_after(self) -> _dt.date:
        nxt = self.next()
        return _dt.date(nxt.year, (nxt.number - 1) * 3 + 1, 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        """Ukrainian short form, as in «II кв. 2025»."""
        return f"{ROMAN[self.number]} кв. {self.year}"


def plan_quarters(first_year: int, last_year: int) -> list[Quarter]:
    return [Quarter(y, n) for y in range(first_year, last_year + 1) for n in range(1, 5)]


def clamp(quarter: Quarter, first_year: int, last_year: int) -> Quarter:
    first, last = Quarter(first_year, 1), Quarter(last_year, 4)
    return max(first, min(last, quarter))


def today() -> _dt.date:
    """The date «now» is taken from: the one place a test sets the clock."""
    return _dt.date.today()


def current_quarter(first_year: int, last_year: int, day: _dt.date | None = None) -> Quarter:
    """The quarter holding ``day`` (by default today), clamped to the plan's years."""
    return clamp(Quarter.containing(day or today()), first_year, last_year)


def check_in_plan(quarter: Quarter, first_year: int, last_year: int) -> None:
    if not first_year <= quarter.year <= last_year:
        raise ValidationError(tr("Квартал {quarter} поза межами плану ({first_year}Q1 – {last_year}Q4). "
                                 "Вкажіть квартал у межах плану.",
                                 quarter=quarter, first_year=first_year, last_year=last_year))
