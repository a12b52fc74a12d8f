"""Довідка → Довідка про план: the plan, its period and measures, and every amendment — decision, the quarter it
takes effect, who applied it and when, and each change."""

from __future__ import annotations

import json
from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from tracker.plan.amend import PACKAGE
from tracker.plan.versions import amendments, measure_counts
from tracker.progress.records import with_login
from tracker.quarters import Quarter

from ..dialogs import resize_within_screen
from ..i18n import quarter_label, tr


def plan_history_html(plan) -> str:
    in_force, removed = measure_counts(plan)
    parts = [f"<h3>{escape(plan.title)}</h3>", "<p>" + escape(tr(
        "Період: {first}–{last}. Заходів у чинній редакції: {count}; виключено змінами: {removed}. Імпортовано "
        "{when} з «{source}».", first=plan.first_year, last=plan.last_year, count=in_force, removed=removed,
        when=plan.imported_at.strftime("%d.%m.%Y"), source=plan.source_name or "—")) + "</p>"]
    rows = amendments(plan)
    if not rows:
        parts.append("<p>" + escape(tr("Змін до плану не вносили.")) + "</p>")
    for row in rows:
        who = tr("застосовано {when}", when=row.applied_at.strftime("%d.%m.%Y %H:%M"))
        if row.applied_by or row.login:
            who += ", " + with_login(row.applied_by, row.login)
        if row.source_name:
            who += ", " + (tr("з пакета змін «{source}»", source=row.source_name) if row.came_in == PACKAGE
                           else tr("з файла «{source}»", source=row.source_name))
        parts.append(f"<h4>{escape(row.decision)}</h4>")
        parts.append("<p>" + escape(tr("Чинні з {quarter}; {who}.", quarter=quarter_label(
            Quarter.from_index(row.effective)), who=who)) + "</p>")
        parts.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in json.loads(row.changes)) + "</ul>")
    return "".join(parts)


class PlanHistoryDialog(QDialog):
    def __init__(self, plan, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Довідка про план"))
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("planHistory")
        self.browser.setHtml(plan_history_html(plan))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        resize_within_screen(self, 820, 560)
