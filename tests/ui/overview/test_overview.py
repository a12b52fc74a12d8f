"""The overview tab on the real plan: department table, goal bars, status counts, language switch."""

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from tracker.progress.overview import executor_progress, goal_progress
from tracker.progress.records import find_measure, save_progress
from tracker.progress.rollup import NOT_REPORTED
from tracker.progress.tree import load_tree
from tracker.quarters import Quarter
from ui.i18n import set_language
from ui.overview.executor_model import ExecutorColumn, ExecutorRole
from ui.overview.tab import OverviewTab

Q1, Q2 = Quarter(2025, 1), Quarter(2025, 2)
RECORDS = [  # code, quarter, values
    ("1.1.1", Q2, {"status": "in_progress", "percent": 50}),
    ("1.2.8", Q2, {"status": "done", "percent": 100}),
    ("2.2.11", Q1, {"status": "in_progress", "percent": 40}),  # carried into Q2, not reported there
    ("4.3.10", Q2, {"status": "partially_done", "percent": 70}),
    ("3.1.1", Q2, {"status": "obsolete", "percent": 0}),
    ("5.1.1", Q2, {"status": "not_started", "percent": 0}),
]


@pytest.fixture
def tree(plan):
    for code, quarter, values in RECORDS:
        save_progress(find_measure(plan, code), quarter, values, author="t")
    return load_tree(plan, Q2)


@pytest.fixture
def overview(qtbot, tree):
    tab = OverviewTab()
    qtbot.addWidget(tab)
    tab.set_tree(tree)
    return tab


@pytest.fixture
def english():
    set_language("en")
    try:
        yield
    finally:
        set_language("uk")


def _column(tab, column):
    return [tab.proxy.index(row, column).data(ExecutorRole.SORT) for row in range(tab.proxy.rowCount())]


def test_executor_model_passes_the_model_tester(overview, qtmodeltester):
    qtmodeltester.check(overview.executor_model)
    qtmodeltester.check(overview.proxy)


def test_executor_rows_are_the_tracker_numbers(overview, tree):
    expected = {row.executor_id: row for row in executor_progress(tree)}
    model = overview.executor_model
    assert model.rowCount() == len(expected) == 54
    for row in range(model.rowCount()):
        cells = [model.index(row, column) for column in ExecutorColumn]
        executor = expected[cells[0].data(ExecutorRole.EXECUTOR_ID)]
        assert cells[ExecutorColumn.NAME].data() == executor.name
        assert cells[ExecutorColumn.MEASURES].data(ExecutorRole.SORT) == executor.measures
        assert cells[ExecutorColumn.REPORTED].data(ExecutorRole.SORT) == executor.reported
        assert cells[ExecutorColumn.NOT_REPORTED].data(ExecutorRole.SORT) == executor.not_reported
        assert cells[ExecutorColumn.PERCENT].data(ExecutorRole.PERCENT) == executor.rollup.percent
        assert cells[ExecutorColumn.MEASURES].data() == str(executor.measures)
        last = cells[ExecutorColumn.LAST_REPORTED].data()
        assert last == (executor.last_reported.strftime("%d.%m.%Y") if executor.reported else "—")
    housing = next(d for d in expected.values() if d.name == "Департамент житлово-комунального господарства")
    assert housing.reported == 1 and housing.last_reported is not None  # 1.2.8, reported done for the quarter
    # a department whose measure is only carried into the quarter has not reported for it
    carried_only = [d for d in expected.values() if d.reported == 0]
    assert carried_only and all(d.last_reported is None for d in carried_only)


def test_default_order_puts_the_most_not_reported_on_top(overview):
    header = overview.table.horizontalHeader()
    assert header.sortIndicatorSection() == ExecutorColumn.NOT_REPORTED
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    late = _column(overview, ExecutorColumn.NOT_REPORTED)
    assert late == sorted(late, reverse=True)
    assert overview.proxy.index(0, ExecutorColumn.NAME).data() == "Департамент економічної політики"


