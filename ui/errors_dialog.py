"""An error nobody expected: written to the journal, and told to the user in Ukrainian, whatever thread it came from.

Before, an uncaught exception printed a traceback to a console a Windows user never sees, and the
window went on as if nothing had happened. Now the journal gets the traceback and the user a dialog
that says what happened, that nothing saved was lost, and offers to copy the details for whoever helps.
"""

from __future__ import annotations

import traceback

from PySide6.QtCore import QObject, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from tracker.logs import install_excepthooks, log, log_file

from .i18n import tr

# said whenever a window is shown on the offscreen platform and under some window managers: not ours
_QT_NOISE = ("propagateSizeHints",)


class _Reporter(QObject):
    """Lives on the GUI thread; a signal from any thread brings the dialog there."""

    failed = Signal(str, str)  # the error in one line, the whole traceback

    def __init__(self, parent=None):
        super().__init__(parent)
        self.failed.connect(show_error)


def show_error(summary: str, details: str) -> None:
    box = QMessageBox(QApplication.activeWindow())
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(tr("Непередбачена помилка"))
    box.setText(tr("У програмі сталася непередбачена помилка: {summary}", summary=summary))
    box.setInformativeText(tr(
        "Усе, що ви зберегли раніше, не втрачено: кожне збереження записується в базу одразу й цілком. "
        "Якщо ви саме щось вводили, перевірте форму й збережіть ще раз. Подробиці записано в журнал: {path}",
        path=str(log_file())))
    box.setDetailedText(details)
    copy = box.addButton(tr("Копіювати подробиці"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is copy:
        QApplication.clipboard().setText(details)


def _qt_message(kind, context, message) -> None:
    if any(noise in message for noise in _QT_NOISE):
        return
    level = {QtMsgType.QtDebugMsg: 10, QtMsgType.QtInfoMsg: 20, QtMsgType.QtWarningMsg: 30}.get(kind, 40)
    log.log(level, "Qt: %s", message)


def watch_for_errors(app: QApplication) -> _Reporter:
    """Send uncaught errors (any thread) and Qt's warnings to the journal, and errors to the user."""
    reporter = _Reporter(app)

    def report(kind, value, trace) -> None:
        summary = f"{kind.__name__}: {value}".strip()
        reporter.failed.emit(summary, "".join(traceback.format_exception(kind, value, trace)))

    install_excepthooks(report)
    qInstallMessageHandler(_qt_message)
    return reporter
