"""The JSON API under /api: sessions, the queue, one case and what staff do with it.

Every read and change goes through ``cases`` (so it is in the access record with who and
when); changes need the session's CSRF token in ``X-CSRF-Token``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse

from staff import messages
from staff.auth import (
    ChangingStaff,
    SignedInStaff,
    clear_session_cookies,
    client_address,
    csrf_header,
    require_audit_reader,
    session_cookie,
    set_session_cookies,
)
from staff.case_views import photo_url
from staff.console import console_of
from staff.schemas import (
    NOT_SIGNED_IN,
    AssignBody,
    CaseId,
    NoteBody,
    Problem,
    QueueParams,
    ReplyBody,
    SignInBody,
    StatusBody,
    change_responses,
    read_responses,
)
from staff.signin import Throttled, sign_in

CASE_READ = read_responses("No such case")
CASE_CHANGE = change_responses("No such case", "The case's state refuses the change")

router = APIRouter(prefix="/api", tags=["console"])


@router.post(
    "/session",
    responses={
        401: {"model": Problem, "description": "Wrong login or password"},
        429: {"model": Problem, "description": "Too many failed sign-ins; see Retry-After"},
    },
)
def create_session(body: SignInBody, request: Request) -> JSONResponse:
    """Sign in: a session cookie (HttpOnly, SameSite=Strict) and the CSRF token to send in
    ``X-CSRF-Token`` with every change."""
    try:
        signed = sign_in(console_of(request), body.login, body.password, client_address(request))
    except Throttled as refused:
        return JSONResponse(
            {"detail": refused.message},
            status_code=429,
            headers={"Retry-After": str(refused.seconds)},
        )
    if signed is None:
        return JSONResponse({"detail": messages.WRONG_PASSWORD}, status_code=401)
    response = JSONResponse(
        {
            "csrf": signed.csrf_token,
            "expires_at": signed.expires_at.isoformat(),
            "account": signed.account.to_json(),
        }
    )
    set_session_cookies(request, response, signed)
    return response


@router.delete("/session", status_code=204, responses={403: {"model": Problem}})
def delete_session(
    request: Request,
    token: Annotated[str | None, Depends(session_cookie)],
    csrf: Annotated[str | None, Depends(csrf_header)],
) -> Response:
    """Sign out (ends the session in the database, so every console process forgets it).
    Without a live session there is nothing to end: 204 all the same."""
    sessions = console_of(request).services.sessions
    if token and len(token) <= 200 and (active := sessions.current(token)) is not None:
        if not active.csrf_matches(csrf):
            return JSONResponse({"detail": messages.CSRF_REFUSED}, status_code=403)
        sessions.sign_out(token)
    response = Response(status_code=204)
    clear_session_cookies(response)
    return response


@router.get("/cases", responses=NOT_SIGNED_IN)
def list_cases(
    member: SignedInStaff, params: Annotated[QueueParams, Query()], request: Request
) -> dict[str, Any]:
    """The cases of the caller's areas matching the filters, most urgent first."""
    page = console_of(request).services.queue.list_cases(
        member.viewer, params.filters, page=params.page, page_size=params.page_size
    )
    return {
        "items": [item.to_json() for item in page.items],
        "total": page.total,
        "page": page.page,
        "page_size": page.page_size,
    }


@router.get("/cases/{case_id}", responses=CASE_READ)
def read_case(case_id: CaseId, member: SignedInStaff, request: Request) -> dict[str, Any]:
    """The whole case: fields, transcript (masked), events and report."""
    record = console_of(request).services.desk.detail(member.viewer, case_id)
    found = record.to_json()
    if record.report is not None and record.report.photo_path:
        found["report"]["photo"]["url"] = photo_url(case_id)
    return found


@router.get("/cases/{case_id}/events", responses=CASE_READ)
def case_events(case_id: CaseId, member: SignedInStaff, request: Request) -> dict[str, Any]:
    """The case's log, oldest first."""
    record = console_of(request).services.desk.detail(member.viewer, case_id)
    return {"events": [event.to_json() for event in record.events]}


@router.post("/cases/{case_id}/status", responses=CASE_CHANGE)
def change_status(
    case_id: CaseId, body: StatusBody, member: ChangingStaff, request: Request
) -> dict[str, Any]:
    """Move the case along new → assigned → contacted → visited → linked → closed
    (closing needs an ``outcome`` of the policy)."""
    event = console_of(request).services.desk.change_status(
        member.viewer, case_id, body.status, outcome=body.outcome, reason=body.reason
    )
    return event.to_json()


@router.post("/cases/{case_id}/notes", responses=CASE_CHANGE)
def add_note(
    case_id: CaseId, body: NoteBody, member: ChangingStaff, request: Request
) -> dict[str, Any]:
    event = console_of(request).services.desk.add_note(member.viewer, case_id, body.text)
    return event.to_json()


@router.post("/cases/{case_id}/assign", responses=CASE_CHANGE)
def assign(
    case_id: CaseId, body: AssignBody, member: ChangingStaff, request: Request
) -> dict[str, Any]:
    """Give the case to ``assignee`` (null: nobody). Workers may take an unassigned case
    or drop their own."""
    event = console_of(request).services.desk.assign(member.viewer, case_id, body.assignee)
    return event.to_json()


@router.post("/cases/{case_id}/reply", responses=CASE_CHANGE)
def reply(
    case_id: CaseId, body: ReplyBody, member: ChangingStaff, request: Request
) -> dict[str, Any]:
    """Answer the citizen in their Telegram chat; the reply joins the transcript now and
    is delivered by the console's delivery worker."""
    event = console_of(request).services.desk.reply(member.viewer, case_id, body.text)
    return event.to_json()


@router.get("/audit", responses=NOT_SIGNED_IN)
def audit(
    member: SignedInStaff,
    request: Request,
    case_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    before_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """The access record, newest first: an admin's is everything, a supervisor's the rows
    about cases of their district; workers have none."""
    require_audit_reader(member)
    entries = console_of(request).services.audit.entries(
        member.viewer, case_id=case_id, before_id=before_id, limit=limit
    )
    return {"entries": [entry.to_json() for entry in entries]}
