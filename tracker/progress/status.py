"""The six statuses of a measure, with stable code identifiers."""

from __future__ import annotations

import enum

from ..errors import ValidationError


class Status(str, enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    PARTIALLY_DONE = "partially_done"
    NOT_DONE = "not_done"
    OBSOLETE = "obsolete"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def percent(self) -> int | None:
        """The percent done this status means, where it means one: «Виконано» 100, «Не розпочато» 0."""
        return FIXED_PERCENT.get(self)

    @classmethod
    def parse(cls, text: str) -> "Status":
        """Accept a code (``done``) or a Ukrainian label (``Виконано``), any case."""
        found = _BY_TEXT.get(text) if isinstance(text, str) else None  # a merge parses thousands of codes
        if found is not None:
            return found
        found = _BY_TEXT.get(" ".join(str(text).split()).casefold())
        if found is not None:
            return found
        known = ", ".join(f"«{s.label}» ({s.value})" for s in cls)
        raise ValidationError(f"Невідомий стан «{text}». Можливі: {known}.")


LABELS = {
    Status.NOT_STARTED: "Не розпочато",
    Status.IN_PROGRESS: "Виконується",
    Status.DONE: "Виконано",
    Status.PARTIALLY_DONE: "Частково виконано",
    Status.NOT_DONE: "Не виконано",
    Status.OBSOLETE: "Втратило актуальність",
}
FIXED_PERCENT = {Status.DONE: 100, Status.NOT_STARTED: 0}
# every code and label, casefolded, to its status: Status.parse looks one up, not every status's label in turn
_BY_TEXT = {text: status for status in Status for text in (status.value, LABELS[status].casefold())}
