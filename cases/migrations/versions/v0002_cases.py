"""Escalations become cases; reports, consents, staff, audit log and outbound replies.

Escalations are copied into ``cases`` (ids kept; status open → new, in_progress →
assigned; a migrated case is due when it was opened, so what waited through the upgrade
shows as overdue) and their events into ``case_events``; then the old tables go. The
event log and the audit log are append-only: the database refuses to change or remove
their rows (and, on PostgreSQL, to truncate them).

Downgrading copies the cases of the old kinds back into escalations (assigned and later
statuses become in_progress); reports and everything else added here are dropped.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
TIME = sa.DateTime(timezone=True)
APPEND_ONLY = ("case_events", "audit_log")

KINDS = "'report', 'handoff', 'fallback', 'emergency', 'checkin_concern'"
STATUSES = "'new', 'assigned', 'contacted', 'visited', 'linked', 'closed'"
HOUSEHOLDS = (
    "'elderly_alone', 'elderly_couple', 'middle_aged_single', 'single_parent', "
    "'grandparent', 'multicultural', 'north_korean_defector', 'disabled', 'young_carer', "
    "'reclusive', 'care_leaver', 'hospital_discharge', 'other', 'unknown'"
)

COPY_ESCALATIONS = """
    INSERT INTO cases (id, kind, priority, status, area, due_at, conversation_id, channel,
                       summary, transcript, created_at, updated_at, status_changed_at)
    SELECT id, kind, priority,
           CASE status WHEN 'open' THEN 'new' WHEN 'in_progress' THEN 'assigned' ELSE status END,
           area, created_at, conversation_id, channel, summary, transcript, created_at,
           updated_at, updated_at
    FROM escalations
"""
COPY_EVENTS = """
    INSERT INTO case_events (id, case_id, at, kind, actor, detail)
    SELECT id, escalation_id, at, kind, actor, detail FROM escalation_events
"""
COPY_BACK_CASES = """
    INSERT INTO escalations (id, kind, priority, status, conversation_id, channel, summary,
                             transcript, area, created_at, updated_at)
    SELECT id, kind, priority,
           CASE status WHEN 'new' THEN 'open' WHEN 'closed' THEN 'closed' ELSE 'in_progress' END,
           COALESCE(conversation_id, ''), channel, summary, transcript, area, created_at,
           updated_at
    FROM cases WHERE kind <> 'report'
"""
COPY_BACK_EVENTS = """
    INSERT INTO escalation_events (id, escalation_id, at, kind, actor, detail)
    SELECT e.id, e.case_id, e.at, e.kind, e.actor, e.detail
    FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.kind <> 'report'
