"""The form where a coordinator sets a measure's status, percent, notes and financing for a quarter."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tracker.errors import TrackerError
from tracker.progress.records import check_rules, draft_values, normalize_changes, parse_money, record_version
from tracker.progress.status import Status
from tracker.quarters import Quarter
from tracker.storage.models import Measure

from ..field_values import money_text
from ..i18n import quarter_label, tr


class MeasureEditor(QWidget):
    saveRequested = Signal()
    dirtyChanged = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.heading = QLabel(self)
        self.heading.setObjectName("editorHeading")
        self.heading.setWordWrap(True)
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("statusEdit")
        self.percent_spin = QSpinBox(self)
        self.percent_spin.setObjectName("percentEdit")
        self.percent_spin.setRange(0, 100)
        self.percent_spin.setSuffix(" %")
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setTabChangesFocus(True)
        self.remarks_edit = QPlainTextEdit(self)
        self.remarks_edit.setObjectName("remarksEdit")
        self.remarks_edit.setTabChangesFocus(True)
        for edit in (self.note_edit, self.remarks_edit):
            edit.setMinimumHeight(60)
        self.planned_edit = QLineEdit(self)
        self.planned_edit.setObjectName("plannedEdit")
        self.actual_edit = QLineEdit(self)
        self.actual_edit.setObjectName("actualEdit")
        self.rule_label = QLabel(self)
        self.rule_label.setObjectName("ruleMessage")
        self.rule_label.setWordWrap(True)
        self.rule_label.setStyleSheet("color: #c62828;")
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("saveButton")
        self.revert_button = QPushButton(self)
        self.revert_button.setObjectName("revertButton")

        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # labels above: the panel is narrow
        self._labels = {name: QLabel(self) for name in
                        ("status", "percent", "note", "remarks", "planned", "actual")}
        self.form.addRow(self._labels["status"], self.status_combo)
        self.form.addRow(self._labels["percent"], self.percent_spin)
        self.form.addRow(self._labels["note"], self.note_edit)
        self.form.addRow(self._labels["remarks"], self.remarks_edit)
        self.form.addRow(self._labels["planned"], self.planned_edit)
        self.form.addRow(self._labels["actual"], self.actual_edit)
        for name, widget in (("status", self.status_combo), ("percent", self.percent_spin), ("note", self.note_edit),
                             ("remarks", self.remarks_edit), ("planned", self.planned_edit), ("actual", self.actual_edit)):
            self._labels[name].setBuddy(widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.rule_label, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addLayout(buttons)

        self._measure_id: int | None = None
        self._version = 0
        self._quarter: Quarter | None = None
        self._loaded: dict = {}
        self._reported = False
        self._carried_from: str = ""
        self._dirty = False
        self._fill_statuses()
        self.status_combo.currentIndexChanged.connect(self._on_edited)
        self.percent_spin.valueChanged.connect(self._on_edited)
        for edit in (self.note_edit, self.remarks_edit):
            edit.textChanged.connect(self._on_edited)
        for edit in (self.planned_edit, self.actual_edit):
            edit.textChanged.connect(self._on_edited)
        self.save_button.clicked.connect(self.saveRequested)
        self.revert_button.clicked.connect(self.revert)
        self.retranslate()
        self.load(None, None)

    # -- loading ---------------------------------------------------------------------------

    def _fill_statuses(self) -> None:
        current = self.status_combo.currentData()
        self.status_combo.blockSignals(True)
        self.status_combo.clear()
        self.status_combo.addItem(tr("— оберіть стан —"), None)
        for status in Status:
            self.status_combo.addItem(tr(status.label), status.value)
        self.status_combo.setCurrentIndex(max(self.status_combo.findData(current), 0))
        self.status_combo.blockSignals(False)

    def load(self, measure_id: int | None, quarter: Quarter | None, carried_from: str = "") -> None:
        """Show the quarter's values for a measure (discarding edits: ask before calling)."""
        self._measure_id, self._quarter, self._carried_from = measure_id, quarter, carried_from
        if measure_id is None or quarter is None:
            self._loaded, self._reported = {}, False
            self.setEnabled(False)
            self._show({"status": None, "percent": 0, "note": "", "remarks": "",
                        "planned_financing": None, "actual_financing": None})
        else:
            measure = Measure.get_by_id(measure_id)
            self._loaded, self._reported = draft_values(measure, quarter)
            self._version = record_version(measure, quarter)  # what the save will expect to find
            self.setEnabled(True)
            self._show(self._loaded)
        self._update_heading()
        self._on_edited()

    def _show(self, values: dict) -> None:
        widgets = (self.status_combo, self.percent_spin, self.note_edit, self.remarks_edit,
                   self.planned_edit, self.actual_edit)
        for widget in widgets:
            widget.blockSignals(True)
        status = values["status"]
        self.status_combo.setCurrentIndex(max(self.status_combo.findData(status.value if status else None), 0))
        self.percent_spin.setValue(values["percent"] or 0)
        self.note_edit.setPlainText(values["note"] or "")
        self.remarks_edit.setPlainText(values["remarks"] or "")
        self.planned_edit.setText(money_text(values["planned_financing"]))
        self.actual_edit.setText(money_text(values["actual_financing"]))
        for widget in widgets:
            widget.blockSignals(False)

    def revert(self) -> None:
        if self._measure_id is not None:
            self._show(self._loaded)
            self._on_edited()

    # -- state -----------------------------------------------------------------------------

    @property
    def measure_id(self) -> int | None:
        return self._measure_id

    @property
    def quarter(self) -> Quarter | None:
        return self._quarter

    @property
    def version(self) -> int:
        return self._version

    @property
    def loaded_values(self) -> dict:
        return dict(self._loaded)

    def load_values(self, values: dict, version: int) -> None:
        """Put merged values into the form over a newer saved version (after a conflict)."""
        self._version = version
        self._show(normalize_changes(values))
        self._on_edited()

    @property
    def dirty(self) -> bool:
        return self._dirty

    def values(self) -> dict:
        """What the form holds, as given to tracker.progress.save_progress."""
        return {
            "status": self.status_combo.currentData(),
            "percent": self.percent_spin.value(),
            "note": self.note_edit.toPlainText(),
            "remarks": self.remarks_edit.toPlainText(),
            "planned_financing": self.planned_edit.text(),
            "actual_financing": self.actual_edit.text(),
        }

    def problem(self) -> str:
        """Why the form cannot be saved as it is, or an empty string (tracker's rules decide)."""
        values = self.values()
        if values["status"] is None:
            return tr("Оберіть стан виконання.")
        status = Status(values["status"])
        try:
            check_rules(status, values["percent"])
        except TrackerError:
            required = 100 if status is Status.DONE else 0
            return tr("«{status}» означає {required} %: вкажіть {required} % або оберіть інший стан.",
                      status=tr(status.label), required=required)
        for name in ("planned_financing", "actual_financing"):
            try:
                parse_money(values[name])
            except TrackerError:
                return tr("Сума «{value}» має бути невід'ємним числом у тисячах гривень, напр. 125,5.",
                          value=values[name])
        return ""

    def _differs(self) -> bool:
        if not self._loaded:
            return False
        values = self.values()
        status = self._loaded["status"]
        if values["status"] != (status.value if status else None) or values["percent"] != self._loaded["percent"]:
            return True
        if values["note"].strip() != (self._loaded["note"] or "") or values["remarks"].strip() != (self._loaded["remarks"] or ""):
            return True
        for name in ("planned_financing", "actual_financing"):
            try:
                if parse_money(values[name]) != self._loaded[name]:
                    return True
            except TrackerError:
                return True
        return False

    def _on_edited(self, *_args) -> None:
        dirty = self._differs()
        problem = self.problem() if self._measure_id is not None else ""
        self.rule_label.setText(problem)
        self.save_button.setEnabled(self._measure_id is not None and not problem and (dirty or not self._reported))
        self.revert_button.setEnabled(dirty)
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirtyChanged.emit(dirty)

    def focus_first_field(self) -> None:
        self.status_combo.setFocus()

    # -- text ------------------------------------------------------------------------------

    def _update_heading(self) -> None:
        if self._quarter is None:
            self.heading.setText(tr("Оберіть захід у дереві, щоб внести звіт."))
            return
        text = "<b>" + tr("Звіт за {quarter}", quarter=quarter_label(self._quarter)) + "</b>"
        if not self._reported:
            if self._carried_from:
                text += "<br><span style='color:#c62828'>" + tr(
                    "За цей квартал ще не подано; показано стан за {quarter}.", quarter=self._carried_from) + "</span>"
            else:
                text += "<br><span style='color:#c62828'>" + tr("За цей квартал ще не подано.") + "</span>"
        self.heading.setText(text)

    def retranslate(self) -> None:
        self._fill_statuses()
        self._labels["status"].setText(tr("&Стан:"))
        self._labels["percent"].setText(tr("&Виконання:"))
        self._labels["note"].setText(tr("&Інформація про виконання:"))
        self._labels["remarks"].setText(tr("&Примітки:"))
        self._labels["planned"].setText(tr("Передбачено на рік, тис. грн:"))
        self._labels["actual"].setText(tr("Профінансовано з початку року, тис. грн:"))
        self.planned_edit.setPlaceholderText(tr("напр. 125,5"))
        self.actual_edit.setPlaceholderText(tr("напр. 80"))
        self.save_button.setText(tr("Зберегти (Ctrl+S)"))
        self.revert_button.setText(tr("Відкинути зміни"))
        self._update_heading()
        if self._measure_id is not None:
            self.rule_label.setText(self.problem())
