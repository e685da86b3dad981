"""What the case store refuses, each with a polite Korean message (``cases.messages``) that
a command or page can show as it is."""

from __future__ import annotations


class CaseError(Exception):
    """A refusal the user can act on; ``message`` is the Korean text to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CaseNotFound(CaseError, LookupError):
    """No case has the given id."""


class AccessDenied(CaseError, PermissionError):
    """The case lies outside the areas of the member of staff who asked."""


class TransitionRefused(CaseError):
    """The status change, assignment or reply is not allowed from where the case stands."""


class ReportRejected(CaseError, ValueError):
    """A report that cannot be filed as given; nothing was stored.

    ``candidates`` lists the area keys an ambiguous region could mean.
    """

    def __init__(self, message: str, candidates: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.candidates = candidates


class StaffUserRejected(CaseError, ValueError):
    """A member of staff that cannot be created as given; nothing was stored."""
