"""The queue of cases: one query, filtered by kind, area, status and overdue, limited to
what the viewer may see, most urgent first.

Order: a supervisor's or an admin's queue starts with overdue cases (they rise to the
district); then priority (critical, high, normal), then the oldest first. A worker's
queue is priority then age: what to do next. Each line carries no transcript and no
events, so a page costs two indexed queries (the page and its count) whatever the size
of the logs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlalchemy import ColumnElement, Engine, and_, case, func, select

from cases.access import Viewer, area_clause
from cases.audit import record_access
from cases.db import session_factory
from cases.models import Case, CaseKind, Status
from cases.records import CaseSummary
from core.areas import AREAS, keys_within
from core.clock import Clock, utc_now

MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class CaseFilters:
    """``status`` None means every open (not closed) case; ``area`` is an area key and
    takes in its 동s; ``unrouted`` keeps only cases without an area (admins see those)."""

    kind: CaseKind | None = None
    area: str | None = None
    status: Status | None = None
    overdue: bool = False
    unrouted: bool = False
    assignee: str | None = None


@dataclass(frozen=True)
class CasePage:
    items: list[CaseSummary]
    total: int
    """Cases matching the filters, on every page."""
    page: int
    page_size: int
    filters: CaseFilters = field(default_factory=CaseFilters)


class CaseQueue:
    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self._sessions = session_factory(engine)
        self._clock = clock

    def list_cases(
        self,
        viewer: Viewer,
        filters: CaseFilters | None = None,
        *,
        page: int = 1,
        page_size: int = 50,
    ) -> CasePage:
        """One page (from 1) of the cases ``viewer`` may see that match ``filters``."""
        filters = filters or CaseFilters()
        page, page_size = max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)
        now = self._clock()
        overdue = and_(Case.status != "closed", Case.due_at < now)
        where = [area_clause(viewer, Case.area), *self._conditions(filters, overdue)]
        overdue_first = () if viewer.role == "worker" else (case((overdue, 0), else_=1),)
        listing = (
            select(
                Case.id,
                Case.kind,
                Case.priority,
                Case.status,
                Case.area,
                Case.assignee,
                Case.due_at,
                Case.receipt,
                Case.channel,
                Case.summary,
                Case.created_at,
                Case.updated_at,
            )
            .where(*where)
            # PRIORITIES sort alphabetically in urgency order: the queue index serves it.
            .order_by(*overdue_first, Case.priority, Case.created_at, Case.id)
            .limit(page_size)
            .offset((page - 1) * page_size)
        )
        with self._sessions.begin() as session:
            total = session.scalar(select(func.count()).select_from(Case).where(*where)) or 0
            items = [
                CaseSummary(**row._asdict(), overdue=row.status != "closed" and row.due_at < now)
                for row in session.execute(listing)
            ]
            detail = {"filters": asdict(filters), "page": page, "shown": len(items)}
            record_access(session, at=now, actor=viewer.login, action="case.list", detail=detail)
        return CasePage(items, total, page, page_size, filters)

    @staticmethod
    def _conditions(
        filters: CaseFilters, overdue: ColumnElement[bool]
    ) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = [
            Case.status == filters.status if filters.status else Case.status != "closed"
        ]
        if filters.kind is not None:
            found.append(Case.kind == filters.kind)
        if filters.area is not None:
            within = keys_within(filters.area) if filters.area in AREAS else {filters.area}
            found.append(Case.area.in_(sorted(within)))
        if filters.unrouted:
            found.append(Case.area.is_(None))
        if filters.assignee is not None:
            found.append(Case.assignee == filters.assignee)
        if filters.overdue:
            found.append(overdue)
        return found
