"""The console's HTML pages: sign-in, the queue, one case, the access record.

Pages read and change cases only through ``cases`` (audited), like the API; forms carry
the session's CSRF token in a hidden field. A change that is refused shows the case page
again with the reason and what was typed, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from cases.access import visible_areas
from core.areas import AREAS
from staff import messages
from staff.auth import (
    SignedInStaff,
    StaffMember,
    clear_session_cookies,
    client_address,
    require_audit_reader,
    set_session_cookies,
)
from staff.case_views import can_reply, next_statuses, photo_url
from staff.console import console_of
from staff.forms import see_other, submit_form
from staff.problems import validation_message
from staff.rendering import render
from staff.schemas import (
    AssignBody,
    CaseId,
    NoteBody,
    QueueParams,
    ReplyBody,
    SignInBody,
    StatusBody,
)
from staff.signin import Throttled, sign_in

router = APIRouter(include_in_schema=False)

Body = TypeVar("Body", bound=BaseModel)

Text = Annotated[str, Form(max_length=20_000)]
FORMS = frozenset({"reply", "assign", "status", "note"})
"""The case page's forms; each is in a section of that id, where its outcome is shown."""


@router.get("/login")
def login_page(
    request: Request, next: str = "/", ended: bool = False, signed_out: bool = False
) -> Response:
    notice = messages.SIGNED_OUT if signed_out else messages.SESSION_ENDED if ended else None
    return sign_in_page(request, safe_next(next), notice=notice)


@router.post("/login")
def login_form(
    request: Request, login: Text = "", password: Text = "", next: Text = "/"
) -> Response:
    target = safe_next(next)
    try:
        body = SignInBody.model_validate({"login": login, "password": password})
        signed = sign_in(console_of(request), body.login, body.password, client_address(request))
    except ValidationError as error:
        return sign_in_page(request, target, 422, validation_message(error.errors()), login)
    except Throttled as refused:
        page = sign_in_page(request, target, 429, refused.message, login)
        page.headers["Retry-After"] = str(refused.seconds)
        return page
    if signed is None:
        return sign_in_page(request, target, 401, messages.WRONG_PASSWORD, login)
    response = RedirectResponse(target, status_code=303)
    set_session_cookies(request, response, signed)
    return response


@router.post("/logout")
def logout(request: Request, member: SignedInStaff, csrf: Text = "") -> Response:
    member.check_csrf(csrf)
    console_of(request).services.sessions.sign_out(member.token)
    response = RedirectResponse("/login?signed_out=1", status_code=303)
    clear_session_cookies(response)
    return response


@router.get("/")
def queue_page(request: Request, member: SignedInStaff) -> Response:
    params, problem = queue_params(request)
    return render(
        request,
        "queue.html",
        member,
        status_code=200 if problem is None else 422,
        **queue_context(request, member, params),
        problem=problem,
        areas=area_choices(member),
        refresh_seconds=console_of(request).settings.staff_queue_refresh_seconds,
    )


@router.get("/queue/rows")
def queue_rows(request: Request, member: SignedInStaff) -> Response:
    """The queue's table body alone, for the page's live refresh."""
    params, problem = queue_params(request)
    status_code = 200 if problem is None else 422
    return render(
        request,
        "queue_rows.html",
        member,
        status_code=status_code,
        **queue_context(request, member, params),
    )


@router.get("/cases/{case_id}")
def case_page(
    request: Request, case_id: CaseId, member: SignedInStaff, done: str | None = None
) -> Response:
    """``done`` names the form whose change went through (to say so beside it)."""
    return show_case(request, member, case_id, done=done if done in FORMS else None)


@router.get("/cases/{case_id}/photo")
def case_photo(request: Request, case_id: CaseId, member: SignedInStaff) -> Response:
    """The report's photo, for staff who may see the case (the read is audited)."""
    console = console_of(request)
    record = console.services.desk.detail(member.viewer, case_id)
    report = record.report
    folder = console.settings.report_photos_dir.resolve()
    if report is None or not report.photo_path:
        return render(request, "error.html", member, status_code=404, problem=messages.NOTHING)
    path = (folder / report.photo_path).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        return render(
            request, "error.html", member, status_code=404, problem=messages.PHOTO_MISSING
        )
    return FileResponse(path, media_type=report.photo_type or "application/octet-stream")


@router.post("/cases/{case_id}/notes")
def note_form(
    request: Request, case_id: CaseId, member: SignedInStaff, csrf: Text = "", text: Text = ""
) -> Response:
    return change_case(
        request,
        member,
        case_id,
        csrf,
        NoteBody,
        {"text": text},
        "note",
        lambda body: console_of(request).services.desk.add_note(member.viewer, case_id, body.text),
    )


