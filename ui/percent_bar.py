"""Painting an average percent as a horizontal bar, for the overview's goal bars and table."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from .colors import scheme


def paint_bar(painter: QPainter, rect: QRectF, percent: float | None, color: QColor | None = None,
              palette: QPalette | None = None) -> None:
    """A rounded track filled to ``percent`` (the rollup colour unless another is given); None (every
    measure lost relevance) leaves it empty."""
    colors = scheme(palette)
    color = color if color is not None else QColor(colors.rollup_fill)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    radius = min(4.0, rect.height() / 2)
    painter.setPen(QPen(QColor(colors.track_border), 1))
    painter.setBrush(QColor(colors.track))
    painter.drawRoundedRect(rect, radius, radius)
    if percent:
        filled = QRectF(rect)
        filled.setWidth(rect.width() * max(0.0, min(100.0, percent)) / 100)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(filled, radius, radius)
    painter.restore()


class PercentCellDelegate(QStyledItemDelegate):
    """A bar with the percent written beside it, for the cell's ``role`` value (float or None)."""

    def __init__(self, role: int, parent=None):
        super().__init__(parent)
        self._role = role

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        percent = index.data(self._role)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        widget = option.widget
        style = widget.style() if widget else None
        if style is not None:  # selection and hover background, without the text
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        text_width = _widest(option.fontMetrics) + 8
        rect = QRectF(option.rect).adjusted(6, 0, -6, 0)
        bar_height = min(10.0, rect.height() - 6)
        bar = QRectF(rect.left(), rect.center().y() - bar_height / 2, rect.width() - text_width, bar_height)
        if bar.width() > 12:
            paint_bar(painter, bar, percent, palette=option.palette)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        group = option.palette.ColorRole.HighlightedText if selected else option.palette.ColorRole.Text
        painter.setPen(option.palette.color(group))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index):
        size = super().sizeHint(option, index)
        size.setWidth(max(size.width(), _widest(option.fontMetrics) + 90))
        return size


def _widest(metrics) -> int:
    return max(metrics.horizontalAdvance(text) for text in ("100 %", "> 99 %", "< 1 %"))


def percent_text(percent: float) -> str:
    """An average percent as the window writes it: whole, half up — but never «0 %» for a little done, nor «100 %»
    for not quite all («< 1 %», «> 99 %»): an overview said «середній % виконання: 0 %» beside a goal at 1 %, and
    Python's own rounding made 0,5 nothing and 2,5 two."""
    if 0 < percent < 0.5:
        return "< 1 %"
    if 99.5 <= percent < 100:
        return "> 99 %"
    return f"{int(percent + 0.5)} %"
