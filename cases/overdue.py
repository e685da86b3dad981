"""The overdue tick: one 'overdue' event for each open case past its deadline, once.

Run it every few minutes from any number of processes: a unique index allows one
'overdue' event per case, and the insert skips a case that already has one, so two
ticks at the same moment still append one event. The case itself is not touched (its
overdue state is computed from ``due_at`` wherever it is shown).
"""

from __future__ import annotations

from sqlalchemy import Engine, exists, select
from sqlalchemy.dialects import postgresql, sqlite

from cases.db import session_factory
from cases.events import SYSTEM_ACTOR
from cases.models import Case, CaseEvent
from core.clock import Clock, utc_now


def mark_overdue(engine: Engine, clock: Clock = utc_now) -> int:
    """Append the 'overdue' events now due; the number appended."""
    now = clock()
    already = exists().where(CaseEvent.case_id == Case.id, CaseEvent.kind == "overdue")
    due = select(Case.id, Case.due_at).where(Case.status != "closed", Case.due_at < now, ~already)
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    with session_factory(engine).begin() as session:
        rows = [
            {
                "case_id": case_id,
                "at": now,
                "kind": "overdue",
                "actor": SYSTEM_ACTOR,
                "detail": {"due_at": due_at.isoformat()},
            }
            for case_id, due_at in session.execute(due)
        ]
        if not rows:
            return 0
        statement = insert(CaseEvent).on_conflict_do_nothing().returning(CaseEvent.id)
        return len(session.execute(statement, rows).all())
