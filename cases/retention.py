"""Keeping personal data only as long as its purpose needs: a reporter's name and phone
are erased once their case has been closed for the policy's retention period.

The report itself stays (what was seen, where, the outcome); a 'contact_erased' event in
each case's log and one audit row say when it happened. Run it daily (``ieum cases
purge``); running it twice erases nothing more.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, or_, select, update

from cases.audit import record_access
from cases.db import session_factory
from cases.events import SYSTEM_ACTOR
from cases.models import Case, CaseEvent, Report
from cases.policy import CasePolicy
from core.clock import Clock, utc_now


def erase_reporter_contacts(engine: Engine, policy: CasePolicy, clock: Clock = utc_now) -> int:
    """Erase the contacts due for erasure; how many reports were erased."""
    now = clock()
    cutoff = now - dt.timedelta(days=policy.reporter_contact_days)
    closed_long_ago = select(Case.id).where(
        Case.status == "closed", Case.status_changed_at < cutoff
    )
    statement = (
        update(Report)
        .where(
            Report.case_id.in_(closed_long_ago),
            or_(Report.reporter_name.is_not(None), Report.reporter_phone.is_not(None)),
        )
        .values(reporter_name=None, reporter_phone=None)
        .returning(Report.case_id)
    )
    with session_factory(engine).begin() as session:
        erased = list(session.scalars(statement))
        detail = {"after_days": policy.reporter_contact_days}
        session.add_all(
            CaseEvent(
                case_id=case_id, at=now, kind="contact_erased", actor=SYSTEM_ACTOR, detail=detail
            )
            for case_id in erased
        )
        if erased:
            record_access(
                session,
                at=now,
                actor=SYSTEM_ACTOR,
                action="report.erase",
                detail={"reports": len(erased)},
            )
    return len(erased)
