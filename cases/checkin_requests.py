"""A citizen's own request to receive check-ins, made in the chat: it waits, with the
consent given there, for a worker of the area to approve or refuse it in the console
(``cases.checkin_desk``).

The request is a person in ``pending_approval`` whose chat is already known (they asked
from it), so approving starts their check-ins without an invitation. Until a worker
chooses, it is the lowest tier (관심); the worker may set another when approving.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select

from cases.checkin_enrolment import ConsentRecord, Enrolment, store_enrolment
from cases.checkin_policy import CheckinPolicy, load_checkin_policy
from cases.db import session_factory
from cases.models import AuditEntry, CheckinPerson
from core.clock import Clock, utc_now

REQUEST_WORDING = "checkin-chat-2026-12"
"""The consent sentence the chat shows before it files a request."""


@dataclass(frozen=True)
class CheckinRequest:
    """What the citizen told the chat: how to call them, their area (an area key), the
    days and the time window they prefer, and when they consented."""

    chat_id: str
    name: str
    area: str
    weekdays: tuple[int, ...]
    window_start: str
    window_end: str
    consented_at: dt.datetime


class CheckinRequests:
    """Filing requests from the chat (approval is the console's)."""

    def __init__(
        self, engine: Engine, clock: Clock = utc_now, policy: CheckinPolicy | None = None
    ) -> None:
        self._sessions = session_factory(engine)
        self._clock = clock
        self._policy = policy or load_checkin_policy()

    def file(self, request: CheckinRequest) -> int:
        """Store the request (with its consent, given in the chat); the person's id. A
        chat with a request already waiting gets that one back (a retried message files
        once)."""
        now = self._clock()
        enrolment = Enrolment(
            name=request.name,
            area=request.area,
            tier="watch",
            weekdays=request.weekdays,
            window_start=request.window_start,
            window_end=request.window_end,
            contacts=(),
            consent=ConsentRecord("self", "chat", request.consented_at, REQUEST_WORDING),
        )
        actor = f"chat:{request.chat_id}"
        with self._sessions.begin() as session:
            waiting = session.scalars(
                select(CheckinPerson.id).where(
                    CheckinPerson.chat_id == request.chat_id,
                    CheckinPerson.status == "pending_approval",
                )
            ).first()
            if waiting is not None:
                return waiting
            person = store_enrolment(
                session, enrolment, actor=actor, now=now, timezone=str(self._policy.zone)
            )
            person.status = "pending_approval"
            person.chat_id = request.chat_id
            session.add(
                AuditEntry(
                    at=now,
                    actor=actor,
                    action="checkin.request",
                    case_id=None,
                    detail={"person": person.id},
                )
            )
            return person.id
