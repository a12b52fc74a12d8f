"""The six statuses of a measure."""

from __future__ import annotations

import pytest

from tracker.errors import ValidationError
from tracker.progress.status import Status


def test_codes_and_labels():
    assert [(s.value, s.label) for s in Status] == [
        ("not_started", "Не розпочато"), ("in_progress", "Виконується"), ("done", "Виконано"),
        ("partially_done", "Частково виконано"), ("not_done", "Не виконано"), ("obsolete", "Втратило актуальність")]


@pytest.mark.parametrize("status", list(Status))
def test_parse_by_code_and_label(status):
    assert Status.parse(status.value) is status
    assert Status.parse(status.label) is status
    assert Status.parse(f"  {status.label.upper()} ") is status


def test_parse_unknown():
    with pytest.raises(ValidationError, match="Можливі"):
        Status.parse("зроблено")
