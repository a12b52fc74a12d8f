"""The measure's texts above its form (ui.measure.details)."""

from tests.ui.test_colors import dark_palette


def test_the_keyboard_on_the_measure_s_texts_is_seen(window, select, qtbot, qapp):
    """Tab from the tree stopped on the texts with nothing on the screen to say so, in a dark palette most of all."""
    before = qapp.palette()
    qapp.setPalette(dark_palette())
    try:
        select(window, "1.1.1")
        window.activateWindow()
        qtbot.waitActive(window)
        browser = window.panel.details.browser
        window.tree_view.setFocus()
        qtbot.waitUntil(lambda: not browser.hasFocus(), timeout=2000)
        unfocused = browser.grab().toImage()
        browser.setFocus()
        qtbot.waitUntil(browser.hasFocus, timeout=2000)
        focused = browser.grab().toImage()
        middle = browser.height() // 2
        assert focused.pixelColor(0, middle) != unfocused.pixelColor(0, middle)  # its edge drawn
    finally:
        qapp.setPalette(before)