def test_clicking_a_numeric_header_sorts_numerically(overview, qtbot):
    overview.show()
    qtbot.waitExposed(overview)
    header = overview.table.horizontalHeader()
    x = header.sectionViewportPosition(ExecutorColumn.MEASURES) + header.sectionSize(ExecutorColumn.MEASURES) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    assert header.sortIndicatorSection() == ExecutorColumn.MEASURES
    counts = _column(overview, ExecutorColumn.MEASURES)
    shown = [int(overview.proxy.index(row, ExecutorColumn.MEASURES).data()) for row in range(len(counts))]
    ascending = header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert shown == sorted(shown, reverse=not ascending)
    assert {9, 13} <= set(shown)  # as text "13" would sort before "9"
    overview.table.sortByColumn(ExecutorColumn.PERCENT, Qt.SortOrder.DescendingOrder)
    percents = _column(overview, ExecutorColumn.PERCENT)
    assert percents == sorted(percents, reverse=True) and percents[0] > 0


def test_double_click_and_enter_emit_the_executor_id(overview, qtbot):
    overview.resize(1300, 800)
    overview.show()
    qtbot.waitExposed(overview)
    table = overview.table
    emitted = []
    overview.executorActivated.connect(emitted.append)
    center = table.visualRect(overview.proxy.index(2, ExecutorColumn.REPORTED)).center()
    with qtbot.waitSignal(overview.executorActivated, timeout=1000) as blocker:
        # Qt 6's mouseDClick sends only the second press of a double click; the first is ours
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=center)
        QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert blocker.args == [overview.executor_id_at(2)]
    assert emitted == [overview.executor_id_at(2)]  # once, not once per signal of the gesture
    table.setCurrentIndex(overview.proxy.index(5, ExecutorColumn.NAME))
    with qtbot.waitSignal(overview.executorActivated, timeout=1000) as blocker:
        QTest.keyClick(table, Qt.Key.Key_Return)
    assert blocker.args == [overview.executor_id_at(5)]


def test_goal_bars_have_a_row_per_goal_with_its_percent(overview, tree):
    rows = overview.goal_bars.rows
    assert len(rows) == 24
    assert [r.level for r in rows].count(0) == 5
    expected = goal_progress(tree)
    assert [(r.code, r.rollup.percent) for r in rows] == [(g.code, g.rollup.percent) for g in expected]
    by_code = {r.code: r for r in rows}
    og = tree.strategic_goals[0].operational_goals[0]
    assert by_code["1.1"].rollup.percent == pytest.approx(50 / len(og.measures()))
    assert by_code["1"].rollup.percent > 0
    tooltip = overview.goal_bars.tooltip_html(rows.index(by_code["5.1"]))
    assert "Створення інноваційних, промислових, екопарків" in tooltip  # the full title, never elided


def test_status_counts_are_the_whole_plan(overview, tree):
    counts = overview.status_counts
    for code in ("not_started", "in_progress", "done", "partially_done", "not_done", "obsolete"):
        assert counts.count(code) == tree.rollup.counts[code]
    assert counts.count("done") == 1 and counts.count("in_progress") == 1  # 2.2.11 is carried: not reported
    assert counts.count(NOT_REPORTED) == 233 - 5
    assert sum(counts.count(code) for code in (*tree.rollup.counts,)) == 233  # the cards add up to the plan
    assert counts.caption(NOT_REPORTED) == "Не подано"
    assert counts.caption("partially_done") == "Частково виконано"


def test_status_shares_follow_the_window_s_percent_rule(overview):
    """232 of 233 measures «Не подано» read «100 %» with one reported; 1 of 233, «< 1 %»."""
    from tracker.progress.rollup import Rollup

    counts = overview.status_counts
    counts.set_rollup(Rollup(measures=233, counts={NOT_REPORTED: 232, "done": 1}))
    shares = {code: card.share.text() for code, card in counts._cards.items()}
    assert (shares[NOT_REPORTED], shares["done"], shares["in_progress"]) == ("> 99 %", "< 1 %", "0 %")
    counts.set_rollup(Rollup(measures=200, counts={NOT_REPORTED: 195, "done": 5}))  # 2,5 %: half up
    assert counts._cards["done"].share.text() == "3 %"


