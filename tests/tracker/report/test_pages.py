"""The report's small tables in print: their scale and page breaks (tracker/report/pages.py)."""

from hypothesis import given
from hypothesis import strategies as st

from tracker.report import layout as L
from tracker.report.pages import KEEP_TOGETHER, body_points, fitted_scale, page_ends


def _pages(heights: dict[int, float], ends: list[int]) -> list[list[int]]:
    pages, page = [], []
    for row in heights:
        page.append(row)
        if row in ends:
            pages.append(page)
            page = []
    return pages + [page]


def test_the_scale_fits_the_columns_to_the_page_s_width():
    widths = [60] + [14] * 5
    scale = fitted_scale(widths, landscape=False)
    printed = sum(L.column_pixels(w) for w in widths) / 96 * scale / 100
    assert printed <= L.PAGE_HEIGHT - 2 * L.MARGIN_SIDE  # portrait: the sheet's short side is its width
    assert fitted_scale(widths, landscape=True) > scale and fitted_scale([5], landscape=True) == 100


def test_one_row_and_the_note_no_longer_print_alone():
    """The whole plan's executors: 54 rows of 16–29 points and the note; the last page had held one and the note."""
    capacity = body_points(80, landscape=False)
    per_page = int((capacity - 30) // 18)
    heights = {row: 18.0 for row in range(4, 4 + per_page + 1)} | {4 + per_page + 1: 30.0}  # one row too many
    ends = page_ends(heights, above=30, repeated=30, capacity=capacity)
    pages = _pages(heights, ends)
    assert len(pages) == 2 and len(pages[-1]) - 1 == KEEP_TOGETHER


@given(heights=st.lists(st.floats(min_value=12, max_value=120), min_size=1, max_size=200),
       note=st.floats(min_value=12, max_value=60), above=st.floats(min_value=0, max_value=400))
def test_every_page_holds_its_rows_and_the_last_is_never_a_row_or_two(heights, note, above):
    capacity, repeated = 700.0, 45.0
    rows = {row: height for row, height in enumerate(heights, start=5)} | {5 + len(heights): note}
    ends = page_ends(rows, above, repeated, capacity)
    pages = _pages(rows, ends)
    assert [row for page in pages for row in page] == list(rows) and all(pages)
    for number, page in enumerate(pages):
        used = (above if number == 0 else repeated) + sum(rows[row] for row in page)
        assert used <= capacity or len(page) <= 2, (number, used)  # a row taller than a page still gets one
    if len(pages) > 1 and len(pages[-1]) - 1 < KEEP_TOGETHER:  # too few on the last page: the one before could
        before = pages[-2]                                       # spare none, or the last has no room for it
        assert len(before) <= KEEP_TOGETHER or (repeated + sum(rows[row] for row in pages[-1]) + rows[before[-1]]
                                                > capacity)
    assert list(rows)[-2] in pages[-1]  # the note under the table's last row, on its page
