"""The panel showing everything about the selected measure."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from tracker.plan.versions import removed_label
from tracker.progress.tree import MeasureNode

from ..colors import scheme
from ..i18n import quarter_label, tr
from ..status_style import status_label


class DetailPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("measureDetails")
        self.browser.setOpenLinks(False)
        # Tab from the tree stops here (its texts scroll by keys): the focus shown, which no style drew on it
        self.browser.setStyleSheet("QTextBrowser#measureDetails { border: 2px solid transparent; }"
                                   "QTextBrowser#measureDetails:focus { border-color: palette(highlight); }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self._measure: MeasureNode | None = None
        self._quarter_label = ""
        self.show_measure(None)

    @property
    def measure(self) -> MeasureNode | None:
        return self._measure

    def show_measure(self, measure: MeasureNode | None, quarter_text: str = "") -> None:
        self._measure, self._quarter_label = measure, quarter_text
        if measure is None:
            self.browser.setHtml(f"<p style='color:{scheme(self.palette()).muted}'>{escape(tr('Оберіть захід у дереві, щоб побачити його повний текст, виконавців і джерела фінансування.'))}</p>")
            return
        self.browser.setHtml(self._html(measure, quarter_text))

    def retranslate(self) -> None:
        self.show_measure(self._measure, self._quarter_label)

    def _html(self, m: MeasureNode, quarter_text: str) -> str:
        colors = scheme(self.palette())

        def section(title: str, body: str) -> str:
            return f"<h4 style='margin-bottom:2px;color:{colors.heading}'>{escape(title)}</h4>{body}"

        def items(values: list[str], empty: str) -> str:
            if not values:
                return f"<p><i>{escape(empty)}</i></p>"
            return "<ul style='margin-top:0'>" + "".join(f"<li>{escape(v)}</li>" for v in values) + "</ul>"

        parts = [f"<h3>{escape(tr('Захід'))} {escape(m.code)}</h3>"]
        if m.removed:
            parts.append(f"<p style='color:{colors.warning}'>{escape(removed_label(m.removed))}</p>")
        parts += [
                  section(tr("Завдання"), f"<p>{escape(m.task_title)}</p>"),
                  section(tr("Захід"), f"<p>{escape(m.title)}</p>"),
                  section(tr("Відповідальні виконавці"), items(m.executors, tr("не вказано"))),
                  section(tr("Джерела фінансування"), items(m.funding, tr("не потребує фінансування")))]
        state = m.state
        if state is None:
            status = f"<p><i>{escape(tr('не звітовано за жодний квартал'))}</i></p>"
        else:
            status = f"<p><b>{escape(status_label(state.status.value))}</b>, {state.percent} %"
            if not state.reported:
                status += f"<br><span style='color:{colors.warning}'>{escape(tr('дані за {quarter} (за цей квартал не подано)', quarter=quarter_label(state.quarter)))}</span>"
            status += "</p>"
            if state.note:
                status += f"<p><b>{escape(tr('Інформація про виконання'))}:</b> {escape(state.note)}</p>"
            if state.remarks:
                status += f"<p><b>{escape(tr('Примітки'))}:</b> {escape(state.remarks)}</p>"
        parts.append(section(tr("Стан за {quarter}", quarter=quarter_text), status))
        return "".join(parts)
