"""Average percent done per strategic and operational goal, painted as a horizontal bar chart."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from tracker.progress.overview import GoalProgress
from tracker.progress.status import Status

from ..colors import scheme
from ..i18n import tr
from ..percent_bar import paint_bar
from .executor_model import format_percent

_MARGIN = 10
_INDENT = 18  # operational goals sit under their strategic goal
_GAP = 12


class GoalBars(QWidget):
    """One row per goal from tracker.overview.goal_progress; the full title and counts in a tooltip."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("goalBars")
        self.setMouseTracking(True)  # hover highlight follows the pointer
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self._rows: list[GoalProgress] = []
        self._hovered: int | None = None

    # -- data --------------------------------------------------------------------------------

    def set_rows(self, rows: list[GoalProgress]) -> None:
        self._rows = list(rows)
        self._hovered = None
        self.updateGeometry()
        self.update()

    @property
    def rows(self) -> tuple[GoalProgress, ...]:
        return tuple(self._rows)

    def retranslate(self) -> None:
        self.updateGeometry()  # the strategic goals' codes («СЦ 1» / «SG 1») change width
        self.update()

    def code_text(self, row: GoalProgress) -> str:
        return tr("СЦ {number}", number=row.code) if row.level == 0 else row.code

    def tooltip_html(self, index: int) -> str:
        row = self._rows[index]
        r = row.rollup
        lines = [f"<b>{escape(self.code_text(row))}</b> {escape(row.title)}",
                 escape(tr("Середній % виконання: {percent}", percent=format_percent(r.percent))),
                 escape(tr("Заходів: {count}", count=r.measures)) + " · "
                 + escape(tr("подано за квартал: {count}", count=r.reported))]
        colors = scheme(self.palette())
        counts = [f"<span style='color:{colors.status_text[s.value]}'>■</span> {escape(tr(s.label))}: "
                  f"{r.counts.get(s.value, 0)}" for s in Status]
        counts.append(f"<span style='color:{colors.warning}'>■</span> "
                      f"{escape(tr('Не подано'))}: {r.not_reported}")
        return "<p style='white-space:normal'>" + "<br>".join(lines) + "</p>" + "<br>".join(counts)

    # -- geometry ----------------------------------------------------------------------------

    def _fonts(self) -> tuple[QFont, QFont]:
        bold = QFont(self.font())
        bold.setBold(True)
        return self.font(), bold

    def _row_height(self, level: int) -> int:
        height = QFontMetrics(self.font()).height()
        return height + (13 if level == 0 else 8)

    def _header_height(self) -> int:
        return QFontMetrics(self.font()).height() + 10

    def row_rect(self, index: int) -> QRect:
        top = _MARGIN + self._header_height()
        for row in self._rows[:index]:
            top += self._row_height(row.level)
        return QRect(0, top, self.width(), self._row_height(self._rows[index].level))

    def row_at(self, y: float) -> int | None:
        top = _MARGIN + self._header_height()
        for i, row in enumerate(self._rows):
            bottom = top + self._row_height(row.level)
            if top <= y < bottom:
                return i
            top = bottom
        return None

    def _columns(self, width: int) -> tuple[int, int, int, int]:
        """x of code, title, bar and percent text; titles get most of the width, bars about 30 %."""
        normal, bold = self._fonts()
        code_width = max(QFontMetrics(bold).horizontalAdvance(self.code_text(r)) for r in self._rows) \
            if self._rows else 0
        percent_width = QFontMetrics(bold).horizontalAdvance("100 %") + 4
        right = width - _MARGIN - 4 - percent_width
        bar_width = max(120, min(420, int(width * 0.3)))
        bar_x = right - _GAP // 2 - bar_width
        title_x = _MARGIN + code_width + _GAP
        return _MARGIN, title_x, bar_x, right

    def _content_height(self) -> int:
        return 2 * _MARGIN + self._header_height() + sum(self._row_height(r.level) for r in self._rows)

    def sizeHint(self) -> QSize:
        return QSize(640, self._content_height())

    def minimumSizeHint(self) -> QSize:
        # the full height, so a surrounding scroll area scrolls rather than squeezing rows
        return QSize(320, self._content_height())

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        colors = scheme(self.palette())
        text = self.palette().color(QPalette.ColorRole.Text)
        band, hover = QColor(colors.band), QColor(colors.hover)
        normal, bold = self._fonts()
        code_x, title_x, bar_x, percent_x = self._columns(self.width())
        bar_right = percent_x - _GAP // 2
        top = _MARGIN + self._header_height()
        self._paint_header(painter, bar_x, bar_right, top)
        align = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for i, row in enumerate(self._rows):
            rect = QRect(0, top, self.width(), self._row_height(row.level))
            top = rect.bottom() + 1
            strategic, hovered = row.level == 0, i == self._hovered
            background = (band.darker(104) if hovered else band) if strategic else (hover if hovered else None)
            if background is not None:
                painter.fillRect(rect.adjusted(2, 1, -2, -1), background)
            painter.setFont(bold if strategic else normal)
            indent = 0 if strategic else _INDENT
            painter.setPen(QColor(colors.accent) if strategic else text)
            painter.drawText(QRect(code_x + indent, rect.top(), title_x - code_x, rect.height()),
                             align, self.code_text(row))
            title_rect = QRect(title_x + indent, rect.top(), bar_x - _GAP - title_x - indent, rect.height())
            elided = painter.fontMetrics().elidedText(row.title, Qt.TextElideMode.ElideRight, title_rect.width())
            painter.drawText(title_rect, align, elided)
            bar_height = 14 if strategic else 10
            bar = QRectF(bar_x, rect.center().y() - bar_height / 2 + 1, bar_right - bar_x, bar_height)
            paint_bar(painter, bar, row.rollup.percent,
                      QColor(colors.strategic_fill if strategic else colors.rollup_fill), self.palette())
            painter.setPen(text if row.rollup.percent is not None else QColor(colors.muted))
            painter.drawText(QRect(percent_x, rect.top(), self.width() - _MARGIN - 4 - percent_x, rect.height()),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             format_percent(row.rollup.percent))
        painter.end()

    def _paint_header(self, painter: QPainter, bar_x: int, bar_right: int, rows_top: int) -> None:
        """Tick labels 0–100 % over the bar column, with faint grid lines through every row."""
        colors = scheme(self.palette())
        if not self._rows:
            return
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        painter.setFont(small)
        header = QRect(0, _MARGIN, self.width(), self._header_height())
        painter.setPen(QColor(colors.muted))
        painter.drawText(QRect(_MARGIN, header.top(), bar_x - _MARGIN, header.height()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), tr("Ціль"))
        bottom = rows_top + sum(self._row_height(r.level) for r in self._rows)
        label_room = painter.fontMetrics().horizontalAdvance("100 %") + 8
        quarters_fit = (bar_right - bar_x) / 4 > label_room
        for tick in (0, 25, 50, 75, 100):
            x = bar_x + (bar_right - bar_x) * tick / 100
            painter.setPen(QPen(QColor(colors.grid), 1, Qt.PenStyle.DashLine if tick % 100 else Qt.PenStyle.SolidLine))
            painter.drawLine(QPointF(x, rows_top), QPointF(x, bottom))
            if tick % 50 and not quarters_fit:  # narrow: labels at 0, 50 and 100 % only
                continue
            painter.setPen(QColor(colors.muted))
            label = f"{tick} %"
            width = painter.fontMetrics().horizontalAdvance(label)
            painter.drawText(QRectF(x - width / 2 - 2, header.top(), width + 4, header.height()),
                             int(Qt.AlignmentFlag.AlignCenter), label)

    # -- interaction -------------------------------------------------------------------------

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            index = self.row_at(event.pos().y())
            if index is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_html(index), self, self.row_rect(index))
            return True
        return super().event(event)

    def mouseMoveEvent(self, event) -> None:
        hovered = self.row_at(event.position().y())
        if hovered != self._hovered:
            self._hovered = hovered
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:
        self._hovered = None
        self.update()
        super().leaveEvent(event)
