"""The check-in pages: the people of the member's areas and the requests waiting for
approval, the enrolment form, one person, and the invitation with its QR code and
printable handout.

An invitation's token is shown only when it is made (the database keeps its hash): the
invitation page appears right after enrolment, approval or "새 초대 링크 만들기", and its
PNG and PDF are asked for with that token in a POST form, never kept in a URL. They work
while the invitation is live (unused, unexpired, and not replaced by a newer one).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from markupsafe import Markup
from pydantic import ValidationError
from starlette.datastructures import FormData

from cases.checkin_enrolment import EnrolmentRejected
from cases.checkin_invitations import deep_link
from cases.checkin_service import EnrolResult, Invitation
from cases.errors import AccessDenied
from staff import messages
from staff.auth import SignedInStaff, StaffMember
from staff.checkin_views import (
    FORM_CONTACTS,
    change_of,
    edit_fields,
    enrolment_of,
    form_change,
    form_enrolment,
    invitation_view,
)
from staff.console import console_of
from staff.forms import FormRefused, Refused, see_other, submit_form
from staff.invitation_print import (
    PrintFontMissing,
    Printout,
    centre_name,
    invitation_pdf,
    qr_png,
    qr_svg,
)
from staff.problems import validation_message
from staff.rendering import render
from staff.schemas import CheckinListParams, CheckinStatusBody, DecisionBody, PersonId

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=2_000)]
DONE = frozenset(messages.CHECKIN_DONE)


@router.get("/checkins")
def checkins_page(request: Request, member: SignedInStaff, done: str | None = None) -> Response:
    given = {
        key: value
        for key, value in request.query_params.items()
        if value != "" and key in ("status", "tier")
    }
    problem = None
    try:
        params = CheckinListParams.model_validate(given)
    except ValidationError as error:
        params, problem = CheckinListParams(), validation_message(error.errors())
    desk = console_of(request).services.checkin_desk
    people = desk.people(member.viewer, status=params.status, tier=params.tier)
    pending = desk.people(member.viewer, status="pending_approval")
    day, today = desk.today(member.viewer)
    return render(
        request,
        "checkins.html",
        member,
        status_code=200 if problem is None else 422,
        people=people,
        pending=pending,
        day=day,
        today=today,
        params=params,
        problem=problem,
        done=done if done in DONE else None,
    )


@router.get("/checkins/new")
def enrol_page(request: Request, member: SignedInStaff) -> Response:
    return enrol_form(request, member, {})


@router.post("/checkins/new")
async def enrol_submit(request: Request, member: SignedInStaff) -> Response:
    form = await request.form()
    member.check_csrf(_text(form.get("csrf")))
    fields = typed_fields(form)
    if too_long(fields):
        return enrol_form(request, member, fields, messages.INPUT_PROBLEM, 422)
    console = console_of(request)
    try:
        enrolment = enrolment_of(form_enrolment(fields))
        result = console.services.checkin_desk.enrol(
            member.viewer, enrolment, bot_username=console.settings.telegram_bot_username
        )
    except EnrolmentRejected as error:
        return enrol_form(request, member, fields, error.message, 422)
    except AccessDenied as error:
        return enrol_form(request, member, fields, error.message, 403)
    return invitation_page(request, member, result.person_id, enrolment.name, result, 201)


@router.get("/checkins/{person_id}")
def person_page(
    request: Request, person_id: PersonId, member: SignedInStaff, done: str | None = None
) -> Response:
    return show_person(request, member, person_id, done=done if done in DONE else None)


@router.post("/checkins/{person_id}/status")
def status_form(
    request: Request,
    person_id: PersonId,
    member: SignedInStaff,
    csrf: Text = "",
    status: Text = "",
    confirm: Text = "",
) -> Response:
    """``confirm`` must be "yes" to stop: stopping withdraws the consent."""

    def change() -> str:
        if status == "stopped" and confirm != "yes":
            raise FormRefused(messages.STOP_CONFIRM_NEEDED)
        body = CheckinStatusBody.model_validate({"status": status})
        desk = console_of(request).services.checkin_desk
        return desk.change_status(member.viewer, person_id, body.status)

    return submit_form(
        member,
        csrf,
        change,
        done=lambda changed: see_other(f"/checkins/{person_id}?done={changed}#status"),
        refused=person_again(request, member, person_id),
    )


@router.post("/checkins/{person_id}/edit")
async def edit_form(request: Request, person_id: PersonId, member: SignedInStaff) -> Response:
    """Tier, schedule and emergency contacts, changed together (in the access record)."""
    form = await request.form()
    fields = typed_fields(form)

    def change() -> object:
        if too_long(fields):
            raise FormRefused(messages.INPUT_PROBLEM)
        edited = change_of(form_change(fields))
        return console_of(request).services.checkin_desk.edit(member.viewer, person_id, edited)

    return submit_form(
        member,
        _text(form.get("csrf")),
        change,
        done=lambda _: see_other(f"/checkins/{person_id}?done=edited#edit"),
        refused=person_again(request, member, person_id, typed=fields),
    )


@router.post("/checkins/{person_id}/approve")
def decision_form(
    request: Request,
    person_id: PersonId,
    member: SignedInStaff,
    csrf: Text = "",
    decision: Text = "",
    tier: Text = "",
) -> Response:
    console = console_of(request)

    def decide() -> tuple[bool, Invitation | None]:
        body = DecisionBody.model_validate({"decision": decision, "tier": tier or None})
        approve = body.decision == "approve"
        invitation = console.services.checkin_desk.decide(
            member.viewer,
            person_id,
            approve=approve,
            tier=body.tier,
            bot_username=console.settings.telegram_bot_username,
        )
        return approve, invitation

    def decided(made: tuple[bool, Invitation | None]) -> Response:
        approve, invitation = made
        if invitation is not None:
            return new_invitation_page(request, member, person_id, invitation)
        done = "approved" if approve else "refused"
        return see_other(f"/checkins?{urlencode({'done': done})}")

    return submit_form(
        member, csrf, decide, done=decided, refused=person_again(request, member, person_id)
    )


@router.post("/checkins/{person_id}/invitation")
def invitation_form(
    request: Request, person_id: PersonId, member: SignedInStaff, csrf: Text = ""
) -> Response:
    """A new invitation (earlier unused ones stop working), shown once."""
    console = console_of(request)
    return submit_form(
        member,
        csrf,
        lambda: console.services.checkin_desk.invite(
            member.viewer, person_id, bot_username=console.settings.telegram_bot_username
        ),
        done=lambda invitation: new_invitation_page(request, member, person_id, invitation),
        refused=person_again(request, member, person_id),
    )


@router.post("/checkins/{person_id}/invitation.png")
def invitation_png(
    request: Request, person_id: PersonId, member: SignedInStaff, csrf: Text = "", token: Text = ""
) -> Response:
    """The live invitation's QR code (the token comes from the invitation page's form)."""
    member.check_csrf(csrf)
    link = live_link(request, member, person_id, token)
    if link is None:
        return gone(request, member)
    return Response(
        qr_png(link),
        media_type="image/png",
        headers={"Content-Disposition": f'attachment; filename="invitation-{person_id}.png"'},
    )


@router.post("/checkins/{person_id}/invitation.pdf")
def invitation_print(
    request: Request, person_id: PersonId, member: SignedInStaff, csrf: Text = "", token: Text = ""
) -> Response:
    """The live invitation as a one-page A4 handout."""
    member.check_csrf(csrf)
    link = live_link(request, member, person_id, token)
    if link is None:
        return gone(request, member)
    found = console_of(request).services.checkin_desk.person(member.viewer, person_id)
    printout = Printout(
        name=found["name"],
        link=link,
        expires_at=_expiry(found),
        centre=centre_name(found["area"]),
    )
    try:
        pdf = invitation_pdf(printout)
    except PrintFontMissing as missing:
        return render(request, "error.html", member, status_code=503, problem=str(missing))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="invitation-{person_id}.pdf"'},
    )


# --- helpers --------------------------------------------------------------------------------
def enrol_form(
    request: Request,
    member: StaffMember,
    typed: dict[str, Any],
    problem: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "checkin_new.html",
        member,
        status_code=status_code,
        typed=typed,
        problem=problem,
        contacts=FORM_CONTACTS,
    )


def invitation_page(
    request: Request,
    member: StaffMember,
    person_id: int,
    name: str,
    invitation: Invitation | EnrolResult,
    status_code: int = 200,
) -> Response:
    own = invitation.invitation if isinstance(invitation, EnrolResult) else invitation
    contacts = invitation.contact_invitations if isinstance(invitation, EnrolResult) else {}
    return render(
        request,
        "checkin_invitation.html",
        member,
        status_code=status_code,
        invitation=invitation_view(person_id, name, own),
        qr=Markup(qr_svg(own.link)),
        contacts=sorted(contacts.items()),
    )


def new_invitation_page(
    request: Request, member: StaffMember, person_id: int, invitation: Invitation
) -> Response:
    """The invitation just made for the person, shown once."""
    found = console_of(request).services.checkin_desk.person(member.viewer, person_id)
    return invitation_page(request, member, person_id, found["name"], invitation)


def show_person(
    request: Request,
    member: StaffMember,
    person_id: int,
    *,
    done: str | None = None,
    problem: str | None = None,
    code: int = 200,
    typed: dict[str, Any] | None = None,
) -> Response:
    found = console_of(request).services.checkin_desk.person(member.viewer, person_id)
    return render(
        request,
        "checkin.html",
        member,
        status_code=code,
        person=found,
        done=done,
        problem=problem,
        edit=typed if typed is not None else edit_fields(found),
        contacts=FORM_CONTACTS,
    )


def person_again(
    request: Request, member: StaffMember, person_id: int, typed: dict[str, Any] | None = None
) -> Refused:
    """The person page again with why a form of it was refused (and what was typed in the
    edit form)."""
    return lambda problem, code: show_person(
        request, member, person_id, problem=problem, code=code, typed=typed
    )


def typed_fields(form: FormData) -> dict[str, Any]:
    """What was typed in the enrolment or edit form, as text (``days``: the days ticked)."""
    fields: dict[str, Any] = {key: _text(value) for key, value in form.items() if key != "days"}
    fields["days"] = [_text(day) for day in form.getlist("days")]
    return fields


def too_long(fields: dict[str, Any]) -> bool:
    return any(len(value) > 2_000 for value in fields.values() if isinstance(value, str))


def live_link(request: Request, member: StaffMember, person_id: int, token: str) -> str | None:
    """The deep link of ``token`` if it is the person's live invitation."""
    console = console_of(request)
    if not token or not console.services.checkin_desk.check_invitation(
        member.viewer, person_id, token
    ):
        return None
    return deep_link(console.settings.telegram_bot_username, token)


def gone(request: Request, member: StaffMember) -> Response:
    return render(
        request, "error.html", member, status_code=410, problem=messages.INVITATION_GONE_STAFF
    )


def _expiry(found: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(found["invitation"]["expires_at"])


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
