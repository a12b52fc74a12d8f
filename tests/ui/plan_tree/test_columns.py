"""The tree's columns: how they share the view's width, and that a scroll bar coming and going changes none."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QTreeView

from tracker.plan.store import current_plan
from tracker.progress.tree import load_tree
from tracker.quarters import Quarter
from ui.plan_tree.columns import ColumnFitter, column_widths
from ui.plan_tree.model import Column, PlanModel


def _shown(view) -> list[tuple[int, int, int]]:
    """(column, where it begins, its width) of every column shown."""
    header = view.header()
    return [(c, header.sectionPosition(c), header.sectionSize(c)) for c in Column if not header.isSectionHidden(c)]


def test_a_filter_that_takes_the_scroll_bar_away_moves_no_column(plan, qtbot):
    """At a width where the narrow tree leaves «Оновлено» out, the bar gone (a search leaves a few rows) gave the
    view the bar's width: the column came back, or the text grew and pushed the others right — the columns jumped at
    each keystroke that hid or showed the bar."""
    model = PlanModel()
    model.set_tree(load_tree(current_plan(), Quarter(2025, 2)))
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.expandAll()
    fitter = ColumnFitter(view)
    view.show()
    bar = view.verticalScrollBar().sizeHint().width()
    code, percent = view.header().sectionSize(Column.CODE), view.header().sectionSize(Column.PERCENT)
    # a viewport width with the bar at which «Оновлено» is left out, and shown without the bar's width taken
    width = next(w for w in range(300, 2000) if column_widths(w, code, percent)[Column.UPDATED] == 0
                 and column_widths(w + bar, code, percent)[Column.UPDATED] > 0)
    view.resize(width + view.width() - view.viewport().width(), 400)
    QApplication.processEvents()
    assert view.verticalScrollBar().isVisible() and Column.UPDATED not in [c for c, *_ in _shown(view)]
    before = _shown(view)
    for row in range(1, model.rowCount()):
        view.setRowHidden(row, view.rootIndex(), True)
    view.collapse(model.index(0, 0))  # one row left: no bar
    qtbot.waitUntil(lambda: not view.verticalScrollBar().isVisible(), timeout=5000)
    QApplication.processEvents()
    assert _shown(view) == before
    fitter.fit()
    assert _shown(view) == before


def test_the_status_column_fits_a_state_carried_from_an_earlier_quarter_and_no_more(plan, qtbot):
    """At a quarter's start every row carries the last one's state: «Частково виконано (III…» at 1366×768, 125 %.
    The status column takes the room for it, at no width leaving the text less than its share."""
    from tracker.progress.records import find_measure, save_progress
    from ui.plan_tree.columns import TEXT_SHARE

    measure = find_measure(current_plan(), "1.1.5")
    save_progress(measure, Quarter(2025, 1), {"status": "partially_done", "percent": 40}, author="Оля")
    reported, carrying = (load_tree(current_plan(), Quarter(2025, number)) for number in (1, 2))
    model = PlanModel()
    model.set_tree(carrying)
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    ColumnFitter(view)
    view.show()
    metrics = view.fontMetrics()
    carried = model.data(model.index_of_measure(measure.id).siblingAtColumn(Column.STATUS))
    assert carried.endswith("(I кв. 2025)")
    whole = 0
    for width in range(500, 1300, 50):
        view.resize(width, 400)
        QApplication.processEvents()
        model.set_tree(reported)  # reported there: no room taken for a quarter
        assert model.carried_texts() == set()
        plain = dict((c, size) for c, _, size in _shown(view))
        model.set_tree(carrying)
        shown = dict((c, size) for c, _, size in _shown(view))
        room = view.viewport().width()  # beside the scroll bar, shown or not (as the fitter shares it)
        room -= 0 if view.verticalScrollBar().isVisible() else view.verticalScrollBar().sizeHint().width()
        share = TEXT_SHARE * room
        assert plain[Column.STATUS] <= shown[Column.STATUS]
        assert shown[Column.TEXT] >= min(plain[Column.TEXT], share - 1)
        if shown[Column.STATUS] < metrics.horizontalAdvance(carried) + 16:  # cut only to keep the text its share
            assert shown[Column.TEXT] <= share + 1 or shown[Column.STATUS] == plain[Column.STATUS]
        else:
            whole += 1
            assert plain[Column.STATUS] < metrics.horizontalAdvance(carried)
    assert whole  # the wider views show it whole
