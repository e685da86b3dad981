"""``ieum staff create-user``: a member of staff from the shell.

Exit codes: 0 created; 2 refused (a Korean message on stderr, nothing stored).
"""

from __future__ import annotations

import sys
from typing import IO

from cases import messages
from cases.errors import CaseError, StaffUserRejected
from cases.report_commands import os_user
from cases.report_draft import area_key_of
from cases.service import open_case_services
from core.settings import Settings

REFUSED = 2


def create_user_command(
    settings: Settings,
    login: str,
    role: str,
    areas: list[str],
    password_stdin: bool,
    stdin: IO[str] | None = None,
) -> int:
    """Create a member of staff; each area is written as citizens write it ('강서구 화곡1동')
    and must name one area; the password is the first line of standard input."""
    try:
        if not password_stdin:
            raise StaffUserRejected(messages.PASSWORD_MISSING)
        password = (stdin or sys.stdin).readline().rstrip("\r\n")
        keys = [area_key_of(text) for text in areas]
        account = open_case_services(settings).staff.create_user(
            login, role=role, areas=keys, password=password, actor=f"cli:{os_user()}"
        )
    except CaseError as error:
        print(error.message, file=sys.stderr)
        return REFUSED
    print(messages.user_created(account.login, account.role, account.areas))
    return 0
