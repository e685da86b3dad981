"""What the case store hands out: frozen copies of rows, detached from any session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cases.models import Case, CaseEvent, CaseKind, Priority, Report, Status


@dataclass(frozen=True)
class EventRecord:
    id: int
    case_id: int
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
class ReportRecord:
    """The report behind a case of kind report. ``reporter_*`` are None when anonymous or
    erased after the retention period."""

    about: str
    relation: str | None
    region_text: str | None
    address_detail: str | None
    signs: tuple[str, ...]
    text: str
    household: str
    urgent: bool
    danger: bool
    anonymous: bool
    reporter_name: str | None
    reporter_phone: str | None
    photo_path: str | None
    photo_type: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "about": self.about,
            "relation": self.relation,
            "region_text": self.region_text,
            "address_detail": self.address_detail,
            "signs": list(self.signs),
            "text": self.text,
            "household": self.household,
            "urgent": self.urgent,
            "danger": self.danger,
            "anonymous": self.anonymous,
            "reporter": {"name": self.reporter_name, "phone": self.reporter_phone},
            "photo": (
                {"path": self.photo_path, "type": self.photo_type} if self.photo_path else None
            ),
        }


@dataclass(frozen=True)
class CaseSummary:
    """A line of the queue: no transcript, no report, no events."""

    id: int
    kind: CaseKind
    priority: Priority
    status: Status
    area: str | None
    assignee: str | None
    due_at: dt.datetime
    overdue: bool
    receipt: str | None
    channel: str
    summary: str
    created_at: dt.datetime
    updated_at: dt.datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "priority": self.priority,
            "status": self.status,
            "area": self.area,
            "assignee": self.assignee,
            "due_at": self.due_at.isoformat(),
            "overdue": self.overdue,
            "receipt": self.receipt,
            "channel": self.channel,
            "summary": self.summary,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True)
class CaseRecord:
    """A whole case: its fields, transcript, events (oldest first) and report, if any."""

    id: int
    kind: CaseKind
    priority: Priority
    status: Status
    outcome: str | None
    area: str | None
    assignee: str | None
    due_at: dt.datetime
    receipt: str | None
    conversation_id: str | None
    channel: str
    summary: str
    transcript: list[dict[str, str]]
    created_at: dt.datetime
    updated_at: dt.datetime
    status_changed_at: dt.datetime
    events: tuple[EventRecord, ...] = ()
    report: ReportRecord | None = None

    @property
    def notes(self) -> tuple[EventRecord, ...]:
        """Staff notes, oldest first."""
        return tuple(event for event in self.events if event.kind == "note")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "priority": self.priority,
            "status": self.status,
            "outcome": self.outcome,
            "area": self.area,
            "assignee": self.assignee,
            "due_at": self.due_at.isoformat(),
            "receipt": self.receipt,
            "conversation_id": self.conversation_id,
            "channel": self.channel,
            "summary": self.summary,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "status_changed_at": self.status_changed_at.isoformat(),
            "transcript": self.transcript,
            "events": [event.to_json() for event in self.events],
            "report": None if self.report is None else self.report.to_json(),
        }


def event_record(event: CaseEvent) -> EventRecord:
    return EventRecord(event.id, event.case_id, event.at, event.kind, event.actor, event.detail)


def report_record(report: Report) -> ReportRecord:
    return ReportRecord(
        about=report.about,
        relation=report.relation,
        region_text=report.region_text,
        address_detail=report.address_detail,
        signs=tuple(report.signs),
        text=report.text,
        household=report.household,
        urgent=report.urgent,
        danger=report.danger,
        anonymous=report.anonymous,
        reporter_name=report.reporter_name,
        reporter_phone=report.reporter_phone,
        photo_path=report.photo_path,
        photo_type=report.photo_type,
    )


def case_record(
    case: Case, events: Sequence[CaseEvent] = (), report: Report | None = None
) -> CaseRecord:
    return CaseRecord(
        id=case.id,
        kind=case.kind,
        priority=case.priority,
        status=case.status,
        outcome=case.outcome,
        area=case.area,
        assignee=case.assignee,
        due_at=case.due_at,
        receipt=case.receipt,
        conversation_id=case.conversation_id,
        channel=case.channel,
        summary=case.summary,
        transcript=list(case.transcript),
        created_at=case.created_at,
        updated_at=case.updated_at,
        status_changed_at=case.status_changed_at,
        events=tuple(event_record(event) for event in events),
        report=None if report is None else report_record(report),
    )
