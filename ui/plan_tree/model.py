"""Tree model of the plan for one quarter: a thin adapter over tracker.tree.PlanTree."""

from __future__ import annotations

import enum

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from tracker.plan.versions import removed_label
from tracker.progress.rollup import NOT_REPORTED, Rollup
from tracker.progress.status import Status
from tracker.progress.tree import MeasureNode, PlanTree

from ..colors import scheme
from ..i18n import N_, language, quarter_label, tr
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
_COLUMNS = tuple(Column)  # Column(n) by position: an enum call per data() was a fifth of a window's opening
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # made once: the view asks for every row
_SYMBOLS = {Status.DONE: "✔", Status.IN_PROGRESS: "▶", Status.PARTIALLY_DONE: "◐",
            Status.NOT_STARTED: "○", Status.NOT_DONE: "✖", Status.OBSOLETE: "⊘"}


class NodeKind(str, enum.Enum):
    STRATEGIC = "strategic"
    OPERATIONAL = "operational"
    TASK = "task"
    MEASURE = "measure"


class _Item:
    __slots__ = ("kind", "node", "parent", "children", "row")

    def __init__(self, kind: NodeKind, node, parent: "_Item | None", row: int):
        self.kind, self.node, self.parent, self.row = kind, node, parent, row
        self.children: list[_Item] = []

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


def legend() -> str:
    """What the counts' symbols mean, shown under the tree."""
    return "   ".join([f"{_SYMBOLS[s]} {tr(s.label)}" for s in Status] + [f"— {tr('Не подано')}"])


def counts_tooltip(rollup: Rollup) -> str:
    lines = [f"{_SYMBOLS[s]} {tr(s.label)}: {rollup.counts.get(s.value, 0)}" for s in Status]
    lines.append(f"— {tr('Не подано')}: {rollup.not_reported}")
    return "\n".join(lines)


class PlanModel(QAbstractItemModel):
    # the tree or its states were taken anew (a reload, a save, another quarter): what a filter shows may differ
    statesMade = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._scoped: dict | None = None
        self._root = _Item(NodeKind.STRATEGIC, None, None, 0)
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
        self.endResetModel()
        self.statesMade.emit()

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
                self.dataChanged.emit(self.createIndex(item.row, 0, item), self.createIndex(item.row, last, item))
                item = item.parent
        self.statesMade.emit()

    def _took_nodes(self, tree: PlanTree) -> bool:
        """The rows show ``tree``'s nodes when it has the same measures in the same places (True); else the model is
        reset to it (False)."""
        old_ids = [m.id for m in self._tree.measures()] if self._tree else None
        if old_ids != [m.id for m in tree.measures()]:
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
        pending = [self._root]
        while pending:
            item = pending.pop()
            if item.children:
                first, final = item.children[0], item.children[-1]
                self.dataChanged.emit(self.createIndex(first.row, first_column, first),
                                      self.createIndex(final.row, last, final), roles)
                pending.extend(item.children)

    @property
    def tree(self) -> PlanTree | None:
        return self._tree

    def measure_count(self) -> int:
        """Measures of the plan in the quarter (removed ones, when shown, are not counted)."""
        return sum(1 for item in self._measure_items.values() if not item.node.removed)

    def index_of_measure(self, measure_id: int) -> QModelIndex:
        item = self._measure_items.get(measure_id)
        return self.createIndex(item.row, 0, item) if item else QModelIndex()

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
        return item.row, QModelIndex() if parent is self._root else self.createIndex(parent.row, 0, parent)

    def groups(self) -> list[QModelIndex]:
        """Every goal and task, in no particular order."""
        return [self.createIndex(item.row, 0, item) for item in self._walk_groups()]

    def first_measure_under(self, index: QModelIndex) -> MeasureNode | None:
        """The first measure in the tree at or under ``index`` (a goal or task always has one)."""
        item = self._item(index)
        while item is not None and item.kind is not NodeKind.MEASURE:
            item = item.children[0] if item.children else None
        return item.node if item is not None else None

    def measure_at(self, index: QModelIndex) -> MeasureNode | None:
        if index.isValid() and index.model() is not self:
            return None  # another model's index (the overview's, say): its pointer is not one of our items
        item = self._item(index)
        return item.node if item is not None and item.kind is NodeKind.MEASURE else None

    # -- Qt model interface -----------------------------------------------------------------

    def _item(self, index: QModelIndex | QPersistentModelIndex) -> _Item | None:
        return index.internalPointer() if index.isValid() else None

    def index(self, row, column, parent=QModelIndex()):
        # Bounds checked here rather than with hasIndex(): views call this thousands of times.
        if parent.isValid():
            if parent.column() != 0:
                return QModelIndex()
            parent_item = parent.internalPointer()
        else:
            parent_item = self._root
        if not (0 <= row < len(parent_item.children) and 0 <= column < _COLUMN_COUNT):
            return QModelIndex()
        return self.createIndex(row, column, parent_item.children[row])

    def parent(self, index=QModelIndex()):
        item = self._item(index)
        if item is None or item.parent is None or item.parent is self._root:
            return QModelIndex()
        return self.createIndex(item.parent.row, 0, item.parent)

    def rowCount(self, parent=QModelIndex()):
        if not parent.isValid():
            return len(self._root.children)
        return 0 if parent.column() else len(parent.internalPointer().children)  # asked for every row laid out

    def columnCount(self, parent=QModelIndex()):
        return len(Column)

    def flags(self, index):
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(Column):
            return tr(HEADERS[Column(section)])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        # by a table of the roles answered: a view asks ~7 roles of every cell it paints, most of them answered None
        answer = self._answers.get(role)
        if answer is None or not index.isValid():
            return None
        return answer(index.internalPointer(), _COLUMNS[index.column()])

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
                self.dataChanged.emit(self.createIndex(item.row, Column.STATUS, item),
                                      self.createIndex(item.row, Column.PERCENT, item))

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
            return ", ".join(node.executors) if item.kind is NodeKind.MEASURE else ""
        if column is Column.STATUS:
            if item.kind is NodeKind.MEASURE and node.removed:
                return removed_label(node.removed)
            if item.kind is NodeKind.MEASURE:
                state = node.state
                if state is None:
                    return tr("Не подано")
                label = status_label(state.status.value)
                return label if state.reported else f"{label} ({quarter_label(state.quarter)})"
            return compact_counts(self._rollup(item))
        if column is Column.PERCENT:
            percent = self._percent(item)
            return "" if percent is None else f"{percent:.0f} %"
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
