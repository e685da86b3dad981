"""Check-in concerns in the staff queue: one open case per person.

A person who does not answer, presses 도움이 필요해요, writes a worrying word or blocked
the bot gets a case of kind ``checkin_concern`` in their area's queue, in the same
transaction as the check-in's state. While that case is open, whatever comes next is a
'follow_up' on it (and can only make it more urgent), so a worker sees one person once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.events import SYSTEM_ACTOR, append_event
from cases.masking import masked
from cases.models import PRIORITIES, Case, CheckinPerson, Priority
from cases.policy import CasePolicy

CHANNEL = "telegram"
UNLINKED_CHANNEL = "checkin"


def conversation_of(person: CheckinPerson) -> str:
    """The conversation a person's case belongs to: their chat's (the id the chat uses,
    so a staff reply reaches them), or the enrolment's while no chat is linked."""
    if person.chat_id is None:
        return f"checkin-person-{person.id}"
    return f"{CHANNEL}-{person.chat_id}"


def more_urgent(first: Priority, second: Priority) -> Priority:
    return first if PRIORITIES.index(first) <= PRIORITIES.index(second) else second


def raise_concern(
    session: Session,
    *,
    person: CheckinPerson,
    priority: Priority,
    summary: str,
    detail: dict[str, Any],
    now: dt.datetime,
    policy: CasePolicy,
    transcript: list[dict[str, str]] | None = None,
) -> int:
    """The id of the person's open concern case, opened now or followed up."""
    conversation = conversation_of(person)
    query = (
        select(Case)
        .where(
            Case.kind == "checkin_concern",
            Case.conversation_id == conversation,
            Case.status != "closed",
        )
        .order_by(Case.id.desc())
        .limit(1)
        .with_for_update()
    )
    existing = session.scalars(query).one_or_none()
    if existing is not None:
        follow = {"summary": summary, **detail}
        append_event(session, existing, "follow_up", SYSTEM_ACTOR, follow, now)
        escalate_case(session, existing, priority, now, policy)
        return existing.id
    opened = Case(
        kind="checkin_concern",
        priority=priority,
        status="new",
        area=person.area,
        due_at=policy.due_at("checkin_concern", priority, now),
        conversation_id=conversation,
        channel=UNLINKED_CHANNEL if person.chat_id is None else CHANNEL,
        summary=masked(summary),
        transcript=transcript or [],
        created_at=now,
        updated_at=now,
        status_changed_at=now,
    )
    session.add(opened)
    session.flush()
    opening = {"kind": "checkin_concern", "priority": priority, **detail}
    append_event(session, opened, "opened", SYSTEM_ACTOR, opening, now)
    return opened.id


def escalate_case(
    session: Session, case: Case, priority: Priority, now: dt.datetime, policy: CasePolicy
) -> None:
    """Make ``case`` as urgent as ``priority`` (never less urgent), with an event."""
    if more_urgent(case.priority, priority) == case.priority:
        return
    detail = {"from": case.priority, "to": priority}
    case.priority = priority
    case.due_at = min(case.due_at, policy.due_at(case.kind, priority, now))
    append_event(session, case, "priority_raised", SYSTEM_ACTOR, detail, now)
