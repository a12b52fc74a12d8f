"""How statuses read: their labels (their colours are in ui.colors)."""

from tracker.progress.status import Status

from .i18n import tr


def status_label(code: str | None) -> str:
    return tr(Status(code).label) if code else ""
