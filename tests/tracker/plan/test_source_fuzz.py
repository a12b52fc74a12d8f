"""Fuzzing the plan reader from the council's own table: lines lost, doubled, swapped and typed over.

Every mutation is read (with its repairs and anomalies) or refused with a TrackerError; importing it
writes or is refused with the database unchanged. TRACKER_FUZZ_RANDOM=1 / TRACKER_FUZZ_EXAMPLES=N
explore new examples.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import fuzz_settings, plan_file_read_or_refused
from tracker.paths import BUNDLED_PLAN

FUZZ = fuzz_settings(25)
LINES = BUNDLED_PLAN.read_text(encoding="utf-8").split("\n")
TEXT = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["1.1.1", "2.", "", "\t", "Департамент освіти", "бюджет громади", "№", "—", "\x00", "\x0b", "1.1.1.1.1"])


@FUZZ
@given(data=st.data())
def test_a_damaged_table_is_read_or_refused_and_imports_cleanly(plan, tmp_path, data):
    lines = list(LINES)
    for _ in range(data.draw(st.integers(1, 8), label="mutations")):
        index = data.draw(st.integers(0, len(lines) - 1), label="line")
        kind = data.draw(st.sampled_from(["delete", "double", "swap", "cell", "split", "cut"]), label="kind")
        if kind == "delete":
            del lines[index]
        elif kind == "double":
            lines.insert(index, lines[index])
        elif kind == "swap":
            other = data.draw(st.integers(0, len(lines) - 1), label="other")
            lines[index], lines[other] = lines[other], lines[index]
        elif kind == "cell":
            cells = lines[index].split("\t")
            cells[data.draw(st.integers(0, len(cells) - 1), label="cell")] = data.draw(TEXT, label="text")
            lines[index] = "\t".join(cells)
        elif kind == "split":
            lines[index:index + 1] = lines[index].split(" ", 1)
        else:
            lines = lines[:index]
        if not lines:
            lines = [""]
    path = tmp_path / "план.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    plan_file_read_or_refused(path)
