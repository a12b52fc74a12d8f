"""Mnemonics typed in the other keyboard layout: the window's Alt+letter keys are Ukrainian letters («&Стан» is
Alt+С), and a coordinator whose English layout is on presses Alt+C for it — the same key on the keyboard. Qt
matches the letter the layout gives, so nothing happened (and in the notes field Alt+C typed «c»). A key press no
shortcut took is tried once more as the letter the same key gives in the other layout (Ukrainian ЙЦУКЕН ↔ English
QWERTY); the letters of an open menu, or of the menu bar reached by F10, likewise. The English interface's Latin
mnemonics are reached from the Ukrainian layout the same way."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMenuBar, QWidget

# the same keys of the Ukrainian and the English (US) layouts, letter for letter
_UKRAINIAN = "ЙЦУКЕНГШЩЗХЇФІВАПРОЛДЖЄЯЧСМИТЬБЮ"
_ENGLISH = "QWERTYUIOP[]ASDFGHJKL;'ZXCVBNM,."
# a letter key's Qt key is its capital's code point, a sign's its own: the same key's in the other layout
TWINS = {**{ord(u): ord(e) for u, e in zip(_UKRAINIAN, _ENGLISH)}, **{ord(e): ord(u) for u, e in zip(_UKRAINIAN, _ENGLISH)}}
_IGNORED = Qt.KeyboardModifier.KeypadModifier


class OtherLayoutMnemonics(QObject):
    """An application's event filter (install_on); the twin of a key press is sent as a key press of its own, which
    Qt's shortcut map tries first, as for a key typed."""

    def eventFilter(self, watched, event) -> bool:
        # only the keyboard's own presses: the twin sent here is not one, and is never sent back
        if event.type() != QEvent.Type.KeyPress or not event.spontaneous() or not isinstance(watched, QWidget):
            return False
        twin = TWINS.get(event.key())
        if twin is None:
            return False
        modifiers = event.modifiers() & ~_IGNORED
        if isinstance(watched, (QMenu, QMenuBar)):
            return self._menu_letter(watched, event, twin, modifiers)
        if modifiers != Qt.KeyboardModifier.AltModifier:
            return False
        # no text: unless a shortcut takes it, the twin reaches the widget as an Alt key that types nothing
        QApplication.sendEvent(watched, QKeyEvent(QEvent.Type.KeyPress, twin, modifiers, ""))
        return True

    @staticmethod
    def _menu_letter(menu: QWidget, event: QKeyEvent, twin: int, modifiers) -> bool:
        """A letter in an open menu (or the menu bar) that none of its items has, when one has the twin: that one."""
        if modifiers not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.AltModifier):
            return False
        letters = {_mnemonic(action.text()) for action in menu.actions() if action.isVisible() and action.isEnabled()}
        if event.key() in letters or twin not in letters:
            return False
        QApplication.sendEvent(menu, QKeyEvent(QEvent.Type.KeyPress, twin, modifiers, chr(twin).lower()))
        return True


def _mnemonic(text: str) -> int | None:
    sequence = QKeySequence.mnemonic(text)
    return None if sequence.isEmpty() else sequence[0].key().value


def install_on(app: QApplication) -> OtherLayoutMnemonics:
    keys = OtherLayoutMnemonics(app)
    app.installEventFilter(keys)
    return keys
