"""Today's check-ins per area, as the console's "오늘" summary shows them: one query.

A check-in is *due* today when its slot is today's local date (the policy's zone,
Asia/Seoul); *sent* once a send went out; *answered* once the person answered;
*pending* when sent and not answered yet (it may be climbing the ladder meanwhile);
*escalated* once the ladder took a step (a case, the contacts, a flagged answer…).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, case, func, select
from sqlalchemy.orm import Session

from cases.access import Viewer, area_clause
from cases.models import Checkin, CheckinPerson


@dataclass(frozen=True)
class AreaToday:
    area: str
    due: int
    sent: int
    answered: int
    pending: int
    escalated: int

    def to_json(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "due": self.due,
            "sent": self.sent,
            "answered": self.answered,
            "pending": self.pending,
            "escalated": self.escalated,
        }


def local_day(now: dt.datetime, zone: ZoneInfo) -> dt.date:
    return now.astimezone(zone).date()


def today_by_area(session: Session, viewer: Viewer, day: dt.date) -> list[AreaToday]:
    """The counts of ``day``'s check-ins in each of the viewer's areas that has any."""

    def counted(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).cast(Integer)

    sent = Checkin.sends > 0
    answered = Checkin.answered_at.is_not(None)
    rows = session.execute(
        select(
            CheckinPerson.area,
            func.count(Checkin.id),
            counted(sent),
            counted(answered),
            counted(sent & Checkin.answered_at.is_(None)),
            counted(Checkin.ladder_step.is_not(None)),
        )
        .join(CheckinPerson, CheckinPerson.id == Checkin.person_id)
        .where(Checkin.slot_date == day, area_clause(viewer, CheckinPerson.area))
        .group_by(CheckinPerson.area)
        .order_by(CheckinPerson.area)
    )
    return [AreaToday(area, *(int(n) for n in numbers)) for area, *numbers in rows]