def test_set_tree_again_shows_the_new_quarter_and_edits(overview, plan):
    assert overview.title_label.text() == "Огляд виконання за II кв. 2025"
    save_progress(find_measure(plan, "1.1.2"), Q2, {"status": "done", "percent": 100}, author="t")
    overview.set_tree(load_tree(plan, Q2))
    assert overview.status_counts.count("done") == 2
    overview.set_tree(load_tree(plan, Q1))
    assert overview.title_label.text() == "Огляд виконання за I кв. 2025"
    assert overview.status_counts.count("in_progress") == 1
    assert sum(_column(overview, ExecutorColumn.REPORTED)) > 0


def test_language_switch_retranslates_title_headers_and_counts(overview, qtbot, english):
    with qtbot.waitSignal(overview.executor_model.headerDataChanged):
        overview.retranslate()
    header = [overview.proxy.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
              for c in ExecutorColumn]
    assert header == ["Responsible executor", "Measures", "Reported", "Not reported", "Average %", "Reported on"]
    assert overview.title_label.text() == "Progress overview for Q2 2025"
    assert overview.goals_heading.text() == "Progress by goal"
    assert overview.status_counts.caption(NOT_REPORTED) == "Not reported"
    assert overview.goal_bars.code_text(overview.goal_bars.rows[0]) == "SG 1"
    assert "Measures: 233" in overview.summary_label.text()
    set_language("uk")
    overview.retranslate()
    assert overview.proxy.headerData(ExecutorColumn.NAME, Qt.Orientation.Horizontal) == "Виконавець"


def _report_a_busy_quarter(plan, tree):
    """Varied states for about half the measures, so the screenshot shows what a real quarter looks like."""
    for i, measure in enumerate(tree.measures()):
        if i % 2:
            continue
        status, percent = [("in_progress", 10 + i * 37 % 85), ("done", 100), ("partially_done", 30 + i % 60),
                           ("in_progress", 5 + i * 13 % 90), ("not_started", 0), ("not_done", 0)][i // 2 % 6]
        save_progress(find_measure(plan, measure.code), Q2, {"status": status, "percent": percent}, author="t")


def test_screenshot(overview, plan, tree, qtbot, screenshot):
    _report_a_busy_quarter(plan, tree)
    overview.set_tree(load_tree(plan, Q2))
    overview.resize(1300, 800)
    overview.show()
    qtbot.waitExposed(overview)
    bars = overview.goal_bars
    # the scroll area settles its scroll bars in a posted layout pass after the first show
    qtbot.waitUntil(lambda: overview.goal_scroll.viewport().width() == bars.width())
    assert bars.minimumSizeHint().height() > 24 * 20  # scrolls in its area instead of squeezing
    assert overview.findChild(type(overview.splitter), "overviewSplitter") is overview.splitter
    screenshot(overview, "overview")


def test_department_names_get_the_tables_room_on_a_laptop(overview, qtbot):
    """At 1366×768 (125 %) the figures' one-line titles made their columns wide for a number or a date, and the
    names were cut to «Відділ з питань на…»: the titles go in two lines, the names take the room."""
    overview.resize(1085, 560)  # the overview tab in a window as large as such a screen allows
    overview.show()
    qtbot.waitExposed(overview)
    table, header = overview.table, overview.table.horizontalHeader()
    assert all("\n" in overview.proxy.headerData(c, Qt.Orientation.Horizontal) for c in
               (ExecutorColumn.NOT_REPORTED, ExecutorColumn.PERCENT, ExecutorColumn.LAST_REPORTED))
    assert header.sectionSize(ExecutorColumn.NAME) >= 0.28 * table.viewport().width()  # was 0.23


def test_every_overview_string_has_english():
    import re
    from pathlib import Path

    from tracker.translations_en import EN
    from ui.overview import executor_model as executor_table_model
    from ui.overview import goal_bars, status_counts
    from ui.overview import tab as overview

    texts = {*executor_table_model.HEADERS.values(), *executor_table_model.KINDS.values(),
             status_counts.NOT_REPORTED_LABEL, status_counts.NOT_REPORTED_HINT}
    for module in (executor_table_model, goal_bars, overview, status_counts):
        texts.update(re.findall(r'\btr\("([^"]+)"', Path(module.__file__).read_text(encoding="utf-8")))
    assert len(texts) > 15
    assert sorted(t for t in texts if t not in EN) == []
