"""Turning schedules into check-ins: each active person's slot of a day becomes one
``checkins`` row once it is due.

A slot's time is spread over the person's window (by a hash of person and day), so a
city's morning does not hit the messenger at 09:00 sharp. Rows are inserted with ON
CONFLICT DO NOTHING on the slot's idempotency key, so any number of ticks, at once or
again, create each slot exactly once. Yesterday is looked at too, so a scheduler that
was down over midnight still creates what fell due; a slot from before the person was
enrolled is not created. On a public holiday a tier whose policy says ``skip`` gets no
slot.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exists, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from cases.checkin_policy import CheckinPolicy
from cases.models import Checkin, CheckinPerson


@dataclass
class Created:
    created: int = 0
    holiday: int = 0


def slot_key(person_id: int, day: dt.date) -> str:
    return f"{person_id}:{day.isoformat()}"


def slot_due_at(
    person_id: int, day: dt.date, window_start: str, window_end: str, zone: ZoneInfo
) -> dt.datetime:
    """When the person's check-in of ``day`` falls due: a minute of their window chosen
    by person and day."""
    start = dt.datetime.combine(day, dt.time.fromisoformat(window_start), zone)
    end = dt.datetime.combine(day, dt.time.fromisoformat(window_end), zone)
    minutes = max(int((end - start).total_seconds() // 60), 1)
    digest = hashlib.sha256(slot_key(person_id, day).encode()).digest()
    return start + dt.timedelta(minutes=int.from_bytes(digest[:4], "big") % minutes)


def create_due_checkins(session: Session, now: dt.datetime, policy: CheckinPolicy) -> Created:
    """Insert the check-ins due by ``now`` that do not exist yet (caller's transaction)."""
    found = Created()
    today = now.astimezone(policy.zone).date()
    rows: list[dict[str, Any]] = []
    for day in (today - dt.timedelta(days=1), today):
        slot_exists = exists().where(
            Checkin.person_id == CheckinPerson.id, Checkin.slot_date == day
        )
        query = select(
            CheckinPerson.id,
            CheckinPerson.tier,
            CheckinPerson.window_start,
            CheckinPerson.window_end,
            CheckinPerson.timezone,
            CheckinPerson.created_at,
        ).where(
            CheckinPerson.status == "active",
            CheckinPerson.chat_id.is_not(None),
            CheckinPerson.weekday_mask.op("&")(1 << day.weekday()) != 0,
            ~slot_exists,
        )
        if day == today:
            # Nobody whose window has not opened yet (a slot falls due within the window).
            started = CheckinPerson.window_start <= f"{now.astimezone(policy.zone):%H:%M}"
            query = query.where(or_(CheckinPerson.timezone != str(policy.zone), started))
        for person in session.execute(query):
            zone = ZoneInfo(person.timezone)
            due = slot_due_at(person.id, day, person.window_start, person.window_end, zone)
            if due > now or due < person.created_at:
                continue
            if not policy.checks_in_on(person.tier, day):
                found.holiday += 1
                continue
            rows.append(_row(person.id, person.tier, day, due, now))
    if rows:
        found.created = _insert_new(session, rows)
    return found


def _row(
    person_id: int, tier: str, day: dt.date, due: dt.datetime, now: dt.datetime
) -> dict[str, Any]:
    return {
        "person_id": person_id,
        "slot_date": day,
        "due_at": due,
        "idempotency_key": slot_key(person_id, day),
        "tier": tier,
        "state": "due",
        "sends": 0,
        "attempts": 0,
        "failures": 0,
        "next_action_at": due,
        "created_at": now,
        "updated_at": now,
    }


def _insert_new(session: Session, rows: list[dict[str, Any]]) -> int:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Checkin)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(Checkin.id)
    )
    return len(session.execute(statement, rows).all())
