"""The right-hand panel: the selected measure's texts, its quarter's form, and its history."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from tracker.access.rights import edit_refusal
from tracker.plan.versions import removed_label
from tracker.progress.fields import FIELDS
from tracker.progress.tree import MeasureNode
from tracker.quarters import Quarter

from ..i18n import quarter_label, tr
from .details import DetailPanel
from .editor import MeasureEditor
from .history import HistoryView


class FormScroll(QScrollArea):
    """The form's scroll area: it scrolls up and down on a short screen, never sideways — it is at least as wide as
    the form beside its scroll bar, so the splitter stops there (dragged on, the form scrolled sideways and its
    words were cut mid-word: «звіт за нь»)."""

    def setWidget(self, widget: QWidget) -> None:
        super().setWidget(widget)
        widget.installEventFilter(self)  # its labels in another language: another least width, passed on up

    def eventFilter(self, watched, event) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        form = self.widget()
        if form is None:
            return hint
        width = form.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()
        return QSize(max(hint.width(), width), hint.height())


class MeasurePanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.details = DetailPanel(self)
        self.editor = MeasureEditor(self)
        self.history = HistoryView(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("measureTabs")
        # on a short screen the form scrolls instead of squeezing its fields over their labels
        self.editor_scroll = FormScroll(self)
        self.editor_scroll.setObjectName("editorScroll")
        self.editor_scroll.setWidgetResizable(True)
        self.editor_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.editor_scroll.setWidget(self.editor)
        # the form's page: the fields scroll, the rule's word and the buttons stay under them (MeasureEditor.button_bar)
        self.editor_page = QWidget(self)
        self.editor_page.setObjectName("editorPage")
        page = QVBoxLayout(self.editor_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        page.addWidget(self.editor_scroll, 1)
        page.addWidget(self.editor.button_bar)
        last = self.editor.widgets[FIELDS[-1].name]
        QWidget.setTabOrder(last, self.editor.revert_button)  # Tab from the last field goes on to the buttons
        QWidget.setTabOrder(self.editor.revert_button, self.editor.save_button)
        self.tabs.addTab(self.editor_page, "")
        self.tabs.addTab(self.history, "")
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("panelSplitter")
        self.splitter.addWidget(self.details)
        self.splitter.addWidget(self.tabs)
        self.splitter.setCollapsible(1, False)  # the texts may be dragged away for the form's room; the form may not
        # the form is the coordinator's work: it takes the most of the height (the texts scroll above it)
        self.splitter.setSizes([190, 590])
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._measure: MeasureNode | None = None
        self.retranslate()

    @property
    def measure(self) -> MeasureNode | None:
        return self._measure

    def show_measure(self, measure: MeasureNode | None, quarter: Quarter) -> None:
        if (measure is None or self._measure is None or measure.id != self._measure.id
                or quarter != self.editor.quarter):
            # another measure, or another quarter: its form from the top, «Звіт за …» in sight (the quarter changed
            # under a scrolled form, and only the combo said which quarter the form was for)
            self.editor_scroll.verticalScrollBar().setValue(0)
        self._measure = measure
        self.details.show_measure(measure, quarter_label(quarter))
        carried = ""
        if measure is not None and measure.state is not None and not measure.state.reported:
            carried = quarter_label(measure.state.quarter)
        locked = ""
        if measure is not None and measure.removed:
            locked = tr("Захід {reason}: у цьому кварталі його немає в плані, звіт не вноситься. Попередні записи — на "
                        "вкладці «Історія».", reason=removed_label(measure.removed))
        elif measure is not None:
            locked = edit_refusal(measure.id)  # on the server: the login's rights (the server holds to them too)
        self.editor.load(measure.id if measure else None, quarter if measure else None, carried, locked)
        self.history.show_measure(measure.id if measure else None)

    def start_editing(self) -> None:
        self.tabs.setCurrentWidget(self.editor_page)
        self.editor.focus_first_field()
        self.editor_scroll.ensureWidgetVisible(self.editor.widgets[next(iter(self.editor.widgets))])

    def show_problem(self) -> None:
        """A save refused by the form's rules: the form shown, with the field at fault focused and scrolled into sight
        (its reason is said beside «Зберегти», under the fields)."""
        if self.editor.measure_id is None:
            return
        self.tabs.setCurrentWidget(self.editor_page)
        widget = self.editor.focus_problem()
        if widget is not None:
            self.editor_scroll.ensureWidgetVisible(widget)

    def retranslate(self) -> None:
        # Alt+Р and Alt+Т: the form and the history from the keyboard (the window's other letters are taken)
        self.tabs.setTabText(0, tr("Звіт за ква&ртал"))
        self.tabs.setTabText(1, tr("Іс&торія"))
        self.details.retranslate()
        self.editor.retranslate()
        self.history.retranslate()
