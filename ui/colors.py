"""Every colour the window sets, for a light and for a dark palette (Qt follows Windows 11's dark mode).

Nothing else in ui/ names a colour (tests/ui/test_colors.py checks it). Each text colour here has at
least WCAG's 4.5:1 contrast on the backgrounds of its palette, and a bar's percent, written over
the bar, stays readable on the track and on every fill. Ordinary text takes the palette's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from tracker.progress.status import Status


@dataclass(frozen=True)
class Scheme:
    muted: str  # secondary text: hints, shares, explanations
    heading: str  # the detail panel's headings
    warning: str  # not reported, a rule broken, open conflicts
    accent: str  # strategic goals' titles in the overview
    status_text: dict[str, str]  # a status as text (the overview's counts)
    status_fill: dict[str, str]  # a status as a bar
    rollup_fill: str  # an average over measures as a bar
    strategic_fill: str  # a strategic goal's bar
    track: str  # a bar's empty part
    track_border: str
    bar_text: str  # the percent written over a bar
    band: str  # the overview's strategic-goal rows
    hover: str
    grid: str  # faint lines and card borders


S = Status
LIGHT = Scheme(
    muted="#5f6368", heading="#37474f", warning="#b00020", accent="#1a237e",
    status_text={S.NOT_STARTED.value: "#616161", S.IN_PROGRESS.value: "#1565c0", S.DONE.value: "#1b5e20",
                 S.PARTIALLY_DONE.value: "#9a4100", S.NOT_DONE.value: "#c62828", S.OBSOLETE.value: "#6d4c41"},
    status_fill={S.NOT_STARTED.value: "#e0e0e0", S.IN_PROGRESS.value: "#90caf9", S.DONE.value: "#a5d6a7",
                 S.PARTIALLY_DONE.value: "#ffcc80", S.NOT_DONE.value: "#ef9a9a", S.OBSOLETE.value: "#d7ccc8"},
    rollup_fill="#9fa8da", strategic_fill="#7986cb", track="#eceff1", track_border="#cfd8dc", bar_text="#212121",
    band="#e8eaf6", hover="#f3f4fb", grid="#dfe3e8",
)
DARK = Scheme(
    muted="#b0b3b8", heading="#b0bec5", warning="#ff8a80", accent="#9fa8da",
    status_text={S.NOT_STARTED.value: "#bdbdbd", S.IN_PROGRESS.value: "#64b5f6", S.DONE.value: "#81c784",
                 S.PARTIALLY_DONE.value: "#ffb74d", S.NOT_DONE.value: "#ef9a9a", S.OBSOLETE.value: "#bcaaa4"},
    status_fill={S.NOT_STARTED.value: "#5f6368", S.IN_PROGRESS.value: "#1565c0", S.DONE.value: "#2e7d32",
                 S.PARTIALLY_DONE.value: "#8a4b08", S.NOT_DONE.value: "#b71c1c", S.OBSOLETE.value: "#5d4037"},
    rollup_fill="#3949ab", strategic_fill="#303f9f", track="#2f3134", track_border="#4a4d51", bar_text="#f1f3f4",
    band="#262a3b", hover="#2c2f36", grid="#3c4043",
)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def scheme(palette: QPalette | None = None) -> Scheme:
    """The colours for ``palette`` (the application's when none is given)."""
    return DARK if is_dark(palette if palette is not None else QApplication.palette()) else LIGHT


def color(name: str) -> QColor:
    return QColor(name)


def _luminance(value: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(value.redF()) + 0.7152 * channel(value.greenF()) + 0.0722 * channel(value.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG's contrast ratio of two opaque colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def shown_over(top: QColor, base: QColor) -> QColor:
    """The opaque colour a translucent ``top`` shows as over ``base``."""
    alpha = top.alphaF()
    return QColor.fromRgbF(*(alpha * t + (1 - alpha) * b for t, b in
                             ((top.redF(), base.redF()), (top.greenF(), base.greenF()), (top.blueF(), base.blueF()))))


def make_placeholders_readable(palette: QPalette) -> bool:
    """The hint in an empty field («Пошук: код або текст», «напр. 125,5») in the muted text colour when the
    palette's own is below 4.5:1 on a field: a dark palette that does not set it keeps Qt's half-black, which
    vanished on a dark field. True when it was changed."""
    base = palette.color(QPalette.ColorRole.Base)
    if contrast(shown_over(palette.color(QPalette.ColorRole.PlaceholderText), base), base) >= 4.5:
        return False
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.PlaceholderText, QColor(scheme(palette).muted))
    return True


def fit_application_palette(app: QApplication) -> None:
    palette = app.palette()
    if make_placeholders_readable(palette):
        app.setPalette(palette)
