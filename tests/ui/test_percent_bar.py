"""How the window writes a percent (ui.percent_bar.percent_text)."""

import pytest

from ui.percent_bar import percent_text


@pytest.mark.parametrize("percent, shown", [
    (0, "0 %"), (0.4, "< 1 %"), (0.5, "1 %"), (2.5, "3 %"), (12.49, "12 %"), (99.4, "99 %"), (99.5, "> 99 %"),
    (99.99, "> 99 %"), (100, "100 %")])
def test_a_percent_is_whole_half_up_but_never_none_or_all_when_it_is_not(percent, shown):
    """«середній % виконання: 0 %» beside a goal at 1 %: a little done read as nothing."""
    assert percent_text(percent) == shown
