"""Slowing down password guessing: after too many failed sign-ins for one login, or from
one address, within a window, the console answers 429 without checking the password.

The count is of the audit log's 'session.login_failed' rows (``cases.staff_sessions``
writes one for each failed sign-in, with the login as typed and the address), so every
console process on the same database sees the same count. A successful sign-in starts a
login's count afresh; an address's count only ages out. Attempts refused here are not
counted, so a lock ends one window after the last counted failure. The check and the
count are not one transaction: attempts in flight at the same moment (each takes an
argon2 hash, ~0.2 s) can all pass before any is recorded, so a burst may exceed the
limit by the number of attempts running at once, and is locked right after.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from cases.db import session_factory
from cases.models import AuditEntry
from core.clock import Clock, utc_now
from core.settings import Settings


@dataclass(frozen=True)
class ThrottleLimits:
    window: dt.timedelta
    per_login: int
    per_address: int

    @classmethod
    def from_settings(cls, settings: Settings) -> ThrottleLimits:
        return cls(
            window=dt.timedelta(seconds=settings.staff_signin_window_seconds),
            per_login=settings.staff_signin_max_per_login,
            per_address=settings.staff_signin_max_per_address,
        )


class SignInThrottle:
    def __init__(self, engine: Engine, limits: ThrottleLimits, clock: Clock = utc_now) -> None:
        self._sessions = session_factory(engine)
        self._limits = limits
        self._clock = clock

    def retry_after(self, login: str, address: str | None) -> int | None:
        """Seconds until a sign-in as ``login`` from ``address`` may be tried, or None
        when it may be tried now."""
        now = self._clock()
        failed = select(AuditEntry.at).where(
            AuditEntry.action == "session.login_failed",
            AuditEntry.at > now - self._limits.window,
        )
        last_success = (
            select(func.max(AuditEntry.at))
            .where(AuditEntry.action == "session.login", AuditEntry.actor == login[:100])
            .scalar_subquery()
        )
        checks = [
            (
                failed.where(
                    AuditEntry.actor == login[:100],
                    (AuditEntry.at > last_success) | last_success.is_(None),
                ),
                self._limits.per_login,
            )
        ]
        if address is not None:
            by_address = failed.where(AuditEntry.detail["ip"].as_string() == address)
            checks.append((by_address, self._limits.per_address))
        waits: list[float] = []
        with self._sessions() as session:
            for query, limit in checks:
                newest = list(session.scalars(query.order_by(AuditEntry.at.desc()).limit(limit)))
                if len(newest) >= limit:
                    # Tries open again when the oldest of the last ``limit`` failures ages out.
                    waits.append((newest[-1] + self._limits.window - now).total_seconds())
        return max(1, math.ceil(max(waits))) if waits else None
