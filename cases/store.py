"""Cases the chat opens (handoffs, fallbacks, emergencies, check-in concerns), appending
to their logs and reading them back.

Events are append-only: this API has no way to change or remove one, and the database
refuses it too. Every text that is stored passes through ``mask_rrn`` first. Each case
gets its deadline from the policy and its area from the region the conversation named
(unrouted when that names no area: admins see those).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, case, select
from sqlalchemy.orm import selectinload

from cases import messages
from cases.db import session_factory
from cases.errors import CaseNotFound
from cases.events import SYSTEM_ACTOR, append_event
from cases.masking import TranscriptEntry, masked, masked_entry
from cases.models import PRIORITIES, Case, CaseKind, Priority, Status
from cases.policy import CasePolicy, load_policy
from cases.records import CaseRecord, EventRecord, case_record, event_record
from core.areas import AREAS, resolve_area
from core.clock import Clock, utc_now

# The old names, until the callers outside cases/ are renamed (pending issue 10's commit).
EscalationRecord = CaseRecord
__all__ = ["CaseStore", "EscalationRecord", "TranscriptEntry"]


class CaseStore:
    """Cases in a SQL database (the schema must be migrated: ``upgrade_database``)."""

    def __init__(
        self, engine: Engine, clock: Clock = utc_now, policy: CasePolicy | None = None
    ) -> None:
        self._sessions = session_factory(engine)
        self._clock = clock
        self._policy = policy or load_policy()

    def open_escalation(
        self,
        *,
        kind: CaseKind,
        priority: Priority,
        conversation_id: str,
        channel: str,
        summary: str,
        transcript: Sequence[TranscriptEntry],
        area: str | None = None,
    ) -> CaseRecord:
        """Store a new case together with its 'opened' event. ``area`` is an area key or
        a region as the conversation said it ('서울 강서구')."""
        now = self._clock()
        routed = _area_key(area)
        with self._sessions.begin() as session:
            opened = Case(
                kind=kind,
                priority=priority,
                status="new",
                area=routed,
                due_at=self._policy.due_at(kind, priority, now),
                conversation_id=conversation_id,
                channel=channel,
                summary=masked(summary),
                transcript=[masked_entry(entry) for entry in transcript],
                created_at=now,
                updated_at=now,
                status_changed_at=now,
            )
            session.add(opened)
            session.flush()
            detail: dict[str, Any] = {"kind": kind, "priority": priority}
            if area is not None and routed is None:
                detail["region"] = area
            event = append_event(session, opened, "opened", SYSTEM_ACTOR, detail, now)
            return case_record(opened, [event])

    def open_or_follow_up(
        self,
        *,
        kind: CaseKind,
        priority: Priority,
        conversation_id: str,
        channel: str,
        summary: str,
        transcript: Sequence[TranscriptEntry],
        area: str | None = None,
    ) -> tuple[CaseRecord, bool]:
        """A new case, unless this conversation already has an open one of this kind.

        Then the request is a follow-up of it ("119 불렀어요" after an emergency, a second
        request for a person): its transcript is brought up to date and a 'follow_up' event
        records the new summary. Returns the case and whether it already existed.
        """
        with self._sessions.begin() as session:
            query = (
                select(Case)
                .where(
                    Case.conversation_id == conversation_id,
                    Case.kind == kind,
                    Case.status != "closed",
                )
                .order_by(Case.id.desc())
                .limit(1)
            )
            existing = session.scalars(query).one_or_none()
            if existing is not None:
                existing.transcript = [masked_entry(entry) for entry in transcript]
                detail = {"summary": summary}
                append_event(session, existing, "follow_up", SYSTEM_ACTOR, detail, self._clock())
                return case_record(existing), True
        record = self.open_escalation(
            kind=kind,
            priority=priority,
            conversation_id=conversation_id,
            channel=channel,
            summary=summary,
            transcript=transcript,
            area=area,
        )
        return record, False

    def add_event(
        self, case_id: int, kind: str, actor: str, detail: dict[str, Any] | None = None
    ) -> EventRecord:
        """Append an event to a case's log."""
        with self._sessions.begin() as session:
            found = session.get(Case, case_id)
            if found is None:
                raise CaseNotFound(messages.CASE_NOT_FOUND)
            return event_record(
                append_event(session, found, kind, actor, detail or {}, self._clock())
            )

    def set_status(self, case_id: int, status: Status, actor: str) -> EventRecord:
        """Move a case to ``status``, recording who did it in the log."""
        with self._sessions.begin() as session:
            found = session.get(Case, case_id)
            if found is None:
                raise CaseNotFound(messages.CASE_NOT_FOUND)
            now = self._clock()
            detail = {"from": found.status, "to": status}
            found.status = status
            found.status_changed_at = now
            return event_record(append_event(session, found, "status_changed", actor, detail, now))

    def list_open(self, include_closed: bool = False) -> list[CaseRecord]:
        """Cases not yet closed (or all), most urgent first, then oldest first."""
        urgency = case({p: rank for rank, p in enumerate(PRIORITIES)}, value=Case.priority)
        query = (
            select(Case)
            .options(selectinload(Case.events))
            .order_by(urgency, Case.created_at, Case.id)
        )
        if not include_closed:
            query = query.where(Case.status != "closed")
        with self._sessions() as session:
            return [case_record(c, c.events) for c in session.scalars(query)]

    def get(self, case_id: int) -> CaseRecord | None:
        """One case with its whole event log, or None."""
        query = select(Case).options(selectinload(Case.events)).where(Case.id == case_id)
        with self._sessions() as session:
            found = session.scalars(query).one_or_none()
            return None if found is None else case_record(found, found.events)


def _area_key(area: str | None) -> str | None:
    """The area key ``area`` is or names, or None (unrouted)."""
    if area is None or area in AREAS:
        return area
    resolved = resolve_area(area).area
    return None if resolved is None else resolved.key
