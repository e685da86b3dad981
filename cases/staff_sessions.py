"""Console sessions: signing in and out, finding the session of a cookie, revoking.

The session token (for the cookie) and the CSRF token (for the ``X-CSRF-Token`` header)
are random and shown once, at sign-in; the table keeps only their SHA-256, so a copy of
it signs nobody in. A session ends at ``expires_at``, after ``idle`` without use, or when
revoked. Sign-ins, failed sign-ins, sign-outs and revocations are in the audit log.
Throttling repeated attempts is the console's job (it knows the address).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, update

from cases.audit import record_access
from cases.db import session_factory
from cases.models import StaffSession, StaffUser
from cases.staff_users import StaffAccount, StaffDirectory, account_of
from core.clock import Clock, utc_now


@dataclass(frozen=True)
class SignedIn:
    """The tokens to hand to the browser (never stored as they are)."""

    session_token: str
    csrf_token: str
    account: StaffAccount
    expires_at: dt.datetime


@dataclass(frozen=True)
class ActiveSession:
    account: StaffAccount
    csrf_hash: str
    expires_at: dt.datetime

    def csrf_matches(self, token: str | None) -> bool:
        """Whether ``token`` (the request's header) is this session's CSRF token."""
        return token is not None and hmac.compare_digest(_digest(token), self.csrf_hash)


class StaffSessions:
    def __init__(
        self,
        engine: Engine,
        directory: StaffDirectory,
        clock: Clock = utc_now,
        *,
        lifetime: dt.timedelta = dt.timedelta(hours=10),
        idle: dt.timedelta = dt.timedelta(minutes=30),
    ) -> None:
        self._sessions = session_factory(engine)
        self._directory = directory
        self._clock = clock
        self._lifetime = lifetime
        self._idle = idle

    def sign_in(self, login: str, password: str, ip: str | None = None) -> SignedIn | None:
        """A new session when the password is right, else None (and a failed sign-in in
        the audit log)."""
        account = self._directory.verify(login, password)
        now = self._clock()
        with self._sessions.begin() as session:
            if account is None:
                # The login as typed is kept: it is how repeated guessing shows in the log.
                detail = {"login": login[:100], "ip": ip}
                record_access(
                    session, at=now, actor=login[:100], action="session.login_failed", detail=detail
                )
                return None
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            expires = now + self._lifetime
            session.add(
                StaffSession(
                    id=_digest(token),
                    login=account.login,
                    csrf_hash=_digest(csrf),
                    created_at=now,
                    last_seen_at=now,
                    expires_at=expires,
                    ip=ip,
                )
            )
            record_access(
                session, at=now, actor=account.login, action="session.login", detail={"ip": ip}
            )
        return SignedIn(token, csrf, account, expires)

    def current(self, session_token: str) -> ActiveSession | None:
        """The live session of this cookie, or None; using it keeps it from going idle."""
        now = self._clock()
        with self._sessions.begin() as session:
            found = session.get(StaffSession, _digest(session_token), with_for_update=True)
            if found is None or found.revoked_at is not None or found.expires_at <= now:
                return None
            if found.last_seen_at + self._idle <= now:
                return None
            user = session.get_one(StaffUser, found.login)
            if not user.active:
                return None
            found.last_seen_at = now
            return ActiveSession(account_of(user), found.csrf_hash, found.expires_at)

    def sign_out(self, session_token: str) -> None:
        """End this session (nothing happens for an unknown or ended one)."""
        now = self._clock()
        with self._sessions.begin() as session:
            found = session.get(StaffSession, _digest(session_token))
            if found is None or found.revoked_at is not None:
                return
            found.revoked_at = now
            record_access(session, at=now, actor=found.login, action="session.logout")

    def revoke_all(self, login: str, actor: str) -> int:
        """End every live session of ``login`` (a lost laptop, a leaver); how many."""
        now = self._clock()
        statement = (
            update(StaffSession)
            .where(
                StaffSession.login == login,
                StaffSession.revoked_at.is_(None),
                StaffSession.expires_at > now,
                StaffSession.last_seen_at > now - self._idle,
            )
            .values(revoked_at=now)
            .returning(StaffSession.id)
        )
        with self._sessions.begin() as session:
            revoked = len(session.execute(statement).all())
            detail = {"login": login, "sessions": revoked}
            record_access(session, at=now, actor=actor, action="session.revoke", detail=detail)
        return revoked


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
