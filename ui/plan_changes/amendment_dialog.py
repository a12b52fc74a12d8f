"""Файл → Імпорт змін до плану…: what the council's amended file changes, a choice for each uncertain pairing, the
decision and the quarter it takes effect; nothing is written until «Застосувати зміни»."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from tracker.errors import TrackerError
from tracker.plan.amend import (
    MAX_DECISION,
    check_effective,
    check_removals,
    first_open_quarter,
    left_out_text,
    records_from,
)
from tracker.plan.amendment import describe
from tracker.plan.store import amendment_of
from tracker.quarters import Quarter

from ..colors import scheme
from ..dialogs import resize_within_screen
from ..i18n import tr
from ..report.fields import quarter_combo

SAME, DIFFERENT = "same", "different"


class AmendmentDialog(QDialog):
    """Accepted: apply ``parsed`` to ``plan`` with ``matches``, ``new_codes``, ``decision()`` and ``effective()``."""

    def __init__(self, window, plan, parsed, file_name: str):
        super().__init__(window)
        self.plan, self.parsed, self.file_name = plan, parsed, file_name
        self.matches: dict[str, str] = {}
        self.new_codes: set[str] = set()
        self._choices: dict[tuple[str, str], str] = {}  # (old code, new code) → SAME | DIFFERENT
        self._asked: dict[tuple[str, str], object] = {}  # every pairing asked about, settled or not: still listed
        self.amendment = None
        self.setWindowTitle(tr("Імпорт змін до плану"))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.changes = QPlainTextEdit(self)
        self.changes.setObjectName("amendmentChanges")
        self.changes.setReadOnly(True)
        self.questions_label = QLabel(tr("Сумнівні пари — це той самий захід? Вирішіть кожну:"), self)
        self.questions_label.setWordWrap(True)
        self.questions = QTableWidget(0, 4, self)
        self.questions.setObjectName("amendmentQuestions")
        self.questions.setHorizontalHeaderLabels([tr("У плані зараз"), tr("У файлі"), tr("Схожість"), tr("Рішення")])
        self.questions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.questions.verticalHeader().setVisible(False)
        # Tab leaves the table: it went round its cells, never reaching the decision and the buttons
        self.questions.setTabKeyNavigation(False)
        header = self.questions.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.decision_edit = QLineEdit(self)
        self.decision_edit.setObjectName("amendmentDecision")
        self.decision_edit.setMaxLength(MAX_DECISION)
        self.decision_edit.setPlaceholderText(tr("напр. рішення міської ради від 25.02.2026 № 71/14"))
        self.effective_combo = quarter_combo(window, self)
        earliest = first_open_quarter(plan)  # not before an amendment already applied
        if Quarter.parse(self.effective_combo.currentData()) < earliest:
            self.effective_combo.setCurrentIndex(max(self.effective_combo.findData(str(earliest)), 0))
        self.effective_combo.setObjectName("amendmentEffective")
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        # room kept for two lines: the fields above did not stay put as the warnings came and went (a click meant for
        # the decision hit the quarter's list)
        self.warning.setMinimumHeight(2 * self.warning.fontMetrics().lineSpacing())
        self.warning.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.warning.setStyleSheet(f"color: {scheme(self.palette()).warning};")
        form = QFormLayout()
        form.addRow(tr("&Рішення ради:"), self.decision_edit)
        form.addRow(tr("&Чинні з кварталу:"), self.effective_combo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.apply_button = self.buttons.addButton(tr("Застосувати зміни"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        note = QLabel(tr("Заходи зіставлено за змістом, не за кодом: записи й історія кожного заходу йдуть за ним. "
                         "Нічого не записано, доки ви не натиснете «Застосувати зміни»."), self)
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {scheme(self.palette()).muted};")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(tr("Зміни:"), self))
        layout.addWidget(self.changes, 3)
        layout.addWidget(self.questions_label)
        layout.addWidget(self.questions, 2)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.decision_edit.textChanged.connect(self._update_state)
        self.effective_combo.currentIndexChanged.connect(self._update_state)
        resize_within_screen(self, 960, 640)
        self._compare()

    def resizeEvent(self, event) -> None:  # noqa: N802 — Qt's name
        super().resizeEvent(event)
        QTimer.singleShot(0, self.questions.resizeRowsToContents)  # the texts wrap to the columns' new widths

    def decision(self) -> str:
        return self.decision_edit.text().strip()

    def effective(self) -> Quarter:
        return Quarter.parse(self.effective_combo.currentData())

    def _compare(self) -> None:
        """Pair the measures again with the choices made so far."""
        self.matches = {old: new for (old, new), choice in self._choices.items() if choice == SAME}
        self.new_codes = {new for (_, new), choice in self._choices.items() if choice == DIFFERENT}
        try:
            self.amendment = amendment_of(self.plan, self.parsed, matches=self.matches, new_codes=self.new_codes)
        except TrackerError as exc:  # e.g. one measure of the file settled two ways
            self.warning.setText(str(exc))
            return
        amendment = self.amendment
        lines = describe(amendment)
        self.summary.setText(tr(
            "Файл «{name}» змінює план «{title}»: змінено заходів — {changed}, додано — {added}, повернуто — {back}, "
            "вилучено — {removed}, сумнівних пар — {questions}, змінено назв — {titles}.", name=self.file_name,
            title=self.plan.title, changed=len(amendment.changed), added=len(amendment.added),
            back=len(amendment.reinstated),
            removed=len(amendment.removed), questions=len(amendment.questions), titles=len(amendment.titles)))
        self.changes.setPlainText("\n".join(lines) if lines else tr("Файл не змінює план: він уже в цьому вигляді."))
        self._fill_questions()
        self._update_state()

    def _fill_questions(self) -> None:
        for pairing in self.amendment.questions:
            self._asked.setdefault((pairing.old.code, pairing.new.code), pairing)
        questions = list(self._asked.values())
        self.questions.setRowCount(len(questions))
        for row, pairing in enumerate(questions):
            old, new = pairing.old, pairing.new
            for column, text in enumerate([f"{old.code} «{old.title}» ({tr('ОЦ')} {old.goal})",
                                           f"{new.code} «{new.title}» ({tr('ОЦ')} {new.goal})",
                                           f"{round(pairing.similarity * 100)} %"]):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.questions.setItem(row, column, item)
            combo = QComboBox(self.questions)
            combo.addItem(tr("— вирішіть —"), None)
            combo.addItem(tr("Той самий захід"), SAME)
            combo.addItem(tr("Різні заходи (у файлі — новий)"), DIFFERENT)
            combo.setAccessibleName(tr("Рішення для пари {old} ↔ {new}", old=old.code, new=new.code))
            combo.setCurrentIndex(max(combo.findData(self._choices.get((old.code, new.code))), 0))
            combo.currentIndexChanged.connect(lambda _i, c=combo, key=(old.code, new.code): self._choose(key, c))
            self.questions.setCellWidget(row, 3, combo)
        self.questions.resizeRowsToContents()
        self.questions_label.setVisible(bool(questions))
        self.questions.setVisible(bool(questions))

    def _choose(self, key: tuple[str, str], combo: QComboBox) -> None:
        choice = combo.currentData()
        if choice is None:
            self._choices.pop(key, None)
        else:
            self._choices[key] = choice
        QTimer.singleShot(0, self._compare)  # not while the combo that asked is still handling its signal

    def _update_state(self, *_args) -> None:
        amendment = self.amendment
        problems = []
        if amendment is None or amendment.empty:
            problems.append(tr("Файл не змінює план: застосовувати нічого."))
        elif amendment.questions:
            problems.append(tr("Вирішіть сумнівні пари ({count}).", count=len(amendment.questions)))
        if not self.decision():
            problems.append(tr("Вкажіть рішення ради, яким змінено план."))
        try:
            check_effective(self.plan, self.effective())
            if amendment is not None:
                check_removals(len(amendment.removed), len(amendment.pairs) + len(amendment.removed)
                               + len(amendment.questions))
        except TrackerError as exc:
            problems.append(str(exc))
        notes = list(problems)
        if amendment is not None and amendment.removed and self.effective_combo.currentData():
            left = records_from(self.plan, [m.uid for m in amendment.removed], self.effective())
            for code, count in left.items():
                notes.append(left_out_text(code, self.effective(), count))
        self.warning.setText("\n".join(notes))
        self.apply_button.setEnabled(not problems)
