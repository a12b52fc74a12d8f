"""The six statuses of a measure."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


_NAMES = [text for s in Status for text in (s.value, s.label)]


@given(st.one_of(st.text(max_size=30), st.builds(lambda name, upper, space: space + (name.upper() if upper else name)
                                                  + space, st.sampled_from(_NAMES), st.booleans(),
                                                  st.sampled_from(["", " ", "\t", "\u00a0"]))))
def test_parse_agrees_with_the_codes_and_labels(text):
    """Looked up in one table: the same status as comparing with each code and label, spaces and case aside."""
    wanted = " ".join(text.split()).casefold()
    expected = [s for s in Status if wanted in (s.value, s.label.casefold())]
    if expected:
        assert Status.parse(text) is expected[0]
    else:
        with pytest.raises(ValidationError):
            Status.parse(text)


@pytest.mark.parametrize("status", list(Status))
def test_parse_takes_a_status_itself(status):
    assert Status.parse(status) is status
    assert Status.parse(f"\u00a0{status.value.upper()}\t") is status
