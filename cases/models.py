"""Tables of the case store, as SQLAlchemy 2 typed declarative models.

The Alembic migrations in ``cases/migrations`` create these tables; a test checks that
the migrated schema and these models agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

EscalationKind = Literal["handoff", "fallback", "emergency", "checkin_concern"]
Priority = Literal["critical", "high", "normal"]
Status = Literal["open", "in_progress", "closed"]

KINDS: tuple[str, ...] = get_args(EscalationKind)
PRIORITIES: tuple[str, ...] = get_args(Priority)
STATUSES: tuple[str, ...] = get_args(Status)

JsonType = JSON().with_variant(JSONB(), "postgresql")


def one_of(column: str, values: tuple[str, ...]) -> str:
    """A CHECK expression limiting ``column`` to ``values``."""
    listed = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({listed})"


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp, also on SQLite (which drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    pass


class Escalation(Base):
    """A conversation handed to a person: who, how urgent, where it stands, what was said."""

    __tablename__ = "escalations"
    __table_args__ = (
        CheckConstraint(one_of("kind", KINDS), name="ck_escalations_kind"),
        CheckConstraint(one_of("priority", PRIORITIES), name="ck_escalations_priority"),
        CheckConstraint(one_of("status", STATUSES), name="ck_escalations_status"),
        Index("ix_escalations_status_priority", "status", "priority"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EscalationKind] = mapped_column(String(20))
    priority: Mapped[Priority] = mapped_column(String(10))
    status: Mapped[Status] = mapped_column(String(12))
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    channel: Mapped[str] = mapped_column(String(50))
    summary: Mapped[str] = mapped_column(Text)
    # [{"role": "user" | "bot", "text": str, "at": ISO 8601}], RRNs masked.
    transcript: Mapped[list[dict[str, str]]] = mapped_column(JsonType)
    area: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())

    events: Mapped[list[EscalationEvent]] = relationship(
        back_populates="escalation", order_by="EscalationEvent.id", lazy="raise"
    )


class EscalationEvent(Base):
    """One entry of an escalation's log. Rows are only ever inserted (the database refuses
    updates and deletes, see the first migration)."""

    __tablename__ = "escalation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(
        ForeignKey("escalations.id", ondelete="RESTRICT"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(JsonType)

    escalation: Mapped[Escalation] = relationship(back_populates="events", lazy="raise")
