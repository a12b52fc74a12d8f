"""Readable in both palettes: every colour the window sets comes from ui/colors.py and meets WCAG's 4.5:1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from tracker.quarters import Quarter
from ui import colors

UI = Path(__file__).resolve().parents[2] / "ui"
COLOUR_LITERAL = re.compile(r"#[0-9a-fA-F]{6}\b|QColor\(\"|Qt\.GlobalColor")


def luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def light_palette() -> QPalette:
    app = QApplication.instance() or QApplication([])
    return app.style().standardPalette()


def dark_palette() -> QPalette:
    """As Qt 6 takes it from Windows 11 in dark mode."""
    palette = QPalette()
    for role, name in ((QPalette.ColorRole.Window, "#202020"), (QPalette.ColorRole.WindowText, "#ffffff"),
                       (QPalette.ColorRole.Base, "#1c1c1c"), (QPalette.ColorRole.AlternateBase, "#2b2b2b"),
                       (QPalette.ColorRole.Text, "#ffffff"), (QPalette.ColorRole.Button, "#2d2d2d"),
                       (QPalette.ColorRole.ButtonText, "#ffffff"), (QPalette.ColorRole.Highlight, "#0078d4"),
                       (QPalette.ColorRole.HighlightedText, "#ffffff")):
        palette.setColor(role, QColor(name))
    # a disabled control's text greyed, as Windows gives it (set above for every group, disabled buttons and fields
    # looked enabled in the dark screenshots)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#808080"))
    return palette


def test_no_colour_is_named_outside_the_colours_module():
    found = [f"{path.relative_to(UI)}:{number}" for path in UI.rglob("*.py") if path.name != "colors.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if COLOUR_LITERAL.search(line)]
    assert found == []


@pytest.mark.parametrize("palette, expected", [(light_palette, colors.LIGHT), (dark_palette, colors.DARK)],
                         ids=["light", "dark"])
def test_every_text_colour_reads_on_its_palette(qapp, palette, expected):
    palette = palette()
    scheme = colors.scheme(palette)
    assert scheme is expected
    texts = {"muted": scheme.muted, "heading": scheme.heading, "warning": scheme.warning, "accent": scheme.accent,
             **{f"status {code}": value for code, value in scheme.status_text.items()}}
    backgrounds = [palette.color(role) for role in (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase,
                                                    QPalette.ColorRole.Window)]
    poor = [(name, value, round(contrast(QColor(value), background), 2)) for name, value in texts.items()
            for background in backgrounds if contrast(QColor(value), background) < 4.5]
    assert poor == []
    # the percent written over a bar: on the empty track and on every fill
    for background in [scheme.track, scheme.rollup_fill, scheme.strategic_fill, *scheme.status_fill.values()]:
        assert contrast(QColor(scheme.bar_text), QColor(background)) >= 4.5, background


@pytest.fixture
def dark(qapp):
    before = qapp.palette()
    qapp.setPalette(dark_palette())
    yield
    qapp.setPalette(before)


def test_the_window_takes_the_dark_colours(dark, make_window, select, screenshot):
    window = make_window()
    window.resize(1366, 740)
    window.set_quarter(Quarter(2025, 2))
    select(window, "1.2.8")
    html = window.panel.details.browser.toHtml().lower()
    assert colors.DARK.heading in html and colors.LIGHT.heading not in html
    assert colors.DARK.warning in window.panel.editor.heading.text()  # «за цей квартал ще не подано»
    QApplication.processEvents()  # the layout takes the heading's second line
    screenshot(window, "dark_plan")
    window.tabs.setCurrentWidget(window.overview)
    QApplication.processEvents()
    screenshot(window, "dark_overview")


@pytest.mark.parametrize("palette", [light_palette, dark_palette], ids=["light", "dark"])
def test_an_empty_fields_hint_reads_on_its_field(qapp, palette):
    """In a dark palette that does not set it, «Пошук: код або текст» was Qt's half-black on a black field."""
    palette = palette()
    colors.make_placeholders_readable(palette)
    base = palette.color(QPalette.ColorRole.Base)
    hint = palette.color(QPalette.ColorRole.PlaceholderText)
    alpha = hint.alphaF()
    shown = QColor.fromRgbF(*(alpha * h + (1 - alpha) * b for h, b in zip(hint.getRgbF()[:3], base.getRgbF()[:3])))
    assert contrast(shown, base) >= 4.5
    assert not colors.make_placeholders_readable(palette)  # once is enough: nothing more to change
