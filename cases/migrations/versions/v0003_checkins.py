"""Check-ins (안부확인): enrolled people, emergency contacts, invitations, check-ins, their
attempts, answers and escalation steps.

Consent records go in the existing ``consents`` table (purpose 'checkin'); a person
cannot exist without one. Downgrading drops these tables.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
TIME = sa.DateTime(timezone=True)
TIERS = "'danger', 'caution', 'watch'"
PERSON_STATUSES = "'pending_approval', 'invited', 'active', 'paused', 'stopped'"
CHECKIN_STATES = "'due', 'sent', 'answered', 'missed', 'escalated', 'skipped'"
ATTEMPT_STATES = "'recorded', 'sent', 'failed', 'in_doubt'"
STEPS = "'case', 'contacts', 'critical', 'flagged', 'emergency', 'blocked', 'failing'"
TABLES = (
    "checkin_steps",
    "checkin_answers",
    "checkin_attempts",
    "checkins",
    "checkin_invitations",
    "checkin_contacts",
    "checkin_people",
)


def upgrade() -> None:
    create_people()
    create_invitations()
    create_checkins()
    create_attempts_answers_steps()


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)


def fk(name: str, target: str, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(
        name, sa.Integer(), sa.ForeignKey(target, ondelete="RESTRICT"), nullable=nullable
    )


def create_people() -> None:
    op.create_table(
        "checkin_people",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("area", sa.String(100), nullable=False),
        sa.Column("tier", sa.String(10), nullable=False),
        sa.Column("weekday_mask", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.String(5), nullable=False),
        sa.Column("window_end", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=True),
        fk("consent_id", "consents.id"),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.CheckConstraint(f"tier IN ({TIERS})", name="ck_checkin_people_tier"),
        sa.CheckConstraint(f"status IN ({PERSON_STATUSES})", name="ck_checkin_people_status"),
        sa.CheckConstraint("weekday_mask BETWEEN 1 AND 127", name="ck_checkin_people_days"),
        sa.CheckConstraint("window_start < window_end", name="ck_checkin_people_window"),
    )
    op.create_index("ix_checkin_people_status", "checkin_people", ["status"])
    op.create_index("ix_checkin_people_chat_id", "checkin_people", ["chat_id"])
    op.create_table(
        "checkin_contacts",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("person_id", "checkin_people.id"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("relation", sa.String(50), nullable=True),
        sa.Column("phone", sa.String(30), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=True),
        sa.CheckConstraint("position IN (1, 2)", name="ck_checkin_contacts_position"),
        sa.UniqueConstraint("person_id", "position", name="uq_checkin_contacts_position"),
    )


def create_invitations() -> None:
    op.create_table(
        "checkin_invitations",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("person_id", "checkin_people.id"),
        fk("contact_id", "checkin_contacts.id", nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("used_at", TIME, nullable=True),
        sa.Column("used_by_chat", sa.String(64), nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_checkin_invitations_token_hash"),
    )
    op.create_index("ix_checkin_invitations_person_id", "checkin_invitations", ["person_id"])


def create_checkins() -> None:
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("person_id", "checkin_people.id"),
        sa.Column("slot_date", sa.Date(), nullable=False),
        sa.Column("due_at", TIME, nullable=False),
        sa.Column("idempotency_key", sa.String(100), nullable=False),
        sa.Column("tier", sa.String(10), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("sends", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("ladder_step", sa.String(12), nullable=True),
        sa.Column("next_action_at", TIME, nullable=True),
        fk("case_id", "cases.id", nullable=True),
        sa.Column("answered_at", TIME, nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.CheckConstraint(f"state IN ({CHECKIN_STATES})", name="ck_checkins_state"),
        sa.CheckConstraint(f"tier IN ({TIERS})", name="ck_checkins_tier"),
        sa.UniqueConstraint("idempotency_key", name="uq_checkins_idempotency_key"),
    )
    # What a tick looks at: only rows with something left to do.
    op.create_index(
        "ix_checkins_next_action",
        "checkins",
        ["next_action_at"],
        postgresql_where=sa.text("next_action_at IS NOT NULL"),
        sqlite_where=sa.text("next_action_at IS NOT NULL"),
    )
    op.create_index("ix_checkins_person_id", "checkins", ["person_id", "slot_date"])


def create_attempts_answers_steps() -> None:
    op.create_table(
        "checkin_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("checkin_id", "checkins.id"),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("send_number", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(120), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("replaces", sa.Integer(), nullable=True),
        sa.Column("variant", sa.Integer(), nullable=False),
        sa.Column("recorded_at", TIME, nullable=False),
        sa.Column("finished_at", TIME, nullable=True),
        sa.Column("message_id", sa.String(64), nullable=True),
        sa.Column("error", sa.String(200), nullable=True),
        sa.CheckConstraint(f"state IN ({ATTEMPT_STATES})", name="ck_checkin_attempts_state"),
        sa.UniqueConstraint("idempotency_key", name="uq_checkin_attempts_idempotency_key"),
        sa.UniqueConstraint("checkin_id", "number", name="uq_checkin_attempts_number"),
    )
    op.create_table(
        "checkin_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("checkin_id", "checkins.id"),
        sa.Column("at", TIME, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("code", sa.String(12), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("intent", sa.String(40), nullable=True),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("words", JSON, nullable=False),
        sa.CheckConstraint("kind IN ('button', 'text')", name="ck_checkin_answers_kind"),
        sa.CheckConstraint(
            "code IS NULL OR code IN ('ok', 'need_help', 'call_me')",
            name="ck_checkin_answers_code",
        ),
    )
    op.create_index("ix_checkin_answers_checkin_id", "checkin_answers", ["checkin_id"])
    op.create_table(
        "checkin_steps",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("checkin_id", "checkins.id"),
        sa.Column("step", sa.String(12), nullable=False),
        sa.Column("at", TIME, nullable=False),
        fk("case_id", "cases.id", nullable=True),
        sa.Column("detail", JSON, nullable=False),
        sa.CheckConstraint(f"step IN ({STEPS})", name="ck_checkin_steps_step"),
        sa.UniqueConstraint("checkin_id", "step", name="uq_checkin_steps_step"),
    )
