"""The first admin of an embedded ieum: ``make run`` on the SQLite default creates one
when the case store has none, so the console can be signed into at once.

Its password is ``IEUM_STAFF_ADMIN_PASSWORD`` when set, else a random one shown once
(only its argon2 hash is stored). A configured database (PostgreSQL: production) never
gets an account this way: its admins are made with ``ieum staff create-user``.
"""

from __future__ import annotations

import secrets

from cases.errors import StaffUserRejected
from cases.service import CaseServices, open_case_services
from core.settings import Settings
from staff import messages

FIRST_ADMIN_LOGIN = "admin"


def first_admin(settings: Settings, services: CaseServices | None = None) -> str:
    """Create the first admin when the embedded store has none; the line that tells the
    person at the terminal how to sign in to the console."""
    if not settings.database_url.startswith("sqlite"):
        return messages.SIGN_IN_HINT
    services = services or open_case_services(settings)
    if services.staff.has_admin():
        return messages.SIGN_IN_HINT
    password = settings.staff_admin_password or secrets.token_urlsafe(12)
    try:
        services.staff.create_user(
            FIRST_ADMIN_LOGIN,
            role="admin",
            areas=[],
            password=password,
            display_name=messages.FIRST_ADMIN_NAME,
            actor="ieum run",
        )
    except StaffUserRejected as refused:
        return f"  · {refused.message}\n{messages.SIGN_IN_HINT}"
    if settings.staff_admin_password:
        return messages.FIRST_ADMIN_FROM_ENV.format(login=FIRST_ADMIN_LOGIN)
    return messages.FIRST_ADMIN_CREATED.format(login=FIRST_ADMIN_LOGIN, password=password)
