"""Appending to a case's event log, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from cases.masking import masked_json
from cases.models import Case, CaseEvent

SYSTEM_ACTOR = "ieum"
"""The actor of what ieum itself records (a chat escalation, the overdue tick)."""


def append_event(
    session: Session,
    case: Case,
    kind: str,
    actor: str,
    detail: dict[str, Any],
    at: dt.datetime,
) -> CaseEvent:
    """Add an event to ``case``'s log (masked) and mark the case updated; flushed, so the
    event has its id."""
    case.updated_at = at
    event = CaseEvent(case_id=case.id, at=at, kind=kind, actor=actor, detail=masked_json(detail))
    session.add(event)
    session.flush()
    return event