@router.post("/cases/{case_id}/assign")
def assign_form(
    request: Request,
    case_id: CaseId,
    member: SignedInStaff,
    csrf: Text = "",
    action: Text = "",
    assignee: Text = "",
) -> Response:
    """``action`` take (to me), drop (nobody) or give (to ``assignee``)."""
    chosen: str | None = {"take": member.account.login, "drop": None}.get(action, assignee)
    return change_case(
        request,
        member,
        case_id,
        csrf,
        AssignBody,
        {"assignee": chosen},
        "assign",
        lambda body: console_of(request).services.desk.assign(
            member.viewer, case_id, body.assignee
        ),
    )


@router.post("/cases/{case_id}/status")
def status_form(
    request: Request,
    case_id: CaseId,
    member: SignedInStaff,
    csrf: Text = "",
    status: Text = "",
    outcome: Text = "",
    reason: Text = "",
) -> Response:
    values = {"status": status, "outcome": outcome or None, "reason": reason or None}
    return change_case(
        request,
        member,
        case_id,
        csrf,
        StatusBody,
        values,
        "status",
        lambda body: console_of(request).services.desk.change_status(
            member.viewer, case_id, body.status, outcome=body.outcome, reason=body.reason
        ),
    )


@router.post("/cases/{case_id}/reply")
def reply_form(
    request: Request, case_id: CaseId, member: SignedInStaff, csrf: Text = "", text: Text = ""
) -> Response:
    return change_case(
        request,
        member,
        case_id,
        csrf,
        ReplyBody,
        {"text": text},
        "reply",
        lambda body: console_of(request).services.desk.reply(member.viewer, case_id, body.text),
    )


@router.get("/audit")
def audit_page(
    request: Request,
    member: SignedInStaff,
    case_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    before_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    require_audit_reader(member)
    entries = console_of(request).services.audit.entries(
        member.viewer, case_id=case_id, before_id=before_id, limit=100
    )
    older = None
    if len(entries) == 100:
        older = urlencode(
            {k: v for k, v in (("case_id", case_id), ("before_id", entries[-1].id)) if v}
        )
    return render(request, "audit.html", member, entries=entries, case_id=case_id, older=older)


# --- helpers --------------------------------------------------------------------------------
def sign_in_page(
    request: Request,
    target: str,
    status_code: int = 200,
    error: str | None = None,
    login: str = "",
    *,
    notice: str | None = None,
) -> Response:
    """The sign-in form, with what was typed as the login kept (never the password)."""
    return render(
        request,
        "login.html",
        status_code=status_code,
        next=target,
        error=error,
        login=login,
        notice=notice,
    )


def safe_next(target: str) -> str:
    """Only a path of this site is followed after sign-in (never another site's URL)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def queue_params(request: Request) -> tuple[QueueParams, str | None]:
    """The queue's filters from the query string (empty fields are no filter), or the
    defaults and the Korean reason they were refused."""
    given = {key: value for key, value in request.query_params.items() if value != ""}
    try:
        return QueueParams.model_validate(given), None
    except ValidationError as error:
        return QueueParams(), validation_message(error.errors())


def queue_context(request: Request, member: StaffMember, params: QueueParams) -> dict[str, Any]:
    page = console_of(request).services.queue.list_cases(
        member.viewer, params.filters, page=params.page, page_size=params.page_size
    )
    pages = max(1, -(-page.total // page.page_size))
    return {
        "page": page,
        "pages": pages,
        "params": params,
        "previous_link": urlencode(params.query_string(page=page.page - 1))
        if page.page > 1
        else None,
        "next_link": urlencode(params.query_string(page=page.page + 1))
        if page.page < pages
        else None,
        "rows_link": urlencode(params.query_string()),
    }


def area_choices(member: StaffMember) -> list[str]:
    visible = visible_areas(member.viewer)
    return sorted(AREAS if visible is None else visible)


def show_case(
    request: Request,
    member: StaffMember,
    case_id: int,
    *,
    done: str | None = None,
    problem: str | None = None,
    typed: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    console = console_of(request)
    record = console.services.desk.detail(member.viewer, case_id)
    return render(
        request,
        "case.html",
        member,
        status_code=status_code,
        case=record,
        done=done,
        problem=problem,
        typed=typed or {},
        statuses=next_statuses(record, member.account.role),
        outcomes=console.services.policy.outcomes,
        replyable=can_reply(record),
        photo=photo_url(case_id) if record.report and record.report.photo_path else None,
    )


def change_case(
    request: Request,
    member: StaffMember,
    case_id: int,
    csrf: str,
    schema: type[Body],
    values: dict[str, Any],
    form: str,
    change: Callable[[Body], object],
) -> Response:
    """Validate ``values`` as ``schema`` and make the change; on success back to the case
    page, else the case page again with the reason and the typed text."""
    return submit_form(
        member,
        csrf,
        lambda: change(schema.model_validate(values)),
        done=lambda _: see_other(f"/cases/{case_id}?done={form}#{form}"),
        refused=lambda problem, status_code: show_case(
            request,
            member,
            case_id,
            problem=problem,
            typed={"form": form, **values},
            status_code=status_code,
        ),
    )
