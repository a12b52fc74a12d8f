"""Errors the tracker reports to people, worded in Ukrainian with what to do next."""


class TrackerError(Exception):
    """A refusal with a message fit to show the user as is."""


class PlanFormatError(TrackerError):
    """The file is not a plan table the importer can read."""


class ValidationError(TrackerError):
    """A value given for progress breaks a rule of the plan."""


class NotFoundError(TrackerError):
    """A code, quarter or department that the database does not know."""
