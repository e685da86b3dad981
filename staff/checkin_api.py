"""The check-in part of the JSON API: enrol, list, one person, pause / resume / stop,
approve or refuse a citizen's request, a new invitation.

Like the case API, every read and change goes through ``cases`` (access checked against
the caller's areas, in the access record), and changes need ``X-CSRF-Token``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse

from staff.auth import ChangingStaff, SignedInStaff
from staff.checkin_views import change_of, enrolment_of
from staff.console import console_of
from staff.schemas import (
    NOT_SIGNED_IN,
    CheckinListParams,
    CheckinStatusBody,
    DecisionBody,
    PersonId,
    Problem,
    change_responses,
    read_responses,
)

PERSON_READ = read_responses("No such person")
PERSON_CHANGE = change_responses("No such person", "The person's status refuses the change")
ENROLMENT_EXAMPLE = {
    "name": "김순자",
    "area": "강서구 화곡1동",
    "tier": "위험",
    "schedule": {"days": ["월", "수", "금"], "window": ["09:00", "11:00"]},
    "contacts": [{"name": "박영희", "relation": "딸", "phone": "010-1234-5678"}],
    "consent": {"by": "self", "how": "visit", "at": "2026-12-03T10:00:00+09:00"},
}
EDIT_EXAMPLE = {key: ENROLMENT_EXAMPLE[key] for key in ("tier", "schedule", "contacts")}

router = APIRouter(prefix="/api", tags=["check-ins"])


@router.post(
    "/checkins",
    status_code=201,
    responses={
        **NOT_SIGNED_IN,
        403: {"model": Problem, "description": "An area outside theirs, or no X-CSRF-Token"},
        422: {"model": Problem, "description": "Not a valid enrolment (consent missing…)"},
    },
)
def enrol(
    member: ChangingStaff,
    request: Request,
    enrolment: Annotated[dict[str, Any], Body(examples=[ENROLMENT_EXAMPLE])],
) -> JSONResponse:
    """Enrol a person (the JSON of ``ieum checkins enrol``; nothing is stored without the
    consent record). The answer holds the one-time invitation tokens and links: they are
    shown only now (only their hashes are stored)."""
    console = console_of(request)
    result = console.services.checkin_desk.enrol(
        member.viewer,
        enrolment_of(enrolment),
        bot_username=console.settings.telegram_bot_username,
    )
    return JSONResponse({**result.to_json(), "url": f"/checkins/{result.person_id}"}, 201)


@router.get("/checkins", responses=NOT_SIGNED_IN)
def list_people(
    member: SignedInStaff, params: Annotated[CheckinListParams, Query()], request: Request
) -> dict[str, Any]:
    """The people enrolled in the caller's areas (newest first), by status and tier."""
    people = console_of(request).services.checkin_desk.people(
        member.viewer, status=params.status, tier=params.tier
    )
    return {"items": [person.to_json() for person in people]}


@router.get("/checkins/{person_id}", responses=PERSON_READ)
def read_person(person_id: PersonId, member: SignedInStaff, request: Request) -> dict[str, Any]:
    """The person: schedule, status, consent, contacts, their latest check-ins with
    attempts, answers and ladder steps, and the open concern case."""
    return console_of(request).services.checkin_desk.person(member.viewer, person_id)


@router.post("/checkins/{person_id}", responses=PERSON_CHANGE)
def edit_person(
    person_id: PersonId,
    member: ChangingStaff,
    request: Request,
    change: Annotated[dict[str, Any], Body(examples=[EDIT_EXAMPLE])],
) -> dict[str, Any]:
    """Change the person's tier, schedule and emergency contacts (all three given: the
    change replaces them; checked like an enrolment). In the access record with the codes
    before and after. The answer lists what changed."""
    desk = console_of(request).services.checkin_desk
    return {"id": person_id, **desk.edit(member.viewer, person_id, change_of(change))}


@router.post("/checkins/{person_id}/status", responses=PERSON_CHANGE)
def change_status(
    person_id: PersonId, body: CheckinStatusBody, member: ChangingStaff, request: Request
) -> dict[str, Any]:
    """Pause, resume (``active``) or stop on the person's behalf (stopping withdraws the
    consent; a stopped person is enrolled again)."""
    status = console_of(request).services.checkin_desk.change_status(
        member.viewer, person_id, body.status
    )
    return {"id": person_id, "status": status}


@router.post("/checkins/{person_id}/approve", responses=PERSON_CHANGE)
def decide(
    person_id: PersonId, body: DecisionBody, member: ChangingStaff, request: Request
) -> dict[str, Any]:
    """Approve or refuse a citizen's request from the chat (status ``pending_approval``).
    Approved, they start at once (their chat is known); refused, their consent is
    withdrawn."""
    console = console_of(request)
    invitation = console.services.checkin_desk.decide(
        member.viewer,
        person_id,
        approve=body.decision == "approve",
        tier=body.tier,
        bot_username=console.settings.telegram_bot_username,
    )
    found = console.services.checkin_desk.person(member.viewer, person_id)
    return {
        "id": person_id,
        "status": found["status"],
        "invitation": None if invitation is None else invitation.to_json(),
    }


@router.post("/checkins/{person_id}/invitation", responses=PERSON_CHANGE)
def new_invitation(person_id: PersonId, member: ChangingStaff, request: Request) -> dict[str, Any]:
    """A new one-time invitation for the person; their earlier unused ones stop working."""
    console = console_of(request)
    invitation = console.services.checkin_desk.invite(
        member.viewer, person_id, bot_username=console.settings.telegram_bot_username
    )
    return invitation.to_json()
