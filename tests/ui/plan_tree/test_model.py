"""The plan tree's model: every row and cell says the node it stands for, over Qt's own items."""

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QStandardItemModel

from tests.ui.helpers import tree_rows
from tracker.plan.store import current_plan
from tracker.progress.records import find_measure, save_progress
from tracker.progress.tree import load_tree
from tracker.quarters import Quarter
from ui.plan_tree.model import Column, PlanModel
from ui.plan_tree.roles import Role

Q = Quarter(2025, 2)


def _nodes(tree):
    """The tree's goals, tasks and measures in the same order, as (kind, node)."""
    for sg in tree.strategic_goals:
        yield "strategic", sg
        for og in sg.operational_goals:
            yield "operational", og
            for task in og.tasks:
                yield "task", task
                yield from (("measure", m) for m in task.measures)


def test_every_row_and_every_cell_stands_for_its_own_node(plan):
    save_progress(find_measure(plan, "1.1.2"), Q, {"status": "done", "percent": 100}, author="t")
    tree = load_tree(current_plan(), Q)
    model = PlanModel()
    model.set_tree(tree)
    rows = list(tree_rows(model))
    nodes = list(_nodes(tree))
    assert len(rows) == len(nodes) == len(tree.measures()) + sum(
        1 + len(og.tasks) for sg in tree.strategic_goals for og in sg.operational_goals) + len(tree.strategic_goals)
    for index, (kind, node) in zip(rows, nodes):
        assert index.data(Role.NODE_KIND) == kind
        assert model.row_key(index) == (kind, node.id)
        for column in Column:  # each column of the row, the last ones too: the row has every column
            cell = index.siblingAtColumn(column)
            assert cell.isValid() and model.row_key(cell) == (kind, node.id)
        assert index.siblingAtColumn(Column.TEXT).data() == node.title
        if kind == "measure":
            assert model.measure_at(index.siblingAtColumn(Column.UPDATED)) is node
            assert index.data() == node.code and model.index_of_measure(node.id) == index
            assert not model.hasChildren(index)
        else:
            assert model.measure_at(index) is None and model.hasChildren(index)
    done = model.index_of_measure(find_measure(plan, "1.1.2").id)
    assert done.siblingAtColumn(Column.STATUS).data() == "Виконано"
    assert done.siblingAtColumn(Column.PERCENT).data() == "100 %"


def test_a_tree_taken_anew_leaves_no_row_of_the_old_one(plan):
    model = PlanModel()
    model.set_tree(load_tree(current_plan(), Q))
    first = model.index_of_measure(find_measure(plan, "1.1.1").id)
    assert model.measure_at(first).code == "1.1.1"
    smaller = load_tree(current_plan(), Q)
    smaller.strategic_goals = smaller.strategic_goals[1:]  # the first strategic goal's rows gone
    model.set_tree(smaller)
    assert not model.index_of_measure(find_measure(plan, "1.1.1").id).isValid()
    shown = [model.measure_at(index) for index in tree_rows(model)]
    assert [m.id for m in shown if m is not None] == [m.id for m in smaller.measures()]
    assert model.rowCount() == len(smaller.strategic_goals)


def test_another_models_index_is_no_row_of_the_plan(plan):
    model = PlanModel()
    model.set_tree(load_tree(current_plan(), Q))
    other = QStandardItemModel(3, 6)
    assert model.measure_at(other.index(1, 0)) is None and model.row_key(other.index(1, 0)) is None
    assert model.measure_at(QModelIndex()) is None


def test_a_tree_read_anew_with_a_measure_moved_to_the_next_task_shows_it_under_that_task(plan):
    model = PlanModel()
    model.set_tree(load_tree(current_plan(), Q))
    moved = load_tree(current_plan(), Q)
    goal = next(og for sg in moved.strategic_goals for og in sg.operational_goals
                if len(og.tasks) > 1 and len(og.tasks[0].measures) > 1)
    first, second = goal.tasks[0], goal.tasks[1]
    measure = first.measures.pop()  # the last of its task to the front of the next: the measures keep their order
    second.measures.insert(0, measure)
    assert [m.id for m in moved.measures()] == [m.id for m in model.tree.measures()]
    model.update_tree(moved, set())
    index = model.index_of_measure(measure.id)
    assert model.row_key(index.parent()) == ("task", second.id)
    assert model.measure_at(index) is measure
    assert [model.measure_at(model.index(row, 0, index.parent())).id for row in range(model.rowCount(index.parent()))] \
        == [m.id for m in second.measures]


def test_the_legend_wraps_only_between_its_entries():
    """At 125 % the legend under the tree wrapped inside an entry: «◐ Частково» at a line's end, «виконано» below."""
    from tracker.i18n import tr
    from tracker.progress.status import Status
    from ui.plan_tree.model import legend

    text = legend()
    for status in Status:
        words = tr(status.label).split()
        assert "\u00a0".join(words) in text
    assert all(" " not in entry for entry in text.split("   "))


def test_a_header_title_cut_by_a_narrow_column_ends_in_an_ellipsis_and_is_whole_in_its_tooltip(plan, qtbot):
    """«Відповідальні викона» at 1366×768, 125 %: a header cuts its title unless told to elide it."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTreeView

    from ui.plan_tree.columns import ColumnFitter

    model = PlanModel()
    model.set_tree(load_tree(current_plan(), Quarter(2025, 2)))
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    ColumnFitter(view)
    view.resize(1200, 400)
    view.show()
    header = view.header()
    assert not header.isSectionHidden(Column.EXECUTORS)
    title = model.headerData(Column.EXECUTORS, Qt.Orientation.Horizontal)
    header.resizeSection(Column.EXECUTORS, header.fontMetrics().horizontalAdvance(title) // 2)
    shown = header.fontMetrics().elidedText(title, header.textElideMode(), header.sectionSize(Column.EXECUTORS))
    assert shown != title and shown.endswith("…")
    assert model.headerData(Column.EXECUTORS, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == title
