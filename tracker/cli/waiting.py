"""The command line waits for another program's write, and says so: a silent pause reads as a hang."""

from __future__ import annotations

import sys

from ..i18n import tr
from ..storage.locking import Patience


class AnnouncedWait(Patience):
    """Tries for a second, then tells the user it is waiting; gives up after ``limit`` seconds."""

    attempt_ms = 1000
    limit = 600.0

    def __init__(self, stream=None):
        self.stream = stream
        self.told = False

    def waiting(self, waited: float) -> bool:
        if not self.told:
            print(tr("База даних зайнята: у неї саме записує інша програма. Чекаю, доки вона закінчить "
                     "(до {minutes} хв; Ctrl+C — скасувати)…", minutes=round(self.limit / 60)),
                  file=self.stream or sys.stderr, flush=True)
            self.told = True
        return waited < self.limit

    def acquired(self) -> None:
        if self.told:
            self.told = False
            print(tr("Базу звільнено, записую."), file=self.stream or sys.stderr, flush=True)