"""


def upgrade() -> None:
    create_staff_users()
    create_cases()
    op.execute(COPY_ESCALATIONS)
    op.execute(COPY_EVENTS)
    drop_escalation_guards()
    op.drop_table("escalation_events")
    op.drop_table("escalations")
    restart_sequences("cases", "case_events")
    create_consents_and_reports()
    create_staff_sessions()
    create_audit_log()
    create_outbound_replies()
    guard_append_only()


def downgrade() -> None:
    for table in ("outbound_replies", "staff_sessions", "reports", "consents"):
        op.drop_table(table)
    drop_append_only_guards()
    op.drop_table("audit_log")
    # Revision 0001 builds the escalation tables and their guards as they were.
    context.script.get_revision("0001").module.upgrade()
    op.execute(COPY_BACK_CASES)
    op.execute(COPY_BACK_EVENTS)
    restart_sequences("escalations", "escalation_events")
    op.drop_table("case_events")
    op.drop_table("cases")
    op.drop_table("staff_users")


def create_staff_users() -> None:
    op.create_table(
        "staff_users",
        sa.Column("login", sa.String(100), primary_key=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("areas", JSON, nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.CheckConstraint("role IN ('worker', 'supervisor', 'admin')", name="ck_staff_users_role"),
    )


def create_cases() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("priority", sa.String(10), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("outcome", sa.String(30), nullable=True),
        sa.Column("area", sa.String(100), nullable=True),
        sa.Column(
            "assignee",
            sa.String(100),
            sa.ForeignKey("staff_users.login", ondelete="RESTRICT"),
            nullable=True,
        ),
        sa.Column("due_at", TIME, nullable=False),
        sa.Column("receipt", sa.String(14), nullable=True),
        sa.Column("dedup_key", sa.String(200), nullable=True),
        sa.Column("conversation_id", sa.String(200), nullable=True),
        sa.Column("channel", sa.String(50), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("transcript", JSON, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("status_changed_at", TIME, nullable=False),
        sa.CheckConstraint(f"kind IN ({KINDS})", name="ck_cases_kind"),
        sa.CheckConstraint("priority IN ('critical', 'high', 'normal')", name="ck_cases_priority"),
        sa.CheckConstraint(f"status IN ({STATUSES})", name="ck_cases_status"),
        sa.CheckConstraint("outcome IS NULL OR status = 'closed'", name="ck_cases_outcome"),
        sa.UniqueConstraint("receipt", name="uq_cases_receipt"),
        sa.UniqueConstraint("dedup_key", name="uq_cases_dedup_key"),
    )
    op.create_index("ix_cases_queue", "cases", ["status", "area", "priority", "created_at"])
    # The default queue (every open case of some areas), whatever the closed history.
    op.create_index(
        "ix_cases_open_queue",
        "cases",
        ["area", "priority", "created_at"],
        postgresql_where=sa.text("status <> 'closed'"),
        sqlite_where=sa.text("status <> 'closed'"),
    )
    op.create_index("ix_cases_due_at", "cases", ["due_at"])
    op.create_index("ix_cases_conversation_id", "cases", ["conversation_id"])
    op.create_index("ix_cases_assignee", "cases", ["assignee"])
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("at", TIME, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("detail", JSON, nullable=False),
    )
    op.create_index("ix_case_events_case_id", "case_events", ["case_id", "id"])
    # The overdue tick appends one 'overdue' event per case, however many ticks run.
    op.create_index(
        "uq_case_events_overdue",
        "case_events",
        ["case_id"],
        unique=True,
        postgresql_where=sa.text("kind = 'overdue'"),
        sqlite_where=sa.text("kind = 'overdue'"),
    )


def create_consents_and_reports() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("wording_version", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(50), nullable=False),
        sa.Column("given_at", TIME, nullable=False),
        sa.Column("withdrawn_at", TIME, nullable=True),
        sa.CheckConstraint("purpose IN ('report', 'checkin')", name="ck_consents_purpose"),
    )
    op.create_index("ix_consents_subject", "consents", ["subject", "purpose"])
    op.create_table(
        "reports",
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("cases.id", ondelete="RESTRICT"),
            primary_key=True,
        ),
        sa.Column("about", sa.String(10), nullable=False),
        sa.Column("relation", sa.String(100), nullable=True),
        sa.Column("region_text", sa.String(200), nullable=True),
        sa.Column("address_detail", sa.String(200), nullable=True),
        sa.Column("signs", JSON, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("household", sa.String(30), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("danger", sa.Boolean(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("reporter_name", sa.String(100), nullable=True),
        sa.Column("reporter_phone", sa.String(30), nullable=True),
        sa.Column("photo_path", sa.String(300), nullable=True),
        sa.Column("photo_type", sa.String(30), nullable=True),
        sa.Column(
            "consent_id",
            sa.Integer(),
            sa.ForeignKey("consents.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.CheckConstraint("about IN ('self', 'other')", name="ck_reports_about"),
        sa.CheckConstraint(f"household IN ({HOUSEHOLDS})", name="ck_reports_household"),
        sa.CheckConstraint(
            "NOT anonymous OR (reporter_name IS NULL AND reporter_phone IS NULL)",
            name="ck_reports_anonymous",
        ),
    )


def create_staff_sessions() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "login",
            sa.String(100),
            sa.ForeignKey("staff_users.login", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("csrf_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("last_seen_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("revoked_at", TIME, nullable=True),
        sa.Column("ip", sa.String(64), nullable=True),
    )
    op.create_index("ix_staff_sessions_login", "staff_sessions", ["login"])


def create_audit_log() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", TIME, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column(
            "case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="RESTRICT"), nullable=True
        ),
        sa.Column("detail", JSON, nullable=False),
    )
    op.create_index("ix_audit_log_case_id", "audit_log", ["case_id"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])


def create_outbound_replies() -> None:
    op.create_table(
        "outbound_replies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("conversation_id", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TIME, nullable=False),
        sa.Column("delivered_at", TIME, nullable=True),
        sa.Column("failed_at", TIME, nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
    )
    op.create_index(
        "ix_outbound_replies_pending",
        "outbound_replies",
        ["next_attempt_at"],
        postgresql_where=sa.text("delivered_at IS NULL AND failed_at IS NULL"),
        sqlite_where=sa.text("delivered_at IS NULL AND failed_at IS NULL"),
    )


def postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def restart_sequences(*tables: str) -> None:
    """Rows were copied with their ids: PostgreSQL's id sequences must go on after them."""
    if not postgres():
        return
    for table in tables:
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        )


def drop_escalation_guards() -> None:
    if postgres():
        op.execute("DROP TRIGGER escalation_events_append_only ON escalation_events")
        op.execute("DROP FUNCTION escalation_events_append_only()")
    else:
        op.execute("DROP TRIGGER escalation_events_no_update")
        op.execute("DROP TRIGGER escalation_events_no_delete")


def guard_append_only() -> None:
    """Logs that are evidence: the database refuses to change or remove a row."""
    if postgres():
        op.execute(
            """
            CREATE FUNCTION refuse_change_of_log() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_change_of_log()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_log()"
            )
        return
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def drop_append_only_guards() -> None:
    if postgres():
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION refuse_change_of_log()")
        return
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER {table}_no_update")
        op.execute(f"DROP TRIGGER {table}_no_delete")
