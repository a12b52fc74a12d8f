"""Errors the tracker reports to people, worded (through tracker.i18n) with what to do next."""


class TrackerError(Exception):
    """A refusal with a message fit to show the user as is.

    The message says what to do in the user's terms; ``hint`` is a short key (``"database"``,
    ``"init"``, ``"field:status"`` …) that the command line turns into its own flag or command
    (tracker/cli/hints.py), which a window user could not act on.
    """

    def __init__(self, *args, hint: str | None = None):
        super().__init__(*args)
        self.hint = hint


class PlanFormatError(TrackerError):
    """The file is not a plan table the importer can read."""


class ValidationError(TrackerError):
    """A value given for progress breaks a rule of the plan."""


class NotFoundError(TrackerError):
    """A code, quarter or department that the database does not know."""


class ConflictError(ValidationError):
    """Someone saved the same measure and quarter after the caller read it; nothing was written.

    ``wanted`` holds the values the caller tried to save (field → typed value); ``current`` is the
    record as it is now, a tracker.progress.ProgressState with author, time and version, or None
    when the record no longer exists.
    """

    def __init__(self, message: str, *, expected_version: int, wanted: dict, current=None, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.expected_version = expected_version
        self.wanted = wanted
        self.current = current

    @property
    def current_version(self) -> int:
        return self.current.version if self.current is not None else 0
