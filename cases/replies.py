"""Staff replies on their way to a citizen's chat: jobs are rows in ``outbound_replies``.

A reply is enqueued in the same transaction as its case event (``enqueue_reply``).
Delivery workers, in any number of console processes, ``claim`` due rows in small
batches: on PostgreSQL with ``FOR UPDATE SKIP LOCKED``, so two workers never take the
same row, and a claim leases the row (``next_attempt_at`` moves past the lease) so a
worker that dies mid-send only delays it. A failed send is tried again with exponential
backoff; after ``max_attempts`` the row is marked failed and a 'reply_failed' event puts
it in front of a person. (SQLite, the embedded single-process mode, has no row locks:
there a second concurrent claimer gets a "database is locked" error instead.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from cases.db import session_factory
from cases.events import SYSTEM_ACTOR, append_event
from cases.models import Case, OutboundReply
from core.clock import Clock, utc_now

REACHABLE_CHANNELS = frozenset({"telegram"})
"""Channels where ieum can write first, so a staff reply can reach the chat."""


@dataclass(frozen=True)
class ReplyJob:
    """A claimed reply: send ``text`` to ``conversation_id``, then report the result."""

    id: int
    case_id: int
    conversation_id: str
    text: str
    author: str
    attempt: int
    """1 for the first try."""


def enqueue_reply(
    session: Session,
    *,
    case_id: int,
    conversation_id: str,
    text: str,
    author: str,
    at: dt.datetime,
) -> None:
    """Add a reply job to the caller's transaction, due at once."""
    session.add(
        OutboundReply(
            case_id=case_id,
            conversation_id=conversation_id,
            text=text,
            author=author,
            created_at=at,
            attempts=0,
            next_attempt_at=at,
        )
    )


class ReplyQueue:
    """Claiming replies due for delivery and recording how each try went."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock = utc_now,
        *,
        lease: dt.timedelta = dt.timedelta(minutes=1),
        first_backoff: dt.timedelta = dt.timedelta(seconds=30),
        max_backoff: dt.timedelta = dt.timedelta(hours=1),
        max_attempts: int = 8,
    ) -> None:
        self._sessions = session_factory(engine)
        self._clock = clock
        self._lease = lease
        self._first_backoff = first_backoff
        self._max_backoff = max_backoff
        self._max_attempts = max_attempts

    def claim(self, limit: int = 10) -> list[ReplyJob]:
        """Up to ``limit`` due replies, oldest due first, leased to the caller."""
        now = self._clock()
        query = (
            select(OutboundReply)
            .where(
                OutboundReply.delivered_at.is_(None),
                OutboundReply.failed_at.is_(None),
                OutboundReply.next_attempt_at <= now,
            )
            .order_by(OutboundReply.next_attempt_at, OutboundReply.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        with self._sessions.begin() as session:
            rows = list(session.scalars(query))
            for row in rows:
                row.attempts += 1
                row.next_attempt_at = now + self._lease
            return [
                ReplyJob(r.id, r.case_id, r.conversation_id, r.text, r.author, r.attempts)
                for r in rows
            ]

    def delivered(self, job_id: int) -> None:
        """The reply reached the chat: done, and said so in the case's log."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = session.get_one(OutboundReply, job_id, with_for_update=True)
            row.delivered_at = now
            case = session.get_one(Case, row.case_id)
            append_event(session, case, "reply_delivered", SYSTEM_ACTOR, {"reply": job_id}, now)

    def failed(self, job_id: int, error: str) -> None:
        """A try failed (``error``: a short reason without personal data, e.g. the exception
        type): try again later, or give up after the last attempt."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = session.get_one(OutboundReply, job_id, with_for_update=True)
            row.last_error = error[:200]
            if row.attempts < self._max_attempts:
                backoff = self._first_backoff * 2 ** (row.attempts - 1)
                row.next_attempt_at = now + min(backoff, self._max_backoff)
                return
            row.failed_at = now
            case = session.get_one(Case, row.case_id)
            detail = {"reply": job_id, "attempts": row.attempts, "error": row.last_error}
            append_event(session, case, "reply_failed", SYSTEM_ACTOR, detail, now)
