"""Tree model of the plan for one quarter: a thin adapter over tracker.tree.PlanTree.

The rows' shape is kept by Qt itself (a QStandardItemModel: a goal's or task's row is a Qt item, a measure's an
empty cell of its task's), so a view lays the rows out, expands and hides them without calling into Python; what
each cell shows is answered in Python (``data``) from the tree's nodes, and only for the cells painted. As a
Python model (QAbstractItemModel with Python index(), parent(), rowCount() and flags()), every layout of the
whole tree — a quarter switch, a search keystroke that hides rows, the window's expandAll — was ~20,000 calls
into Python at 4,660 measures, ~45 ms each time; over Qt's own rows it is ~5 ms.

The cells hold nothing the view could change: the view edits nothing (NoEditTriggers), and no cell is set.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel
from shiboken6 import getCppPointer

from tracker.plan.versions import removed_label
from tracker.progress.rollup import NOT_REPORTED, Rollup
from tracker.progress.status import Status
from tracker.progress.tree import MeasureNode, PlanTree

from ..colors import scheme
from ..i18n import N_, language, quarter_label, tr
from ..percent_bar import percent_text
from ..status_style import status_label
from .roles import Role


class Column(enum.IntEnum):
    CODE = 0
    TEXT = 1
    EXECUTORS = 2
    STATUS = 3
    PERCENT = 4
    UPDATED = 5


HEADERS = {
    Column.CODE: N_("Код"),
    Column.TEXT: N_("Зміст"),
    Column.EXECUTORS: N_("Відповідальні виконавці"),
    Column.STATUS: N_("Стан"),
    Column.PERCENT: N_("Виконання, %"),
    Column.UPDATED: N_("Оновлено"),
}
_COLUMN_COUNT = len(Column)
_HEADER_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
_COLUMNS = tuple(Column)  # Column(n) by position: an enum call per data() was a fifth of a window's opening
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_ITEM = Qt.ItemDataRole.UserRole + 100  # a goal's or task's Qt item: its key into PlanModel._items (the model's own)
_SYMBOLS = {Status.DONE: "✔", Status.IN_PROGRESS: "▶", Status.PARTIALLY_DONE: "◐",
            Status.NOT_STARTED: "○", Status.NOT_DONE: "✖", Status.OBSOLETE: "⊘"}


class NodeKind(str, enum.Enum):
    STRATEGIC = "strategic"
    OPERATIONAL = "operational"
    TASK = "task"
    MEASURE = "measure"


class _Item:
    """A row: what it shows (a goal's, task's or measure's node) and where it is."""
    __slots__ = ("kind", "node", "parent", "children", "row", "qt")

    def __init__(self, kind: NodeKind, node, parent: "_Item | None", row: int):
        self.kind, self.node, self.parent, self.row = kind, node, parent, row
        self.children: list[_Item] = []
        self.qt: QStandardItem | None = None  # a goal's or task's Qt item, once the model has made it

    def add(self, kind: NodeKind, node) -> "_Item":
        child = _Item(kind, node, self, len(self.children))
        self.children.append(child)
        return child


def compact_counts(rollup: Rollup) -> str:
    """«✔ 2  ▶ 5  — 12»: measures by status, then those not reported this quarter."""
    parts = [f"{_SYMBOLS[s]} {rollup.counts[s.value]}" for s in Status if rollup.counts.get(s.value)]
    if rollup.not_reported:
        parts.append(f"— {rollup.not_reported}")
    return "  ".join(parts)


def carried_status(status: Status, quarter) -> str:
    """A measure's status cell when the quarter shown has no report of it: the state it carries, and from when."""
    return f"{status_label(status.value)} ({quarter_label(quarter)})"


def legend() -> str:
    """What the counts' symbols mean, shown under the tree: each symbol and its words unbroken (no-break spaces),
    so a narrow window wraps the legend between them, never «◐ Частково» at a line's end and «виконано» below."""
    entries = [f"{_SYMBOLS[s]} {tr(s.label)}" for s in Status] + [f"— {tr('Не подано')}"]
    return "   ".join(entry.replace(" ", "\u00a0") for entry in entries)


def counts_tooltip(rollup: Rollup) -> str:
    lines = [f"{_SYMBOLS[s]} {tr(s.label)}: {rollup.counts.get(s.value, 0)}" for s in Status]
    lines.append(f"— {tr('Не подано')}: {rollup.not_reported}")
    return "\n".join(lines)


def _shape(tree: PlanTree) -> list[tuple]:
    """Where each goal, task and measure of ``tree`` is: (goal id, (operational goal id, (task id, measure ids)…)…)…"""
    return [(sg.id, [(og.id, [(task.id, [m.id for m in task.measures]) for task in og.tasks])
                     for og in sg.operational_goals]) for sg in tree.strategic_goals]


class PlanModel(QStandardItemModel):
    # the tree or its states were taken anew (a reload, a save, another quarter): what a filter shows may differ
    statesMade = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setColumnCount(_COLUMN_COUNT)
        self._scoped: dict | None = None
        self._first_executor: int | None = None  # named first among a measure's executors (the one filtered for)
        self._root = _Item(NodeKind.STRATEGIC, None, None, 0)
        self._items: list[_Item] = []  # every goal's and task's row, by the key its Qt item holds (_ITEM)
        # the goal or task whose rows a cell's index is among, by the index's internalId: Qt's own item model puts
        # the address of the rows' parent item there (the plan's invisible root for the top rows). data() answers
        # ~7 roles of every cell painted, and finding the parent by index.parent() was two calls into Qt each time
        self._by_parent: dict[int, _Item] = {}
        self._tree: PlanTree | None = None
        self._measure_items: dict[int, _Item] = {}
        self._language = language()  # the language the view's texts were last painted in
        self._answers = self._role_answers()
        self.states_made = 0  # counts the trees and states taken: what a filter matched may differ after each

    # -- loading ---------------------------------------------------------------------------

    def set_tree(self, tree: PlanTree) -> None:
        """Full reload (a new quarter or database); small edits use refresh_measure instead."""
        self.beginResetModel()
        self.states_made += 1
        self._tree = tree
        self._root = _Item(NodeKind.STRATEGIC, None, None, 0)
        self._measure_items = {}
        for sg in tree.strategic_goals:
            sg_item = self._root.add(NodeKind.STRATEGIC, sg)
            for og in sg.operational_goals:
                og_item = sg_item.add(NodeKind.OPERATIONAL, og)
                for task in og.tasks:
                    task_item = og_item.add(NodeKind.TASK, task)
                    for measure in task.measures:
                        self._measure_items[measure.id] = task_item.add(NodeKind.MEASURE, measure)
        self.blockSignals(True)  # the rows change inside the reset the views were told of: one signal, not many
        try:
            root = self.invisibleRootItem()
            root.removeRows(0, root.rowCount())
            self._items = []
            self._by_parent = {getCppPointer(root)[0]: self._root}
            root.appendRows(self._qt_rows(self._root))
        finally:
            self.blockSignals(False)
        self.endResetModel()
        self.statesMade.emit()

    def _qt_rows(self, parent: _Item) -> list[QStandardItem]:
        """Qt's items for the goals or tasks under ``parent``, with their rows under them. Only a goal or task gets
        an item, holding its key (_ITEM), nothing it shows; a measure's row is an empty cell of its task's (the
        item's setRowCount, made in Qt, never a Python object: 4,660 of them at ×20)."""
        rows = []
        for item in parent.children:
            row = QStandardItem()  # not a prototype's clone(): PySide lets go of a clone's Python side once it is added
            row.setFlags(_FLAGS)
            row.setData(len(self._items), _ITEM)
            row.setColumnCount(_COLUMN_COUNT)  # before its rows come: each has every column, none of them an item
            self._items.append(item)
            self._by_parent[getCppPointer(row)[0]] = item
            item.qt = row
            if item.kind is NodeKind.TASK:
                row.setRowCount(len(item.children))
            else:
                row.appendRows(self._qt_rows(item))
            rows.append(row)
        return rows

    def update_tree(self, tree: PlanTree, changed_measure_ids: set[int]) -> None:
        """Take a reloaded tree of the same plan, or the one shown with states refreshed in place
        (tracker.progress.tree.refresh_states); repaint only the changed measures and their parents."""
        if tree is not self._tree and not self._took_nodes(tree):
            return  # other rows: the model was reset to them
        self.states_made += 1
        last = len(Column) - 1
        for measure_id in changed_measure_ids:
            item = self._measure_items.get(measure_id)
            while item is not None and item is not self._root:
                first = self._index(item)
                self.dataChanged.emit(first, first.siblingAtColumn(last))
                item = item.parent
        self.statesMade.emit()

    def _took_nodes(self, tree: PlanTree) -> bool:
        """The rows show ``tree``'s nodes when it has the same goals, tasks and measures in the same places (True);
        else the model is reset to it (False). Measures alone in the same order are not enough: one moved to the
        next task keeps their order, and its row would stay under the task it left."""
        if self._tree is None or _shape(self._tree) != _shape(tree):
            self.set_tree(tree)
            return False
        self._tree = tree
        for sg_item, sg in zip(self._root.children, tree.strategic_goals):
            sg_item.node = sg
            for og_item, og in zip(sg_item.children, sg.operational_goals):
                og_item.node = og
                for task_item, task in zip(og_item.children, og.tasks):
                    task_item.node = task
                    for measure_item, measure in zip(task_item.children, task.measures):
                        measure_item.node = measure
        return True

    def retranslate(self) -> None:
        """Texts depend on the language (headers, goal codes, status labels): repaint them all when it has changed
        (the window retranslates when it opens, and after the settings dialog, which may keep the language)."""
        if self._language == language():
            return
        self._language = language()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        self._repaint(Column.CODE, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole])

    def restated(self) -> None:
        """The tree's states and rollups were made anew in place (another quarter, the same plan): every row's
        state, percent and date changed, the rows did not. Said as one layout change with no row moved — views
        lay the rows out again and repaint them all, keeping what is expanded and selected — not as a dataChanged
        per group of rows: 1,520 signals at 4,660 measures, which the view handled through Python calls, 0.2 s."""
        self.states_made += 1
        self.layoutAboutToBeChanged.emit()
        self.layoutChanged.emit()
        self.statesMade.emit()

    def _repaint(self, first_column: Column, roles=()) -> None:
        last = len(Column) - 1
        for item, index in [(self._root, QModelIndex())] + [(group, group.qt.index()) for group in self._walk_groups()]:
            if item.children:
                self.dataChanged.emit(self.index(0, first_column, index),
                                      self.index(len(item.children) - 1, last, index), roles)

    @property
    def tree(self) -> PlanTree | None:
        return self._tree

    def measure_count(self, among=None) -> int:
        """Measures of the plan in the quarter, or those of them whose ids are ``among`` (removed ones, when shown,
        are not counted)."""
        return self._count(among, removed=False)

    def removed_count(self, among=None) -> int:
        """Removed measures shown (Вигляд → Показувати виключені заходи), or those of them whose ids are ``among``."""
        return self._count(among, removed=True)

    def _count(self, among, removed: bool) -> int:
        items = self._measure_items
        nodes = (item.node for item in items.values()) if among is None else (
            items[measure_id].node for measure_id in among if measure_id in items)
        return sum(1 for node in nodes if bool(node.removed) is removed)

    def carried_texts(self) -> set[str]:
        """The status cells of the measures not reported for the quarter shown, which show an earlier one's state
        («Виконується (III кв. 2026)»), one of each: the status column is made as wide as the widest. None at all
        (read from the plan's rollup) when every measure is reported or never was."""
        rollup = self._tree.rollup if self._tree is not None else None
        if rollup is None or rollup.not_reported == rollup.never_reported:
            return set()
        carried = {(state.status, state.quarter) for state in (item.node.state for item in self._measure_items.values()
                                                               if not item.node.removed)
                   if state is not None and not state.reported}
        return {carried_status(status, quarter) for status, quarter in carried}

    def index_of_measure(self, measure_id: int) -> QModelIndex:
        item = self._measure_items.get(measure_id)
        return self._index(item) if item else QModelIndex()

    def rows_to_hide(self, shown) -> set[_Item]:
        """The rows a view hides to show only the measures whose ids are in ``shown`` and the goals and tasks above
        them: every other measure, and every goal or task with none of them under it."""
        hidden: set[_Item] = set()

        def look(item: _Item) -> bool:  # does anything under ``item`` stay?
            stays = False
            for child in item.children:
                kept = child.node.id in shown if child.kind is NodeKind.MEASURE else look(child)
                if not kept:
                    hidden.add(child)
                stays = stays or kept
            return stays

        look(self._root)
        return hidden

    def place(self, item: _Item) -> tuple[int, QModelIndex]:
        """An item's row and its parent's index: where a view hides or shows it (QTreeView.setRowHidden)."""
        parent = item.parent
        return item.row, QModelIndex() if parent is self._root else self._index(parent)

    def groups(self) -> list[QModelIndex]:
        """Every goal and task, in no particular order."""
        return [item.qt.index() for item in self._walk_groups()]

    def first_measure_under(self, index: QModelIndex) -> MeasureNode | None:
        """The first measure in the tree at or under ``index`` (a goal or task always has one)."""
        item = self._item(index)
        while item is not None and item.kind is not NodeKind.MEASURE:
            item = item.children[0] if item.children else None
        return item.node if item is not None else None

    def measure_at(self, index: QModelIndex) -> MeasureNode | None:
        item = self._item(index)
        return item.node if item is not None and item.kind is NodeKind.MEASURE else None

    def row_key(self, index: QModelIndex) -> tuple[str, int] | None:
        """A row as the same row is known in a tree read anew: its kind and node id (None: not one of ours)."""
        item = self._item(index)
        return (item.kind.value, item.node.id) if item is not None else None

    def _item(self, index: QModelIndex | QPersistentModelIndex) -> _Item | None:
        """The row at ``index``, in any column; None for an invalid index or another model's."""
        if not index.isValid() or index.model() is not self:
            return None  # another model's index (the overview's, say) says nothing of our rows
        return self._under(index.parent()).children[index.row()]

    def _under(self, parent: QModelIndex) -> _Item:
        """The goal or task whose rows ``parent``'s are (the plan's own for the top rows): by the key its Qt item
        holds."""
        key = QStandardItemModel.data(self, parent, _ITEM) if parent.isValid() else None
        return self._root if key is None else self._items[key]

    def _index(self, item: _Item, column: int = 0) -> QModelIndex:
        parent = item.parent
        return self.index(item.row, column, QModelIndex() if parent is self._root else parent.qt.index())

    # -- Qt model interface (the rows' shape is Qt's own: only the headers and what the cells show are answered here)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column) and role in _HEADER_ROLES:
            return tr(HEADERS[Column(section)])  # the tooltip too: a narrow column's title ends in «…»
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        # by a table of the roles answered: a view asks ~7 roles of every cell it paints, most of them answered None
        answer = self._answers.get(role)
        if answer is None or not index.isValid():
            return None
        parent = self._by_parent.get(index.internalId()) or self._under(index.parent())
        return answer(parent.children[index.row()], _COLUMNS[index.column()])

    def _role_answers(self) -> dict:
        """What each role answered says of an item in a column; a role not here is None for every cell."""
        roles = Qt.ItemDataRole
        return {
            roles.DisplayRole: self._display,
            roles.ToolTipRole: self._tooltip,
            roles.FontRole: self._font,
            roles.ForegroundRole: self._foreground,
            roles.TextAlignmentRole: lambda item, column: int(Qt.AlignmentFlag.AlignCenter)
            if column is Column.PERCENT else None,
            Role.MEASURE_ID: lambda item, column: item.node.id if item.kind is NodeKind.MEASURE else None,
            Role.BAR: self._bar,
            # each of the bar's four values by itself (_bar says them all at once)
            Role.PERCENT: lambda item, column: self._bar(item, column)[0],
            Role.STATUS_CODE: lambda item, column: self._bar(item, column)[1],
            Role.NODE_KIND: lambda item, column: self._bar(item, column)[2],
            Role.REPORTED: lambda item, column: self._bar(item, column)[3],
        }

    def _font(self, item: _Item, column: Column):
        if item.kind in (NodeKind.STRATEGIC, NodeKind.OPERATIONAL):
            font = QFont()
            font.setBold(True)
            return font
        if item.kind is NodeKind.MEASURE and item.node.removed:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def _foreground(self, item: _Item, column: Column):
        if item.kind is not NodeKind.MEASURE:
            return None
        if item.node.removed:
            return QColor(scheme().muted)
        if column is Column.STATUS and (item.node.state is None or not item.node.state.reported):
            return QColor(scheme().warning)
        return None

    def _bar(self, item: _Item, column: Column):
        """(percent, status code, node kind, reported) of the percent bar, in one answer: the bar's delegate
        paints every visible row, and each role it asked was a call into Python."""
        state = item.node.state if item.kind is NodeKind.MEASURE else None
        return (self._percent(item), state.status.value if state else None, item.kind.value,
                bool(state and state.reported) if item.kind is NodeKind.MEASURE else None)

    def set_scoped_rollups(self, rollups: dict | None) -> None:
        """Goals and tasks roll up only these (tracker.progress.tree.scoped_rollups), or all measures (None)."""
        if rollups is None and self._scoped is None:
            return  # unscoped before and after (a search typed, say): nothing the groups show has changed
        groups = list(self._walk_groups())
        before = [self._rollup(item) for item in groups]
        self._scoped = rollups
        for item, shown in zip(groups, before):
            # only the groups whose numbers differ: after a save in a department's view, the saved measure's few
            # groups, not every goal and task (1,520 at ×20, each a repaint and a look through the filter)
            if self._rollup(item) != shown:
                first = self._index(item, Column.STATUS)
                self.dataChanged.emit(first, first.siblingAtColumn(Column.PERCENT))

    def put_first(self, executor_id: int | None) -> None:
        """Name this executor first among each measure's executors (None: in the plan's order): filtered for one
        department, a row whose first executor was another looked like a measure of that other one."""
        if executor_id == self._first_executor:
            return
        self._first_executor = executor_id
        self.layoutAboutToBeChanged.emit()  # one signal for every row's executors (as restated), no row moved
        self.layoutChanged.emit()

    def _walk_groups(self):
        pending = list(self._root.children)
        while pending:
            item = pending.pop()
            if item.kind is not NodeKind.MEASURE:
                yield item
                pending.extend(item.children)

    def _rollup(self, item: _Item):
        if self._scoped is not None:
            scoped = self._scoped.get((item.kind.value, item.node.id))
            if scoped is not None:
                return scoped
        return item.node.rollup

    def _percent(self, item: _Item) -> float | None:
        if item.kind is NodeKind.MEASURE:
            return float(item.node.state.percent) if item.node.state else None
        return self._rollup(item).percent

    def _display(self, item: _Item, column: Column) -> str:
        node = item.node
        if column is Column.CODE:
            if item.kind is NodeKind.STRATEGIC:
                return tr("СЦ {number}", number=node.number)
            return node.code if item.kind in (NodeKind.OPERATIONAL, NodeKind.MEASURE) else ""
        if column is Column.TEXT:
            return node.title
        if column is Column.EXECUTORS:
            if item.kind is not NodeKind.MEASURE:
                return ""
            names = node.executors
            if self._first_executor in node.executor_ids:
                at = node.executor_ids.index(self._first_executor)
                names = [names[at], *names[:at], *names[at + 1:]]
            return ", ".join(names)
        if column is Column.STATUS:
            if item.kind is NodeKind.MEASURE and node.removed:
                return removed_label(node.removed)
            if item.kind is NodeKind.MEASURE:
                state = node.state
                if state is None:
                    return tr("Не подано")
                if state.reported:
                    return status_label(state.status.value)
                return carried_status(state.status, state.quarter)
            return compact_counts(self._rollup(item))
        if column is Column.PERCENT:
            percent = self._percent(item)
            return "" if percent is None else percent_text(percent)
        if column is Column.UPDATED and item.kind is NodeKind.MEASURE and node.state is not None:
            when = node.state.updated_at.strftime("%d.%m.%Y")
            return f"{when}, {node.state.updated_by}" if node.state.updated_by else when
        return ""

    def _tooltip(self, item: _Item, column: Column) -> str | None:
        if column is Column.STATUS and item.kind is not NodeKind.MEASURE:
            return counts_tooltip(self._rollup(item))
        if column is Column.STATUS and item.kind is NodeKind.MEASURE:
            state = item.node.state
            if state is None:
                return tr("не звітовано за жодний квартал")
            if not state.reported:
                return tr("дані за {quarter} (за цей квартал не подано)", quarter=quarter_label(state.quarter))
            return None
        text = self._display(item, column)
        return text if len(text) > 40 else None


__all__ = ["PlanModel", "Column", "NodeKind", "NOT_REPORTED"]
