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

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Signal

from tracker.plan.versions import amendment_mark
from tracker.progress.records import history_mark, history_rows
from tracker.quarters import Quarter
from tracker.storage.failures import DatabaseBusy, database_errors
from tracker.storage.locking import Quick, waiting_with

from .background import run_with_progress
from .i18n import tr

T = TypeVar("T")

# ids of history rows not yet seen below the mark (a transaction still open on the server), looked for again at each
# look while they may still come; a gap wider than this is not followed (ids the server skipped, not rows in flight)
PENDING_FOR_S = 15 * 60
PENDING_AT_MOST = 1000


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
        self._seen: tuple[int, int] | None = None  # the history's and the amendments' marks the views show (look)
        self._pending: dict[int, float] = {}  # history ids below the mark not seen yet → when first missed
        self._running = False  # an operation is under way (its worker's dialog runs the event loop meanwhile)

    def run(self, operation: Operation[T]) -> T:
        """The work's result; a refusal or a database failure reaches the caller as a TrackerError."""
        running, self._running = self._running, True
        try:
            return self._run(operation)
        finally:
            self._running = running

    def _run(self, operation: Operation[T]) -> T:
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
            seen = marks_now()  # before the changes are read: a later one is read again by look, not missed
            # what the views last took in, when older: a colleague's save since the last look was skipped by a save
            # here, its rows left as they were until F5
            if self._seen is not None and plan_mark is not None:
                mark, plan_mark = min(mark, self._seen[0]), self._seen[1]
            amended = plan_mark is not None and seen[1] != plan_mark
        if operation.replaces_plan or amended:
            self._seen, self._pending = seen, {}
            self.changed.emit(Changes(plan=True))
        else:
            with database_errors():
                changed = self._changes(mark, seen[0])
            self._seen = seen
            self.changed.emit(changed)
        return result

    def _changes(self, after: int, up_to: int) -> Changes:
        """The changes after the history's ``after`` (up to ``up_to``, where it stood just now, and past it), with
        those of rows below it still pending; the ids in between not read are pending from now on."""
        rows = history_rows(after, self._pending)
        now = time.monotonic()
        self._pending = {row_id: since for row_id, since in self._pending.items()
                         if row_id not in rows and now - since < PENDING_FOR_S}
        if up_to - after <= PENDING_AT_MOST:
            self._pending.update((row_id, now) for row_id in range(after + 1, up_to + 1) if row_id not in rows)
        return Changes.of(frozenset(rows.values()))

    def look(self, marks: tuple[int, int] | None = None) -> Changes | None:
        """What other programs wrote since the views last took the database in (a colleague's save on the server, a
        laptop's package imported in another window, a `tracker set` here): announced as an operation's changes are,
        so the views read again only those measures. None when nothing changed, or while an operation runs. A plan
        amended, or a database whose history went back (another file put in its place), is returned, not announced
        (Changes(plan=True)): announced, the window would fold the whole tree and empty the form — the watch reads
        it again as F5 does (saw_all), or leaves it to F5 while the form holds unsaved edits. ``marks``: read
        already (marks_now(), in another thread: a server that stopped answering holds that thread, not the window).
        A database error reaches the caller."""
        if self._running:
            return None
        with database_errors():
            marks = marks or marks_now()
            if self._seen is None or (marks == self._seen and not self._pending):
                self._seen = marks
                return None
            if marks[1] != self._seen[1] or marks[0] < self._seen[0]:
                return Changes(plan=True)
            changes = self._changes(self._seen[0], marks[0])
        self._seen = marks
        if not changes:
            return None
        self.changed.emit(changes)
        return changes

    def saw_all(self) -> None:
        """The views have read the whole database again (F5, another database opened): look starts from here."""
        with database_errors():
            self._seen, self._pending = marks_now(), {}


def marks_now() -> tuple[int, int]:
    """Where the history and the plan's amendments stand: every change of progress writes a history row, every
    amendment (here or from a package) its row."""
    return history_mark(), amendment_mark()
