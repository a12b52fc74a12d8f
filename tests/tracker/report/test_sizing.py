"""Where a text too tall for one row of the report is cut: the parts join back into it, each fits a row."""

from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import WORDS, fuzz_settings
from tracker.report import layout as L
from tracker.report.sizing import MAX_LINES, line_count, text_parts


@fuzz_settings(60)
@given(st.lists(st.text(alphabet="аш і.\n", min_size=1, max_size=12) | st.sampled_from(WORDS), max_size=900)
       .map("".join))
def test_a_long_text_is_cut_after_white_space_into_parts_that_fit_a_row_and_join_back(text):
    parts = text_parts(text, L.COL_NOTE)
    assert "".join(parts) == text
    for part, after in zip(parts, parts[1:]):
        assert part[-1].isspace() and not after[0].isspace()  # cut where the words end, the space kept above
        assert line_count(part + after.split()[0], L.COL_NOTE) > MAX_LINES or len(part.split()) == 1  # as long as fits
    for part in parts:
        assert line_count(part, L.COL_NOTE) <= MAX_LINES or len(part.split()) == 1  # but a word taller than a row
