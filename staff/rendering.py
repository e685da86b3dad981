"""Server-rendered pages: one Jinja2 environment with autoescaping always on, so text from
citizens and staff (a report, a note, a transcript) is shown as text, never as markup."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from staff import messages
from staff.auth import StaffMember, form_csrf

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
SEOUL = ZoneInfo("Asia/Seoul")


def local_time(value: dt.datetime | str | None) -> str:
    """A time as staff read it: Seoul time, to the minute."""
    if value is None:
        return ""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")


def phone_number(digits: str) -> str:
    """A stored phone number (digits only) as people write it: 010-1234-5678, 02-123-4567."""
    area = 2 if digits.startswith("02") else 3
    rest = digits[area:]
    if len(rest) < 7:
        return digits
    return f"{digits[:area]}-{rest[:-4]}-{rest[-4:]}"


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["local_time"] = local_time
    environment.filters["phone"] = phone_number
    environment.globals["m"] = messages
    return environment


ENVIRONMENT = _environment()


def render(
    request: Request,
    template: str,
    member: StaffMember | None = None,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """``template`` with the page's member of staff and the CSRF token of its forms."""
    page = ENVIRONMENT.get_template(template).render(
        request=request,
        member=member,
        csrf=form_csrf(request) if member is not None else "",
        **context,
    )
    return HTMLResponse(page, status_code=status_code)
