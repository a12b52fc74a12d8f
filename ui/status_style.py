"""How statuses look: colours of the progress bar and the short labels used in counts."""

from PySide6.QtGui import QColor

from tracker.progress.status import Status

from .i18n import tr

COLORS = {
    Status.NOT_STARTED.value: QColor("#9e9e9e"),
    Status.IN_PROGRESS.value: QColor("#1e88e5"),
    Status.DONE.value: QColor("#43a047"),
    Status.PARTIALLY_DONE.value: QColor("#fb8c00"),
    Status.NOT_DONE.value: QColor("#e53935"),
    Status.OBSOLETE.value: QColor("#8d6e63"),
}
ROLLUP_COLOR = QColor("#5c6bc0")
NOT_REPORTED_COLOR = QColor("#c62828")


def status_label(code: str | None) -> str:
    return tr(Status(code).label) if code else ""
