"""The plan's measures by status for a quarter, one coloured card per status plus «Не подано»."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from tracker.progress.rollup import NOT_REPORTED, Rollup
from tracker.progress.status import Status

from ..colors import scheme
from ..i18n import tr
from ..percent_bar import percent_text

NOT_REPORTED_LABEL = "Не подано"
NOT_REPORTED_HINT = ("Заходи, за які за цей квартал інформацію не подано: ще не звітовані "
                     "і ті, що показані за станом з попереднього кварталу.")
CODES = [s.value for s in Status] + [NOT_REPORTED]


def _label(code: str) -> str:
    return tr(NOT_REPORTED_LABEL) if code == NOT_REPORTED else tr(Status(code).label)


class _Card(QFrame):
    def __init__(self, code: str, parent=None):
        super().__init__(parent)
        self.code = code
        self.setObjectName(f"statusCard_{code}")
        colors = scheme(self.palette())
        color = colors.warning if code == NOT_REPORTED else colors.status_text[code]
        # the selector by object name keeps the frame's style off the labels inside it
        self.setStyleSheet(f"#statusCard_{code} {{ background: palette(base); border: 1px solid {colors.grid};"
                           f" border-left: 5px solid {color}; border-radius: 4px; }}")
        self.number = QLabel("0", self)
        self.number.setObjectName("count")
        font = self.number.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.number.setFont(font)
        self.number.setStyleSheet(f"color: {color};")
        self.share = QLabel("", self)
        self.share.setStyleSheet(f"color: {colors.muted};")
        self.caption = QLabel("", self)
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.number)
        top.addWidget(self.share)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.caption)


class StatusCounts(QWidget):
    """Counts from a Rollup; the «Не подано» card counts measures without a record this quarter."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("statusCounts")
        self._rollup = Rollup()
        self._cards = {code: _Card(code, self) for code in CODES}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for card in self._cards.values():
            layout.addWidget(card, 1)
        self.retranslate()

    def set_rollup(self, rollup: Rollup) -> None:
        self._rollup = rollup
        total = rollup.measures
        for code, card in self._cards.items():
            count = rollup.counts.get(code, 0)
            card.number.setText(str(count))
            share = 100 * count / total if total else 0
            # the window's one rule: 232 of 233 is «> 99 %», not «100 %» (and 2,5 % is 3, not Python's 2)
            card.share.setText(percent_text(share) if total else "")

    def count(self, code: str) -> int:
        return int(self._cards[code].number.text())

    def caption(self, code: str) -> str:
        return self._cards[code].caption.text()

    def retranslate(self) -> None:
        for code, card in self._cards.items():
            card.caption.setText(_label(code))
            hint = tr(NOT_REPORTED_HINT) if code == NOT_REPORTED else ""
            card.setToolTip(hint or tr("Заходи, що на цей квартал мають стан «{status}»", status=_label(code)))
