"""Errors the tracker reports to people, worded in Ukrainian with what to do next."""


class TrackerError(Exception):
    """A refusal with a message fit to show the user as is."""


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

    def __init__(self, message: str, *, expected_version: int, wanted: dict, current=None):
        super().__init__(message)
        self.expected_version = expected_version
        self.wanted = wanted
        self.current = current

    @property
    def current_version(self) -> int:
        return self.current.version if self.current is not None else 0
