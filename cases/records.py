"""What the case store hands out: frozen copies of rows, detached from any session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from cases.models import Case, CaseEvent, CaseKind, Priority, Report, Status

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


@dataclass(frozen=True)
class EventRecord:
    id: int
    case_id: int
    at: dt.datetime
    kind: str
    actor: str
    detail: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return _json_fields(self, "case_id")


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
            **_json_fields(self, "reporter_name", "reporter_phone", "photo_path", "photo_type"),
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
        return _json_fields(self)


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
            **_json_fields(self, "transcript", "events", "report"),
            "transcript": self.transcript,
            "events": [event.to_json() for event in self.events],
            "report": None if self.report is None else self.report.to_json(),
        }


def event_record(event: CaseEvent) -> EventRecord:
    return EventRecord(**_copied(event, EventRecord))


def report_record(report: Report) -> ReportRecord:
    return ReportRecord(**_copied(report, ReportRecord, "signs"), signs=tuple(report.signs))


def case_record(
    case: Case, events: Sequence[CaseEvent] = (), report: Report | None = None
) -> CaseRecord:
    return CaseRecord(
        **_copied(case, CaseRecord, "transcript", "events", "report"),
        transcript=list(case.transcript),
        events=tuple(event_record(event) for event in events),
        report=None if report is None else report_record(report),
    )


def _copied(row: object, record: type[DataclassInstance], *apart: str) -> dict[str, Any]:
    """The fields of ``record`` copied from the attributes of the same names of ``row``,
    but those ``apart`` (which the caller converts)."""
    return {
        field.name: getattr(row, field.name) for field in fields(record) if field.name not in apart
    }


def _json_fields(record: DataclassInstance, *apart: str) -> dict[str, Any]:
    """The fields of ``record`` as JSON, in their order (times in ISO 8601, tuples as lists),
    but those ``apart`` (which the caller writes)."""
    return {
        field.name: _json_value(getattr(record, field.name))
        for field in fields(record)
        if field.name not in apart
    }


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value
