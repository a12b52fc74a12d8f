"""The window's one path for changes: every change runs here, then the views hear what changed.

As Anki's ``CollectionOp``/``OpChanges``: an ``Operation`` is a tracker call (run off the GUI thread
behind a busy dialog when it is long); after it, ``Operations.changed`` carries a ``Changes`` that
names the measures whose progress changed and for which quarters — read from the history, which
every change of progress writes, so nothing is missed whichever tracker call made it — and whether
the plan or the whole database was replaced (an amendment applied, here or from a package, counts). Views refresh only that. A refusal (TrackerError) reaches the caller and
changes nothing, so nothing is announced.

A database another program is writing to is not waited for on the GUI thread: the operation gives up
at once (nothing written) and runs again in a worker thread, whose dialog shows the wait and can
cancel it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Signal

from tracker.plan.versions import amendment_mark
from tracker.progress.records import changed_since, history_mark
from tracker.quarters import Quarter
from tracker.storage.failures import DatabaseBusy, database_errors
from tracker.storage.locking import Quick, waiting_with

from .background import run_with_progress
from .i18n import tr

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    measures: frozenset[int] = frozenset()  # measures whose progress (record or history) changed
    quarters: frozenset[Quarter] = frozenset()  # the quarters those changes were for
    plan: bool = False  # the plan or the whole database was replaced: everything reloads

    @classmethod
    def of(cls, changed: frozenset[tuple[int, Quarter]]) -> "Changes":
        return cls(frozenset(m for m, _ in changed), frozenset(q for _, q in changed))

    def shows_in(self, quarter: Quarter) -> bool:
        """Whether the plan as of ``quarter`` looks different: a change for a later quarter does not show."""
        return any(q <= quarter for q in self.quarters)

    def __bool__(self) -> bool:
        return bool(self.measures or self.plan)


@dataclass(frozen=True)
class Operation(Generic[T]):
    work: Callable[[], T]
    title: str = ""  # the busy dialog's title
    busy: str | None = None  # set for long work: it runs in a worker thread behind a busy dialog
    replaces_plan: bool = False  # a restore, another database, an amended plan
    # one transaction: refused because another program was writing, it wrote nothing and may run again
    repeatable: bool = True


class Operations(QObject):
    """Runs the window's operations and announces what each changed."""

    changed = Signal(object)  # Changes, after every operation that ran (an empty one too: nothing moved)

    def __init__(self, window):
        super().__init__(window)
        self._window = window

    def run(self, operation: Operation[T]) -> T:
        """The work's result; a refusal or a database failure reaches the caller as a TrackerError."""
        def work():
            with database_errors():  # locked, full disk, server gone: a message, not a console traceback
                return operation.work()

        with database_errors():
            mark = None if operation.replaces_plan else history_mark()
            plan_mark = None if operation.replaces_plan else amendment_mark()
        if operation.busy is not None:
            result = run_with_progress(self._window, operation.title, operation.busy, work)
        else:
            try:
                with waiting_with(Quick()):  # the window's thread never freezes waiting for another program
                    result = work()
            except DatabaseBusy:
                if not operation.repeatable:
                    raise
                # wait where the window stays alive: a worker thread, behind a dialog that can cancel
                result = run_with_progress(self._window, operation.title or tr("Запис"), tr("Запис…"), work,
                                           waiting=True)
        with database_errors():
            amended = plan_mark is not None and amendment_mark() != plan_mark
        if operation.replaces_plan or amended:
            self.changed.emit(Changes(plan=True))
        else:
            with database_errors():
                changed = changed_since(mark)
            self.changed.emit(Changes.of(changed))
        return result
