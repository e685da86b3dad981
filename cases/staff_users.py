"""Members of staff: who they are, their role and areas, and their argon2id password hash.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's second
recommendation) and never stored or logged otherwise. Checking a password for a login
that does not exist still runs one hash, so a wrong login and a wrong password take the
same time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from cases import messages
from cases.access import Viewer
from cases.audit import record_access
from cases.db import session_factory
from cases.errors import StaffUserRejected
from cases.models import ROLES, Role, StaffUser
from core.areas import AREAS
from core.clock import Clock, utc_now

PASSWORD_MIN_LENGTH = 12
_LOGIN = re.compile(r"[a-z0-9][a-z0-9._-]{1,49}")


@dataclass(frozen=True)
class StaffAccount:
    login: str
    role: Role
    areas: tuple[str, ...]
    display_name: str
    active: bool
    created_at: dt.datetime

    @property
    def viewer(self) -> Viewer:
        return Viewer(self.login, self.role, self.areas)

    def to_json(self) -> dict[str, Any]:
        return {
            "login": self.login,
            "role": self.role,
            "areas": list(self.areas),
            "display_name": self.display_name,
            "active": self.active,
            "created_at": self.created_at.isoformat(),
        }


class StaffDirectory:
    def __init__(
        self, engine: Engine, clock: Clock = utc_now, hasher: PasswordHasher | None = None
    ) -> None:
        self._sessions = session_factory(engine)
        self._clock = clock
        self._hasher = hasher or PasswordHasher()
        # Checked when the login is unknown, so that answer takes as long as the other.
        self._dummy_hash = self._hasher.hash("not a password of anyone")

    def create_user(
        self,
        login: str,
        *,
        role: str,
        areas: Sequence[str],
        password: str,
        display_name: str | None = None,
        actor: str,
    ) -> StaffAccount:
        """A new member of staff; ``StaffUserRejected`` (nothing stored) says what to fix.

        Workers need at least one area (their 동s, or a district without 동 queues);
        supervisors one district; admins see everything and need none.
        """
        checked_role = _role(role)
        keys = _areas(checked_role, areas)
        if not _LOGIN.fullmatch(login):
            raise StaffUserRejected(messages.LOGIN_INVALID)
        if len(password) < PASSWORD_MIN_LENGTH:
            raise StaffUserRejected(messages.PASSWORD_TOO_SHORT)
        now = self._clock()
        user = StaffUser(
            login=login,
            password_hash=self._hasher.hash(password),
            role=checked_role,
            areas=list(keys),
            display_name=(display_name or login)[:100],
            active=True,
            created_at=now,
        )
        try:
            with self._sessions.begin() as session:
                if session.get(StaffUser, login) is not None:
                    raise StaffUserRejected(messages.LOGIN_TAKEN)
                session.add(user)
                session.flush()
                detail = {"login": login, "role": checked_role, "areas": list(keys)}
                record_access(session, at=now, actor=actor, action="user.create", detail=detail)
        except IntegrityError as error:
            raise StaffUserRejected(messages.LOGIN_TAKEN) from error
        return account_of(user)

    def get(self, login: str) -> StaffAccount | None:
        with self._sessions() as session:
            user = session.get(StaffUser, login)
            return None if user is None else account_of(user)

    def has_admin(self) -> bool:
        """Whether any active admin exists (the embedded first run creates one if not)."""
        query = select(StaffUser.login).where(StaffUser.role == "admin", StaffUser.active)
        with self._sessions() as session:
            return session.scalar(query.limit(1)) is not None

    def verify(self, login: str, password: str) -> StaffAccount | None:
        """The active account when ``password`` is its password, else None. A hash made
        with older parameters is upgraded on the way."""
        with self._sessions.begin() as session:
            user = session.get(StaffUser, login)
            if user is None or not user.active:
                self._matches(self._dummy_hash, password)
                return None
            if not self._matches(user.password_hash, password):
                return None
            if self._hasher.check_needs_rehash(user.password_hash):
                user.password_hash = self._hasher.hash(password)
            return account_of(user)

    def _matches(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def _role(role: str) -> Role:
    if role not in ROLES:
        raise StaffUserRejected(messages.ROLE_INVALID)
    return cast(Role, role)


def _areas(role: Role, areas: Sequence[str]) -> tuple[str, ...]:
    keys = tuple(dict.fromkeys(areas))
    if any(key not in AREAS for key in keys):
        raise StaffUserRejected(messages.AREA_KEY_UNKNOWN)
    if not keys and role != "admin":
        raise StaffUserRejected(messages.AREAS_NEEDED)
    if role == "supervisor" and any(AREAS[key].level != "district" for key in keys):
        raise StaffUserRejected(messages.SUPERVISOR_NEEDS_DISTRICT)
    return keys


def account_of(user: StaffUser) -> StaffAccount:
    return StaffAccount(
        user.login,
        user.role,
        tuple(user.areas),
        user.display_name,
        user.active,
        user.created_at,
    )
