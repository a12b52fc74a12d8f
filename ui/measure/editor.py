"""The form where a coordinator sets a measure's status, percent, notes and financing for a quarter.

Its fields are the progress field table's (tracker.progress.fields): one widget per field, chosen
by how the field is entered; the rules come from tracker as well.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from tracker.errors import TrackerError
from tracker.progress import fields
from tracker.progress.fields import FIELDS, Kind
from tracker.progress.records import draft_values, record_version
from tracker.progress.rules import differs, form_problem, form_problem_at, normalize_changes
from tracker import quarters
from tracker.quarters import Quarter

from ..colors import scheme
from ..i18n import quarter_label, tr

_SUFFIX = {Kind.CHOICE: "combo", Kind.PERCENT: "spin", Kind.TEXT: "edit", Kind.MONEY: "edit"}


class _WheelScrollsTheForm(QObject):
    """The mouse wheel over a list or a number the user has not clicked scrolls the form, never changes it.

    A wheel that scrolled the form down to «Зберегти» changed «Виконання» 40 → 38 and «Стан» on its way.
    """

    def eventFilter(self, watched, event) -> bool:
        if event.type() != QEvent.Type.Wheel or watched.hasFocus():
            return False
        parent = watched.parentWidget()
        while parent is not None and not isinstance(parent, QAbstractScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            QCoreApplication.sendEvent(parent.verticalScrollBar(), event)
        return True


class _PercentSpin(QSpinBox):
    """The percent as typed, within 0–100 or not: a spin box held to 0–100 dropped the keystroke that took it
    outside — «150» became 15, «-5» 5, without a word — and Ctrl+S saved the number left. Typed, it stays as typed,
    and the form says what is wrong (tracker's rule) and does not save it; the arrows and Page Up/Down stay within
    0–100."""

    LIMIT = 99_999  # as many digits as anyone types into a percent: a sixth would be dropped, as any spin box does

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setRange(-self.LIMIT, self.LIMIT)
        self.setSuffix(" %")

    def stepBy(self, steps: int) -> None:
        self.setValue(min(100, max(0, self.value() + steps * self.singleStep())))
        self.selectAll()

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if self.value() > 0:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        if self.value() < 100:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        return flags


def _make_widget(field: fields.Field, parent: QWidget) -> QWidget:
    if field.kind is Kind.CHOICE:
        combo = QComboBox(parent)
        combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # not focused by the wheel
        return combo
    if field.kind is Kind.PERCENT:
        spin = _PercentSpin(parent)
        spin.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return spin
    if field.kind is Kind.TEXT:
        edit = QPlainTextEdit(parent)
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(60)
        return edit
    return QLineEdit(parent)


def _changed_signal(widget: QWidget):
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, QSpinBox):
        return widget.valueChanged
    return widget.textChanged


class MeasureEditor(QWidget):
    saveRequested = Signal()
    edited = Signal()  # after every change of what the form holds (typed, loaded, reverted)
    dirtyChanged = Signal(bool)
    problemChanged = Signal(str)  # why the form cannot be saved as it stands now ("" once it can)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._locked = ""
        self.heading = QLabel(self)
        self.heading.setObjectName("editorHeading")
        self.heading.setWordWrap(True)
        # never squeezed below its lines (the form scrolls instead): «не подано» must stay in sight
        self.heading.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # labels above: the panel is narrow
        self.widgets: dict[str, QWidget] = {}
        self._wheel_guard = _WheelScrollsTheForm(self)
        self._labels: dict[str, QLabel] = {}
        for field in FIELDS:
            short = field.short or field.name
            widget = _make_widget(field, self)
            widget.setObjectName(f"{short}Edit")
            if isinstance(widget, (QComboBox, QSpinBox)):
                widget.installEventFilter(self._wheel_guard)
            setattr(self, f"{short}_{_SUFFIX[field.kind]}", widget)  # e.g. self.status_combo, self.planned_edit
            label = QLabel(self)
            label.setBuddy(widget)
            self.widgets[field.name], self._labels[field.name] = widget, label
            self.form.addRow(label, widget)
        self.rule_label = QLabel(self)
        self.rule_label.setObjectName("ruleMessage")
        self.rule_label.setWordWrap(True)
        self.rule_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.rule_label.setStyleSheet(f"color: {scheme(self.palette()).warning};")
        # the measure saved by another program under the person's unsaved edits: said here, where they look, in as
        # many lines as it takes (in the status bar it ran under the user's name at 1366×768)
        self.elsewhere_label = QLabel(self)
        self.elsewhere_label.setObjectName("changedElsewhere")
        self.elsewhere_label.setWordWrap(True)
        self.elsewhere_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.elsewhere_label.setStyleSheet(f"color: {scheme(self.palette()).warning};")
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("saveButton")
        self.revert_button = QPushButton(self)
        self.revert_button.setObjectName("revertButton")
        # the rule's word over «Відкинути зміни» and «Зберегти»: the panel keeps the bar under the scrolling form, in
        # sight whatever the screen (at 1366×768 and 125 % the form had to be scrolled down to save)
        self.button_bar = QWidget(self)
        self.button_bar.setObjectName("formButtons")
        bar = QVBoxLayout(self.button_bar)
        bar.addWidget(self.elsewhere_label)
        bar.addWidget(self.rule_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        bar.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        bar.setContentsMargins(layout.contentsMargins())
        self.rule_label.hide()  # a word only when there is one: the bar takes a line less
        self.elsewhere_label.hide()
        self._stale = False  # saved elsewhere since it was loaded: its loaded values are no longer the database's

        self._measure_id: int | None = None
        self._version = 0
        self._quarter: Quarter | None = None
        self._loaded: dict = {}
        self._reported = False
        self._filed_elsewhere = False  # the quarter not reported when loaded, reported since by another program
        self._carried_from: str = ""
        self._dirty = False
        self._fill_choices()
        for field in FIELDS:
            widget = self.widgets[field.name]
            _changed_signal(widget).connect(self._on_edited)
            if field.kind is Kind.MONEY:
                widget.editingFinished.connect(lambda field=field: self._settle_money(field))
        self.save_button.clicked.connect(self.saveRequested)
        self.revert_button.clicked.connect(self.discard)
        self.retranslate()
        self.load(None, None)

    # -- loading ---------------------------------------------------------------------------

    def _fill_choices(self) -> None:
        for field in FIELDS:
            if field.kind is not Kind.CHOICE:
                continue
            combo = self.widgets[field.name]
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(tr("— оберіть стан —") if field is fields.STATUS else "—", None)
            for text, value in field.choices():
                combo.addItem(text, field.as_typed(value))
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)

    def load(self, measure_id: int | None, quarter: Quarter | None, carried_from: str = "", locked: str = "") -> None:
        """Show the quarter's values for a measure (discarding edits: ask before calling); ``locked``: why they
        cannot be changed (the measure is out of the plan in this quarter, the login may not), shown read-only."""
        self._measure_id, self._quarter, self._carried_from = measure_id, quarter, carried_from
        self._locked = locked
        if measure_id is None or quarter is None:
            self._loaded, self._reported = {}, False
            self.setEnabled(False)
            self._show(fields.empty_values())
        else:
            self._loaded, self._reported = draft_values(measure_id, quarter)
            self._version = record_version(measure_id, quarter)  # what the save will expect to find
            self.setEnabled(True)
            self._show(self._loaded)
        for widget in self.widgets.values():
            widget.setEnabled(not self._locked)
        self._say_elsewhere(False)  # read now: what the form shows is the database's (a failed read left the word)
        self._update_heading()
        self._on_edited()

    def _show(self, values: dict, as_typed: bool = False) -> None:
        """Typed values into the widgets; ``as_typed``: values as the widgets gave them (values()), shown as they are —
        a sum half-typed («12,5 тис») too."""
        for widget in self.widgets.values():
            widget.blockSignals(True)
        for field in FIELDS:
            widget, value = self.widgets[field.name], values.get(field.name, field.empty)
            text = (value or "") if as_typed else field.as_typed(value)
            if field.kind is Kind.CHOICE:
                widget.setCurrentIndex(max(widget.findData(text or None), 0))
            elif field.kind is Kind.PERCENT:
                widget.setValue(value or 0)
            elif field.kind is Kind.TEXT:
                widget.setPlainText(text)
            else:
                widget.setText(text)
        for widget in self.widgets.values():
            widget.blockSignals(False)

    def revert(self) -> None:
        """The values it was loaded with back in the form (no read: also when the database cannot be read)."""
        if self._measure_id is not None:
            self._show(self._loaded)
            self._on_edited()

    def discard(self) -> None:
        """«Відкинути зміни»: the form as the database holds it — read again when another program saved the measure
        since it was loaded (the old values came back, beside a tree showing the new ones), else as it was loaded."""
        if self._stale and self._measure_id is not None:
            try:
                self.load(self._measure_id, self._quarter, self._carried_from, self._locked)
                return
            except TrackerError:  # not readable now: as loaded, and the save will still ask (its version is old)
                pass
        self.revert()

    def say_changed_elsewhere(self) -> None:
        """Another program saved this measure while the form holds unsaved edits over what it had then. The heading's
        «ще не подано» of when it was loaded is not left standing when the other program filed the quarter's report."""
        if not self._reported and self._measure_id is not None:
            try:
                self._filed_elsewhere = record_version(self._measure_id, self._quarter) > 0
            except TrackerError:  # out of reach now: the heading as it was, the word below says what is known
                pass
        self._say_elsewhere(True)
        self._update_heading()

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

    def load_values(self, values: dict, version: int, over: dict | None) -> None:
        """Put merged values into the form over a newer saved version (after a conflict). ``over``: that version's
        values (None: its record was taken back), what the form counts as loaded from now on — a value taken from it
        is not the person's edit: at a second conflict it was offered, and chosen, as «Ваше значення» over a
        colleague's newer one."""
        self._version = version
        if over is None:
            self._loaded, self._reported = draft_values(self._measure_id, self._quarter)
        else:
            self._loaded, self._reported = dict(over), True
        self._say_elsewhere(False)  # merged over the newest version: the word is answered
        self._show(normalize_changes(values))
        self._on_edited()

    def restore_typed(self, values: dict, version: int) -> None:
        """Put values as the form gave them (values(): kept unsaved through a crash, tracker.progress.unsaved) back,
        over ``version`` of the record: saved over a newer one, they are a conflict, as typed values are."""
        self._version = version
        self._show(values, as_typed=True)
        self._on_edited()

    @property
    def dirty(self) -> bool:
        return self._dirty

    def values(self) -> dict:
        """What the form holds, as given to tracker.progress.records.save_progress."""
        result = {}
        for field in FIELDS:
            widget = self.widgets[field.name]
            if field.kind is Kind.CHOICE:
                result[field.name] = widget.currentData()
            elif field.kind is Kind.PERCENT:
                result[field.name] = widget.value()
            elif field.kind is Kind.TEXT:
                result[field.name] = widget.toPlainText()
            else:
                result[field.name] = widget.text()
        return result

    def problem(self) -> str:
        """Why the form cannot be saved as it is, or an empty string (tracker's rules decide)."""
        return form_problem(self.values())

    def _differs(self) -> bool:
        return bool(self._loaded) and differs(self._loaded, self.values())

    def _on_edited(self, *_args) -> None:
        dirty = self._differs()
        problem = self.problem() if self._measure_id is not None else ""
        if problem != self.rule_label.text():
            self._say_rule(problem)
            self.problemChanged.emit(problem)
        # a quarter not yet reported is saved as it stands (the state it carries, confirmed) — once it has begun: a
        # habitual Ctrl+S on a quarter still to come filed a report for it that nobody had typed
        self.save_button.setEnabled(self._measure_id is not None and not self._locked and not problem
                                    and (dirty or not (self._reported or self._to_come())))
        self.revert_button.setEnabled(dirty)
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirtyChanged.emit(dirty)
        self.edited.emit()

    def _settle_money(self, field: fields.Field) -> None:
        """A sum typed finer than 0,1 тис. грн shown as it will be saved once the field is left: 0,04 (40 грн) had
        been saved as 0,0 without a word."""
        widget = self.widgets[field.name]
        typed = widget.text()
        if not field.rounds(typed):
            return
        said = field.rounded_text(typed)
        widget.setText(field.as_typed(field.parse(typed)))
        QToolTip.showText(widget.mapToGlobal(widget.rect().bottomLeft()), said, widget)

    def focus_problem(self) -> QWidget | None:
        """Focus the field that keeps the form from being saved (form_problem_at); the field, or None if none does."""
        _, name = form_problem_at(self.values())
        widget = self.widgets.get(name) if name else None
        if widget is not None and widget.isEnabled():
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return widget
        return None

    def focus_first_field(self) -> None:
        self.widgets[FIELDS[0].name].setFocus()

    # -- text ------------------------------------------------------------------------------

    def _to_come(self) -> bool:
        """The form's quarter has not begun yet."""
        return self._quarter is not None and self._quarter.index > Quarter.containing(quarters.today()).index

    def _update_heading(self) -> None:
        if self._quarter is None:
            self.heading.setText(tr("Оберіть захід у дереві, щоб внести звіт."))
            return
        text = "<b>" + tr("Звіт за {quarter}", quarter=quarter_label(self._quarter)) + "</b>"
        warning = scheme(self.palette()).warning
        if self._locked:
            text += f"<br><span style='color:{warning}'>" + escape(self._locked) + "</span>"
        elif not self._reported and self._filed_elsewhere:
            text += f"<br><span style='color:{warning}'>" + tr(
                "Звіт за цей квартал щойно подано в іншій програмі.") + "</span>"
        elif not self._reported and self._to_come():
            text += f"<br><span style='color:{warning}'>" + (tr(
                "Цей квартал ще не почався; показано стан за {quarter}.", quarter=self._carried_from)
                if self._carried_from else tr("Цей квартал ще не почався; звіт за нього ще не подано.")) + "</span>"
        elif not self._reported:
            if self._carried_from:
                text += f"<br><span style='color:{warning}'>" + tr(
                    "За цей квартал ще не подано; показано стан за {quarter}.", quarter=self._carried_from) + "</span>"
            else:
                text += f"<br><span style='color:{warning}'>" + tr("За цей квартал ще не подано.") + "</span>"
        self.heading.setText(text)

    def retranslate(self) -> None:
        self._fill_choices()
        self._reshow_sums()
        for field in FIELDS:
            self._labels[field.name].setText(tr(field.form_label))
            if field.placeholder and hasattr(self.widgets[field.name], "setPlaceholderText"):
                self.widgets[field.name].setPlaceholderText(tr(field.placeholder))
        self.save_button.setText(tr("Зберегти (Ctrl+S)"))
        self.revert_button.setText(tr("Відкинути зміни"))
        self._update_heading()
        if self._measure_id is not None:
            self._say_rule(self.problem())
        self._say_elsewhere(self._stale)

    def _reshow_sums(self) -> None:
        """The sums in the form with the new language's decimal mark («130,0» ↔ «130.0»), their values unchanged: a
        sum half-typed, or one that saving would round (said when the field is left), stays as it was typed."""
        for field in FIELDS:
            widget = self.widgets[field.name]
            if field.kind is not Kind.MONEY or not widget.text().strip() or field.rounds(widget.text()):
                continue
            try:
                shown = field.as_typed(field.parse(widget.text()))
            except TrackerError:
                continue
            if shown != widget.text():
                widget.setText(shown)

    def _say_elsewhere(self, said: bool) -> None:
        self._stale = said
        if not said:
            self._filed_elsewhere = False
        self.elsewhere_label.setText(tr(
            "Цей захід щойно змінено в іншій програмі. Під час збереження ви оберете, які значення залишити; "
            "«Відкинути зміни» покаже нові.") if said else "")
        self.elsewhere_label.setVisible(said)

    def _say_rule(self, problem: str) -> None:
        self.rule_label.setText(problem)
        self.rule_label.setVisible(bool(problem))
