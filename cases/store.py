"""The case store's repository: open escalations, append events, read them back.

Events are append-only: this API has no way to change or remove one, and the database
refuses it too. Every text that is stored passes through ``mask_rrn`` first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from sqlalchemy import Engine, case, select
from sqlalchemy.orm import selectinload

from cases.db import session_factory
from cases.models import (
    PRIORITIES,
    Escalation,
    EscalationEvent,
    EscalationKind,
    Priority,
    Status,
)
from core.clock import Clock, utc_now
from core.privacy import mask_rrn

SYSTEM_ACTOR = "ieum"


class TranscriptEntry(TypedDict):
    role: str
    text: str
    at: str


class CaseNotFound(LookupError):
    """No escalation has the given id."""


@dataclass(frozen=True)
class EventRecord:
    id: int
    escalation_id: int
    at: dt.datetime
    kind: str
    actor: str
    detail: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "kind": self.kind,
            "actor": self.actor,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class EscalationRecord:
    id: int
    kind: EscalationKind
    priority: Priority
    status: Status
    conversation_id: str
    channel: str
    summary: str
    transcript: list[dict[str, str]]
    area: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    events: tuple[EventRecord, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "priority": self.priority,
            "status": self.status,
            "conversation_id": self.conversation_id,
            "channel": self.channel,
            "summary": self.summary,
            "area": self.area,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "transcript": self.transcript,
            "events": [event.to_json() for event in self.events],
        }


class CaseStore:
    """Escalations in a SQL database (the schema must be migrated: ``upgrade_database``)."""

    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self._sessions = session_factory(engine)
        self._clock = clock

    def open_escalation(
        self,
        *,
        kind: EscalationKind,
        priority: Priority,
        conversation_id: str,
        channel: str,
        summary: str,
        transcript: Sequence[TranscriptEntry],
        area: str | None = None,
    ) -> EscalationRecord:
        """Store a new open escalation together with its 'opened' event."""
        now = self._clock()
        with self._sessions.begin() as session:
            escalation = Escalation(
                kind=kind,
                priority=priority,
                status="open",
                conversation_id=conversation_id,
                channel=channel,
                summary=_masked(summary),
                transcript=[_masked_entry(entry) for entry in transcript],
                area=area,
                created_at=now,
                updated_at=now,
            )
            session.add(escalation)
            session.flush()
            opened = EscalationEvent(
                escalation_id=escalation.id,
                at=now,
                kind="opened",
                actor=SYSTEM_ACTOR,
                detail={"kind": kind, "priority": priority},
            )
            session.add(opened)
            session.flush()
            return _record(escalation, [opened])

    def open_or_follow_up(
        self,
        *,
        kind: EscalationKind,
        priority: Priority,
        conversation_id: str,
        channel: str,
        summary: str,
        transcript: Sequence[TranscriptEntry],
        area: str | None = None,
    ) -> tuple[EscalationRecord, bool]:
        """A new escalation, unless this conversation already has an open one of this kind.

        Then the request is a follow-up of it ("119 불렀어요" after an emergency, a second
        request for a person): its transcript is brought up to date and a 'follow_up' event
        records the new summary. Returns the escalation and whether it already existed.
        """
        with self._sessions.begin() as session:
            query = (
                select(Escalation)
                .where(
                    Escalation.conversation_id == conversation_id,
                    Escalation.kind == kind,
                    Escalation.status != "closed",
                )
                .order_by(Escalation.id.desc())
                .limit(1)
            )
            existing = session.scalars(query).one_or_none()
            if existing is not None:
                existing.transcript = [_masked_entry(entry) for entry in transcript]
                event = self._append(existing, "follow_up", SYSTEM_ACTOR, {"summary": summary})
                session.add(event)
                session.flush()
                return _record(existing, []), True
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
        self, escalation_id: int, kind: str, actor: str, detail: dict[str, Any] | None = None
    ) -> EventRecord:
        """Append an event to an escalation's log."""
        with self._sessions.begin() as session:
            escalation = session.get(Escalation, escalation_id)
            if escalation is None:
                raise CaseNotFound(escalation_id)
            event = self._append(escalation, kind, actor, detail or {})
            session.add(event)
            session.flush()
            return _event_record(event)

    def set_status(self, escalation_id: int, status: Status, actor: str) -> EventRecord:
        """Move an escalation to ``status``, recording who did it in the log."""
        with self._sessions.begin() as session:
            escalation = session.get(Escalation, escalation_id)
            if escalation is None:
                raise CaseNotFound(escalation_id)
            detail = {"from": escalation.status, "to": status}
            escalation.status = status
            event = self._append(escalation, "status_changed", actor, detail)
            session.add(event)
            session.flush()
            return _event_record(event)

    def list_open(self, include_closed: bool = False) -> list[EscalationRecord]:
        """Escalations not yet closed (or all), most urgent first, then oldest first."""
        urgency = case({p: rank for rank, p in enumerate(PRIORITIES)}, value=Escalation.priority)
        query = (
            select(Escalation)
            .options(selectinload(Escalation.events))
            .order_by(urgency, Escalation.created_at, Escalation.id)
        )
        if not include_closed:
            query = query.where(Escalation.status != "closed")
        with self._sessions() as session:
            return [_record(e, e.events) for e in session.scalars(query)]

    def get(self, escalation_id: int) -> EscalationRecord | None:
        """One escalation with its whole event log, or None."""
        query = (
            select(Escalation)
            .options(selectinload(Escalation.events))
            .where(Escalation.id == escalation_id)
        )
        with self._sessions() as session:
            escalation = session.scalars(query).one_or_none()
            return None if escalation is None else _record(escalation, escalation.events)

    def _append(
        self, escalation: Escalation, kind: str, actor: str, detail: dict[str, Any]
    ) -> EscalationEvent:
        now = self._clock()
        escalation.updated_at = now
        return EscalationEvent(
            escalation_id=escalation.id,
            at=now,
            kind=kind,
            actor=actor,
            detail=_masked_json(detail),
        )


def _masked(text: str) -> str:
    return mask_rrn(text)[0]


def _masked_entry(entry: TranscriptEntry) -> dict[str, str]:
    return {"role": entry["role"], "text": _masked(entry["text"]), "at": entry["at"]}


def _masked_json(value: Any) -> Any:
    if isinstance(value, str):
        return _masked(value)
    if isinstance(value, dict):
        return {key: _masked_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked_json(item) for item in value]
    return value


def _event_record(event: EscalationEvent) -> EventRecord:
    return EventRecord(
        event.id, event.escalation_id, event.at, event.kind, event.actor, dict(event.detail)
    )


def _record(escalation: Escalation, events: Sequence[EscalationEvent]) -> EscalationRecord:
    return EscalationRecord(
        id=escalation.id,
        kind=escalation.kind,
        priority=escalation.priority,
        status=escalation.status,
        conversation_id=escalation.conversation_id,
        channel=escalation.channel,
        summary=escalation.summary,
        transcript=list(escalation.transcript),
        area=escalation.area,
        created_at=escalation.created_at,
        updated_at=escalation.updated_at,
        events=tuple(_event_record(event) for event in events),
    )
