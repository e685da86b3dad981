"""The access record (접속기록): who read or changed what, when.

Public bodies keep a record of every access to personal data. Each case read, list,
change, report filing, sign-in and user creation writes one row, in the same transaction
as what it records. Rows hold ids and codes, never personal data; the database refuses
to change or remove them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Engine, and_, or_, select
from sqlalchemy.orm import Session

from cases.access import Viewer, area_clause
from cases.db import session_factory
from cases.models import AuditEntry, Case, CheckinPerson

AuditAction = Literal[
    "case.list",
    "case.read",
    "case.denied",
    "case.note",
    "case.assign",
    "case.status",
    "case.reply",
    "report.file",
    "report.erase",
    "session.login",
    "session.login_failed",
    "session.logout",
    "session.revoke",
    "user.create",
]


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: dt.datetime
    actor: str
    action: str
    case_id: int | None
    detail: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "case_id": self.case_id,
            "detail": self.detail,
        }


def record_access(
    session: Session,
    *,
    at: dt.datetime,
    actor: str,
    action: AuditAction,
    case_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add an audit row to the caller's transaction."""
    session.add(AuditEntry(at=at, actor=actor, action=action, case_id=case_id, detail=detail or {}))


class AuditLog:
    """Reading the access record (rows are written by ``record_access`` in the
    transaction of what they record)."""

    def __init__(self, engine: Engine) -> None:
        self._sessions = session_factory(engine)

    def entries(
        self,
        viewer: Viewer,
        *,
        case_id: int | None = None,
        before_id: int | None = None,
        limit: int = 100,
    ) -> list[AuditRecord]:
        """Newest first, ``limit`` at most, older than ``before_id`` when given (to page).

        An admin sees every row; other staff see the rows about cases, and about people
        enrolled in check-ins (``detail["person"]``), of their areas.
        """
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if viewer.role != "admin":
            person = AuditEntry.detail["person"].as_integer()
            query = (
                query.outerjoin(Case, Case.id == AuditEntry.case_id)
                .outerjoin(
                    CheckinPerson,
                    and_(AuditEntry.case_id.is_(None), CheckinPerson.id == person),
                )
                .where(
                    or_(
                        and_(Case.id.is_not(None), area_clause(viewer, Case.area)),
                        and_(
                            CheckinPerson.id.is_not(None),
                            area_clause(viewer, CheckinPerson.area),
                        ),
                    )
                )
            )
        if case_id is not None:
            query = query.where(AuditEntry.case_id == case_id)
        if before_id is not None:
            query = query.where(AuditEntry.id < before_id)
        with self._sessions() as session:
            return [
                AuditRecord(e.id, e.at, e.actor, e.action, e.case_id, dict(e.detail))
                for e in session.scalars(query)
            ]
