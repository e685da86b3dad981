"""Escalations and their append-only event log.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")

# The event log is evidence of what happened to a case: the database itself refuses to
# change or remove a row, whatever the application does.
POSTGRES_GUARDS = [
    """
    CREATE FUNCTION escalation_events_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'escalation_events is append-only';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER escalation_events_append_only
    BEFORE UPDATE OR DELETE ON escalation_events
    FOR EACH ROW EXECUTE FUNCTION escalation_events_append_only()
    """,
]
SQLITE_GUARDS = [
    f"""
    CREATE TRIGGER escalation_events_no_{action.lower()}
    BEFORE {action} ON escalation_events
    BEGIN SELECT RAISE(ABORT, 'escalation_events is append-only'); END;
    """
    for action in ("UPDATE", "DELETE")
]


def upgrade() -> None:
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("priority", sa.String(10), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("conversation_id", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(50), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("transcript", JSON, nullable=False),
        sa.Column("area", sa.String(100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('handoff', 'fallback', 'emergency', 'checkin_concern')",
            name="ck_escalations_kind",
        ),
        sa.CheckConstraint(
            "priority IN ('critical', 'high', 'normal')", name="ck_escalations_priority"
        ),
        sa.CheckConstraint(
            "status IN ('open', 'in_progress', 'closed')", name="ck_escalations_status"
        ),
    )
    op.create_index("ix_escalations_conversation_id", "escalations", ["conversation_id"])
    op.create_index("ix_escalations_status_priority", "escalations", ["status", "priority"])
    op.create_table(
        "escalation_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "escalation_id",
            sa.Integer(),
            sa.ForeignKey("escalations.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("detail", JSON, nullable=False),
    )
    op.create_index("ix_escalation_events_escalation_id", "escalation_events", ["escalation_id"])
    guards = POSTGRES_GUARDS if op.get_bind().dialect.name == "postgresql" else SQLITE_GUARDS
    for statement in guards:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER escalation_events_append_only ON escalation_events")
        op.execute("DROP FUNCTION escalation_events_append_only()")
    else:
        op.execute("DROP TRIGGER escalation_events_no_update")
        op.execute("DROP TRIGGER escalation_events_no_delete")
    op.drop_table("escalation_events")
    op.drop_table("escalations")
