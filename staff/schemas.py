"""The JSON API's request bodies and queue parameters, as the OpenAPI document shows them.

Lengths and choices are checked here, so a bad request is refused (422) before anything
reaches the case store; what depends on the case (its status, its area) is refused by
``cases`` itself.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cases.casework import NOTE_LIMIT, REPLY_LIMIT
from cases.models import CaseKind, CheckinTier, PersonStatus, Status
from cases.queue import MAX_PAGE_SIZE, CaseFilters

# Names (logins, area keys) never hold control characters; PostgreSQL cannot even store a
# NUL, so one would fail the query instead of simply matching nothing.
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
Login = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=PRINTABLE),
]
Name = Annotated[str, StringConstraints(max_length=100, pattern=PRINTABLE)]
CaseId = Annotated[int, Path(ge=1, le=2**31 - 1)]
"""A case number as the database can hold it (a larger one is refused, not a 500)."""
NoteText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NOTE_LIMIT)
]
ReplyText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=REPLY_LIMIT)
]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SignInBody(Body):
    login: Login
    password: Annotated[str, Field(min_length=1, max_length=1000)]


class StatusBody(Body):
    status: Status
    outcome: Annotated[str | None, Field(max_length=30)] = None
    """An outcome code of the case policy; needed when closing."""
    reason: Annotated[str | None, Field(max_length=NOTE_LIMIT)] = None


class NoteBody(Body):
    text: NoteText


class ReplyBody(Body):
    text: ReplyText


class AssignBody(Body):
    assignee: Login | None
    """The login to give the case to; null to leave it unassigned."""


class QueueParams(BaseModel):
    """Filters and page of the queue (query parameters)."""

    model_config = ConfigDict(extra="forbid")

    kind: CaseKind | None = None
    area: Name | None = None
    status: Status | None = None
    """None: every case not yet closed."""
    overdue: bool = False
    unrouted: bool = False
    assignee: Name | None = None
    page: Annotated[int, Field(ge=1, le=100_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = 50

    @property
    def filters(self) -> CaseFilters:
        return CaseFilters(
            kind=self.kind,
            area=self.area,
            status=self.status,
            overdue=self.overdue,
            unrouted=self.unrouted,
            assignee=self.assignee,
        )

    def query_string(self, **changes: Any) -> dict[str, Any]:
        """These parameters (without defaults) for a link, with ``changes``."""
        values = {**self.model_dump(exclude_defaults=True), **changes}
        return {key: value for key, value in values.items() if value not in (None, False)}


class Problem(BaseModel):
    """Every refusal: ``detail`` is a Korean sentence to show as it is."""

    detail: str


Responses = dict[int | str, dict[str, Any]]
"""An operation's refusals, as the OpenAPI document shows them."""

NOT_SIGNED_IN: Responses = {401: {"model": Problem}}


def read_responses(missing: str) -> Responses:
    """The refusals of a read of one record; ``missing`` describes the 404."""
    return {
        **NOT_SIGNED_IN,
        403: {"model": Problem, "description": "Outside the areas of the member of staff"},
        404: {"model": Problem, "description": missing},
    }


def change_responses(missing: str, conflict: str) -> Responses:
    """The refusals of a change of one record; ``conflict`` describes the 409."""
    return {
        **read_responses(missing),
        403: {"model": Problem, "description": "Outside their areas, or no valid X-CSRF-Token"},
        409: {"model": Problem, "description": conflict},
        422: {"model": Problem, "description": "The request is not valid"},
    }


# --- check-ins ------------------------------------------------------------------------------
PersonId = Annotated[int, Path(ge=1, le=2**31 - 1)]
"""A check-in person's number as the database can hold it."""


class CheckinListParams(BaseModel):
    """Filters of the check-in list (query parameters)."""

    model_config = ConfigDict(extra="forbid")

    status: PersonStatus | None = None
    tier: CheckinTier | None = None


class CheckinStatusBody(Body):
    status: Literal["paused", "active", "stopped"]
    """paused (잠시 쉬기), active (다시 시작), stopped (그만두기: the consent is withdrawn)."""


class DecisionBody(Body):
    decision: Literal["approve", "refuse"]
    tier: CheckinTier | None = None
    """The tier to start with when approving (the request's own is 관심)."""
