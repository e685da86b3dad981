"""Members of staff and their console sessions: argon2id, checks, sessions that end."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cases import messages
from cases.errors import StaffUserRejected
from cases.models import AuditEntry, StaffSession, StaffUser
from cases.service import CaseServices
from tests.case_fixtures import GANGSEO, HWAGOK1, SetClock

PASSWORD = "correct horse battery"


def create(services: CaseServices, login: str, role: str, areas: list[str]) -> None:
    services.staff.create_user(login, role=role, areas=areas, password=PASSWORD, actor="admin")


def test_a_user_is_stored_with_an_argon2id_hash_and_recorded(services: CaseServices) -> None:
    account = services.staff.create_user(
        "kim.h", role="worker", areas=[HWAGOK1], password=PASSWORD, actor="cli:root"
    )
    assert (account.login, account.role, account.areas, account.active) == (
        "kim.h",
        "worker",
        (HWAGOK1,),
        True,
    )
    assert account.viewer.areas == (HWAGOK1,)
    with services.engine.connect() as connection:
        stored = connection.scalar(select(StaffUser.password_hash))
        audit = connection.execute(select(AuditEntry.actor, AuditEntry.action)).all()
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored
    assert audit == [("cli:root", "user.create")]
    assert services.staff.verify("kim.h", PASSWORD) == account
    assert services.staff.verify("kim.h", "wrong password!!") is None
    assert services.staff.verify("nobody", PASSWORD) is None


@pytest.mark.parametrize(
    ("login", "role", "areas", "password", "message"),
    [
        ("Kim Hong", "worker", [HWAGOK1], PASSWORD, messages.LOGIN_INVALID),
        ("kim", "boss", [HWAGOK1], PASSWORD, messages.ROLE_INVALID),
        ("kim", "worker", [], PASSWORD, messages.AREAS_NEEDED),
        ("kim", "worker", ["서울특별시 강서구 화곡99동"], PASSWORD, messages.AREA_KEY_UNKNOWN),
        ("kim", "supervisor", [HWAGOK1], PASSWORD, messages.SUPERVISOR_NEEDS_DISTRICT),
        ("kim", "worker", [HWAGOK1], "short", messages.PASSWORD_TOO_SHORT),
    ],
)
def test_a_user_that_fails_a_check_is_not_created(
    services: CaseServices, login: str, role: str, areas: list[str], password: str, message: str
) -> None:
    with pytest.raises(StaffUserRejected) as refused:
        services.staff.create_user(login, role=role, areas=areas, password=password, actor="a")
    assert refused.value.message == message
    with services.engine.connect() as connection:
        assert connection.execute(select(StaffUser)).all() == []


def test_a_login_is_taken_once(services: CaseServices) -> None:
    create(services, "lee", "supervisor", [GANGSEO])
    with pytest.raises(StaffUserRejected) as refused:
        create(services, "lee", "admin", [])
    assert refused.value.message == messages.LOGIN_TAKEN


def test_sign_in_current_and_sign_out(services: CaseServices, clock: SetClock) -> None:
    create(services, "kim", "worker", [HWAGOK1])
    assert services.sessions.sign_in("kim", "wrong password!!", ip="127.0.0.1") is None
    signed = services.sessions.sign_in("kim", PASSWORD, ip="127.0.0.1")
    assert signed is not None and signed.account.login == "kim"
    with services.engine.connect() as connection:
        row = connection.execute(select(StaffSession)).one()
    assert signed.session_token not in (row.id, row.csrf_hash), "only hashes are stored"
    active = services.sessions.current(signed.session_token)
    assert active is not None and active.account.role == "worker"
    assert active.csrf_matches(signed.csrf_token)
    assert not active.csrf_matches("forged") and not active.csrf_matches(None)
    assert services.sessions.current("not a token") is None
    services.sessions.sign_out(signed.session_token)
    assert services.sessions.current(signed.session_token) is None
    with services.engine.connect() as connection:
        actions = connection.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["user.create", "session.login_failed", "session.login", "session.logout"]


def test_sessions_end_when_idle_expired_or_revoked(services: CaseServices, clock: SetClock) -> None:
    create(services, "kim", "worker", [HWAGOK1])
    idle = services.sessions.sign_in("kim", PASSWORD)
    assert idle is not None
    clock.advance(minutes=29)
    assert services.sessions.current(idle.session_token) is not None
    clock.advance(minutes=29)
    assert services.sessions.current(idle.session_token) is not None, "use keeps it alive"
    clock.advance(minutes=31)
    assert services.sessions.current(idle.session_token) is None
    busy = services.sessions.sign_in("kim", PASSWORD)
    assert busy is not None
    for _ in range(21):
        clock.advance(minutes=29)
        services.sessions.current(busy.session_token)
    assert services.sessions.current(busy.session_token) is None, "ten hours at most"
    first = services.sessions.sign_in("kim", PASSWORD)
    second = services.sessions.sign_in("kim", PASSWORD)
    assert first is not None and second is not None
    assert services.sessions.revoke_all("kim", actor="choi") == 2
    assert services.sessions.current(first.session_token) is None
    assert services.sessions.current(second.session_token) is None
