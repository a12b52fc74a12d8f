"""The tree's columns share its width: the measure's text gets the room, the others what they need within limits.

Fixed widths left «Зміст» 190 px at 1366×768 and a few letters at 125 %. Here every resize of the
view shares its width again: the code fits the deepest code, the percent its bar, executors and
status a share each within limits, and the text the rest; on a narrow view «Оновлено», then the
executors step aside (both are in the panel) rather than leave the text a few letters.
A cut text ends in «…» and its tooltip holds it whole.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHeaderView, QTreeView

from tracker.progress.status import Status

from ..status_style import status_label
from .model import Column

SHARES = {Column.EXECUTORS: (0.2, 110, 260), Column.STATUS: (0.15, 100, 190), Column.UPDATED: (0.12, 90, 140)}
TEXT_SHARE = 0.3  # the measure's text keeps at least this much of the view
GIVE_WAY = (Column.UPDATED, Column.EXECUTORS)  # hidden in this order when it would not (both are in the panel too)


def column_widths(view_width: int, code: int, percent: int, status: int = 0) -> dict[Column, int]:
    """Widths of every column but the text, which takes the rest; 0 hides a column.

    ``status``: the width of the longest status's name, which the status column is never narrower than: a measure's
    status is what the tree is read for, and «Частково ви…» was cut at every screen size."""
    widths = {Column.CODE: code, Column.PERCENT: percent}
    for column, (share, least, most) in SHARES.items():
        if column is Column.STATUS:
            least, most = max(least, status), max(most, status)
        widths[column] = max(least, min(most, int(view_width * share)))
    for column in GIVE_WAY:
        if view_width - sum(widths.values()) >= TEXT_SHARE * view_width:
            break
        widths[column] = 0
    return widths


class ColumnFitter(QObject):
    def __init__(self, view: QTreeView):
        super().__init__(view)
        self.view = view
        header = view.header()
        header.setStretchLastSection(False)
        # a title wider than its column ends in «…» (its tooltip holds it whole): a header's own mode is to cut it
        # («Відповідальні викона» at 1366×768, 125 %)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        for column in Column:  # the text's too, sized here: stretched, it grew when the scroll bar went away
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        view.viewport().installEventFilter(self)
        view.model().statesMade.connect(self.fit)  # another quarter, a save: the states carried may be others
        self.fit()

    def fit(self) -> None:
        view, metrics = self.view, self.view.fontMetrics()
        code = metrics.horizontalAdvance("0.00.00") + 3 * view.indentation() + 28  # a measure sits three levels deep
        header = view.header()

        def title(column: Column) -> int:  # its header's width, in the language shown
            text = view.model().headerData(column, Qt.Orientation.Horizontal) or ""
            return header.fontMetrics().horizontalAdvance(text) + 16

        percent = max(metrics.horizontalAdvance("100 %") + 48, title(Column.PERCENT))
        status = max(metrics.horizontalAdvance(status_label(s.value)) for s in Status) + 16
        # the width beside a vertical scroll bar, shown or not: a filter that hides it (a few rows left) must not
        # bring back the columns that a narrow tree leaves out, nor take them away when it comes back
        room = view.viewport().width()
        if not view.verticalScrollBar().isVisible():
            room -= view.verticalScrollBar().sizeHint().width()
        # as wide as a state carried from an earlier quarter («Частково виконано (III кв. 2026)»), what every row
        # shows at a quarter's start (cut to «(III…» at 1366×768, 125 %) — but never so wide that the text keeps less
        # than its share beside the code and the percent: then it is cut, and whole in its tooltip
        carried = max((metrics.horizontalAdvance(text) + 16 for text in view.model().carried_texts()), default=0)
        status = max(status, min(carried, int(room * (1 - TEXT_SHARE)) - code - percent))
        widths = column_widths(room, code, percent, status)
        # the rest, as a stretched column had it beside the bar (never less than its title: it is never hidden)
        widths[Column.TEXT] = max(room - sum(widths.values()), title(Column.TEXT))
        for column, width in widths.items():
            header.setSectionHidden(column, width == 0)
            if width:
                header.resizeSection(column, width)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False
