"""Who may see which cases: the one place that turns a member of staff into a query filter.

A worker sees the cases of their areas (their 동s, or a district that has no 동 queues);
a supervisor sees their 시군구 and every 동 in it; an admin sees everything, unrouted
cases (no area) included. Every query of cases goes through ``area_clause`` or
``can_see``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import InstrumentedAttribute

from cases.models import Role
from core.areas import AREAS, keys_within


@dataclass(frozen=True)
class Viewer:
    """A signed-in member of staff, as access checks see them."""

    login: str
    role: Role
    areas: tuple[str, ...]
    """Area keys (``core.areas``)."""


def visible_areas(viewer: Viewer) -> frozenset[str] | None:
    """The area keys ``viewer`` may see, or None for every case (admins)."""
    if viewer.role == "admin":
        return None
    if viewer.role == "supervisor":
        return frozenset(key for area in viewer.areas for key in _within(area))
    return frozenset(viewer.areas)


def area_clause(viewer: Viewer, column: InstrumentedAttribute[str | None]) -> ColumnElement[bool]:
    """A WHERE clause on an area ``column`` that keeps what ``viewer`` may see."""
    visible = visible_areas(viewer)
    if visible is None:
        return true()
    if not visible:
        return false()
    return column.in_(sorted(visible))


def can_see(viewer: Viewer, area: str | None) -> bool:
    """Whether ``viewer`` may see a case routed to ``area`` (None: unrouted)."""
    visible = visible_areas(viewer)
    return visible is None or (area is not None and area in visible)


def _within(key: str) -> frozenset[str]:
    # A key that left the routing table still names the cases filed under it.
    return keys_within(key) if key in AREAS else frozenset({key})
