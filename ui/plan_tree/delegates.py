"""Painting percent done as a bar coloured by status."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ..colors import scheme
from ..percent_bar import percent_text
from .roles import Role


class PercentBarDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        percent, status, kind, reported = index.data(Role.BAR) or (None, None, None, None)
        if percent is None:
            super().paint(painter, option, index)
            return
        style = option.widget.style() if option.widget else None
        if style is not None:  # selection and hover background, without the text
            background = QStyleOptionViewItem(option)
            self.initStyleOption(background, index)
            background.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, option.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = option.rect.adjusted(4, 2, -4, -2)
        colors = scheme(option.palette)
        color = colors.status_fill.get(status, colors.rollup_fill) if kind == "measure" else colors.rollup_fill
        painter.setPen(QPen(QColor(colors.track_border), 1))
        painter.setBrush(QColor(colors.track))
        painter.drawRoundedRect(rect, 3, 3)
        filled = QRect(rect)
        filled.setWidth(round(rect.width() * max(0.0, min(100.0, percent)) / 100))
        if filled.width() > 0:
            fill = QColor(color)
            if reported is False:
                fill.setAlpha(110)  # carried forward from an earlier quarter: paler
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(filled, 3, 3)
        painter.setPen(QColor(colors.bar_text))
        painter.drawText(option.rect, Qt.AlignmentFlag.AlignCenter, percent_text(percent))
        painter.restore()
