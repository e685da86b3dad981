"""Who is asking: the session cookie, the CSRF token, and the cookies set at sign-in.

The session cookie is HttpOnly and SameSite=Strict, and Secure when the console is
reached over https (or ``staff_secure_cookies`` says a proxy terminates TLS). The table
of sessions keeps only hashes, so a session is revoked by ``cases`` (sign-out,
``revoke_all``) and every console process sees it at once.

Changes need the session's CSRF token: JSON clients send the token they got at sign-in
in ``X-CSRF-Token``; the HTML forms carry it in a hidden field, read by the server from a
second HttpOnly cookie that only pages of this site can put into a form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.security import APIKeyCookie, APIKeyHeader

from cases.access import Viewer
from cases.errors import AccessDenied
from cases.staff_sessions import ActiveSession, SignedIn
from cases.staff_users import StaffAccount
from staff import messages
from staff.console import console_of

SESSION_COOKIE = "ieum_staff_session"
CSRF_COOKIE = "ieum_staff_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf"

session_cookie = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="Set by POST /api/session."
)
csrf_header = APIKeyHeader(
    name=CSRF_HEADER,
    auto_error=False,
    description="The csrf value POST /api/session returned; needed by every change.",
)


class NotSignedIn(Exception):
    """No live session: pages send the browser to /login, the API answers 401."""


class CsrfRefused(Exception):
    """A change without this session's CSRF token: 403, nothing changed."""


@dataclass(frozen=True)
class StaffMember:
    """The signed-in member of staff of a request."""

    session: ActiveSession
    token: str

    @property
    def account(self) -> StaffAccount:
        return self.session.account

    @property
    def viewer(self) -> Viewer:
        return self.session.account.viewer

    def check_csrf(self, supplied: str | None) -> None:
        if not self.session.csrf_matches(supplied):
            raise CsrfRefused


def staff_member(
    request: Request, token: Annotated[str | None, Depends(session_cookie)]
) -> StaffMember:
    """The request's live session, or ``NotSignedIn``."""
    if not token or len(token) > 200:
        raise NotSignedIn
    active = console_of(request).services.sessions.current(token)
    if active is None:
        raise NotSignedIn
    return StaffMember(active, token)


def changing_member(
    member: Annotated[StaffMember, Depends(staff_member)],
    csrf: Annotated[str | None, Depends(csrf_header)],
) -> StaffMember:
    """A signed-in member of staff whose request carries the session's CSRF header."""
    member.check_csrf(csrf)
    return member


SignedInStaff = Annotated[StaffMember, Depends(staff_member)]
ChangingStaff = Annotated[StaffMember, Depends(changing_member)]


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def set_session_cookies(request: Request, response: Response, signed: SignedIn) -> None:
    console = console_of(request)
    secure = request.url.scheme == "https" or console.settings.staff_secure_cookies
    # A lifetime rather than a date: the browser's clock need not agree with ours.
    lifetime = max(0, int((signed.expires_at - console.clock()).total_seconds()))
    for name, value in ((SESSION_COOKIE, signed.session_token), (CSRF_COOKIE, signed.csrf_token)):
        response.set_cookie(
            name,
            value,
            max_age=lifetime,
            path="/",
            secure=secure,
            httponly=True,
            samesite="strict",
        )


def clear_session_cookies(response: Response) -> None:
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, path="/", httponly=True, samesite="strict")


def form_csrf(request: Request) -> str:
    """The CSRF token to put into this page's forms."""
    return request.cookies.get(CSRF_COOKIE, "")


def require_audit_reader(member: StaffMember) -> None:
    """The access record is for supervisors (their district) and admins (everything)."""
    if member.account.role == "worker":
        raise AccessDenied(messages.AUDIT_ONLY_SUPERVISORS)
