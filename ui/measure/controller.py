"""Saving and undoing a measure's quarter from the form: operations with an undo stack of this session's saves."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from tracker.errors import TrackerError
from tracker.progress.records import SaveResult, record_version, save_progress
from tracker.progress.undo import saved_code, saved_values, undo_change_set, undo_summary
from tracker.quarters import Quarter
from tracker.storage.failures import database_errors

from ..operations import Operation, Operations

WINDOW_ORIGIN = "вікно програми"


@dataclass
class _Saved:
    change_set: str
    measure_id: int
    code: str
    quarter: Quarter


@dataclass
class _Undone:
    saved: _Saved
    values: dict  # what the save wrote, to write again
    version: int  # the record's version right after the undo: a redo over anything newer is refused


def _code_now(saved: _Saved) -> tuple[str, Quarter]:
    """The saved measure's code now in that quarter; the one it was saved under when the database is out of reach
    (the undo itself then says why it cannot be done)."""
    try:
        with database_errors():
            return saved_code(saved.change_set) or (saved.code, saved.quarter)
    except TrackerError:
        return saved.code, saved.quarter


class ProgressController(QObject):
    """This session's saves, undone and redone on request (never by the text fields' Ctrl+Z)."""

    undoAvailable = Signal(bool)
    redoAvailable = Signal(bool)

    def __init__(self, operations: Operations, author: str, parent=None):
        super().__init__(parent)
        self.operations = operations
        self.author = author
        self._undo_stack: list[_Saved] = []
        self._redo_stack: list[_Undone] = []

    def save(self, measure_id: int, quarter: Quarter, values: dict, expected_version: int | None = None) -> SaveResult:
        """Raises tracker.errors.TrackerError with a message for the user when refused, and
        ConflictError when someone saved the record after ``expected_version``."""
        result = self.operations.run(Operation(lambda: save_progress(
            measure_id, quarter, values, author=self.author, origin=WINDOW_ORIGIN, expected_version=expected_version)))
        if result.change_set is not None:
            self._undo_stack.append(_Saved(result.change_set, measure_id, result.measure_code, quarter))
            self._redo_stack.clear()  # a new save: what was undone before it is not redone over it
            self._announce()
        return result

    def can_undo(self) -> bool:
        return bool(self._undo_stack)

    def last_saved(self) -> tuple[str, Quarter] | None:
        """The measure (its code now: an amendment may have renumbered it since) and quarter an undo would take back."""
        if not self._undo_stack:
            return None
        return _code_now(self._undo_stack[-1])

    def last_saved_summary(self) -> tuple[_dt.datetime | None, list[str]]:
        """When the save an undo would take back was made, and what it would bring back (tracker's undo_summary)."""
        return undo_summary(self._undo_stack[-1].change_set) if self._undo_stack else (None, [])

    def last_undone(self) -> tuple[str, Quarter] | None:
        if not self._redo_stack:
            return None
        return _code_now(self._redo_stack[-1].saved)

    def undo(self) -> int | None:
        """Undo this session's last save; returns the measure id, or None when there is nothing."""
        if not self._undo_stack:
            return None
        saved = self._undo_stack[-1]
        values = saved_values(saved.change_set)
        self.operations.run(Operation(lambda: undo_change_set(saved.change_set, author=self.author)))
        self._undo_stack.pop()  # only once it worked: a refused undo keeps the stack
        self._redo_stack.append(_Undone(saved, values, record_version(saved.measure_id, saved.quarter)))
        self._announce()
        return saved.measure_id

    def redo(self) -> int | None:
        """Save again what the last undo took back; refused (ConflictError) if the record moved on since."""
        if not self._redo_stack:
            return None
        undone = self._redo_stack[-1]
        saved = undone.saved
        result = self.operations.run(Operation(lambda: save_progress(
            saved.measure_id, saved.quarter, undone.values, author=self.author, origin=WINDOW_ORIGIN,
            expected_version=undone.version)))
        self._redo_stack.pop()
        if result.change_set is not None:
            self._undo_stack.append(_Saved(result.change_set, saved.measure_id, saved.code, saved.quarter))
        self._announce()
        return saved.measure_id

    def clear(self) -> None:
        self._undo_stack.clear()
        self._redo_stack.clear()
        self._announce()

    def _announce(self) -> None:
        self.undoAvailable.emit(bool(self._undo_stack))
        self.redoAvailable.emit(bool(self._redo_stack))
