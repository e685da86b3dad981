"""Tables of the case store, as SQLAlchemy 2 typed declarative models.

The Alembic migrations in ``cases/migrations`` create these tables; a test checks that
the migrated schema and these models agree. ``case_events`` and ``audit_log`` are
append-only: the database itself refuses to change or remove their rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

CaseKind = Literal["report", "handoff", "fallback", "emergency", "checkin_concern"]
Priority = Literal["critical", "high", "normal"]
Status = Literal["new", "assigned", "contacted", "visited", "linked", "closed"]
Role = Literal["worker", "supervisor", "admin"]
About = Literal["self", "other"]
ConsentPurpose = Literal["report", "checkin"]
Sign = Literal[
    "rent_arrears",
    "utility_arrears",
    "utility_cut",
    "phone_arrears",
    "skipping_meals",
    "not_seen",
    "rubbish_smell",
    "hoarding",
    "illness",
    "debt",
    "refusing_help",
    "abuse",
    "self_harm",
    "other",
]
Household = Literal[
    "elderly_alone",
    "elderly_couple",
    "middle_aged_single",
    "single_parent",
    "grandparent",
    "multicultural",
    "north_korean_defector",
    "disabled",
    "young_carer",
    "reclusive",
    "care_leaver",
    "hospital_discharge",
    "other",
    "unknown",
]

KINDS: tuple[str, ...] = get_args(CaseKind)
PRIORITIES: tuple[str, ...] = get_args(Priority)
"""Most urgent first. Their alphabetical order is the same, so the queue index sorts them."""
STATUSES: tuple[str, ...] = get_args(Status)
"""In lifecycle order."""
ROLES: tuple[str, ...] = get_args(Role)
SIGNS: tuple[str, ...] = get_args(Sign)
HOUSEHOLDS: tuple[str, ...] = get_args(Household)
ABOUT: tuple[str, ...] = get_args(About)
CONSENT_PURPOSES: tuple[str, ...] = get_args(ConsentPurpose)

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


class Case(Base):
    """Something a person must act on: a report, a handoff, an emergency, a check-in concern.

    ``area`` is an area key (``core.areas``), NULL while unrouted; ``outcome`` is set only
    on a closed case; ``receipt`` (reports) and ``dedup_key`` (a retried filing) are unique.
    """

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(one_of("kind", KINDS), name="ck_cases_kind"),
        CheckConstraint(one_of("priority", PRIORITIES), name="ck_cases_priority"),
        CheckConstraint(one_of("status", STATUSES), name="ck_cases_status"),
        CheckConstraint("outcome IS NULL OR status = 'closed'", name="ck_cases_outcome"),
        UniqueConstraint("receipt", name="uq_cases_receipt"),
        UniqueConstraint("dedup_key", name="uq_cases_dedup_key"),
        Index("ix_cases_queue", "status", "area", "priority", "created_at"),
        # The default queue (every open case of some areas), whatever the closed history.
        Index(
            "ix_cases_open_queue",
            "area",
            "priority",
            "created_at",
            postgresql_where=text("status <> 'closed'"),
            sqlite_where=text("status <> 'closed'"),
        ),
        Index("ix_cases_due_at", "due_at"),
        Index("ix_cases_conversation_id", "conversation_id"),
        Index("ix_cases_assignee", "assignee"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CaseKind] = mapped_column(String(20))
    priority: Mapped[Priority] = mapped_column(String(10))
    status: Mapped[Status] = mapped_column(String(12))
    outcome: Mapped[str | None] = mapped_column(String(30))
    area: Mapped[str | None] = mapped_column(String(100))
    assignee: Mapped[str | None] = mapped_column(
        String(100), ForeignKey("staff_users.login", ondelete="RESTRICT")
    )
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    receipt: Mapped[str | None] = mapped_column(String(14))
    dedup_key: Mapped[str | None] = mapped_column(String(200))
    conversation_id: Mapped[str | None] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(50))
    summary: Mapped[str] = mapped_column(Text)
    # [{"role": "user" | "bot" | "staff", "text": str, "at": ISO 8601}], RRNs masked.
    transcript: Mapped[list[dict[str, str]]] = mapped_column(JsonType)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    # When the status last changed: what a reporter is told, never the date of a note.
    status_changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())

    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", lazy="raise"
    )


class CaseEvent(Base):
    """One entry of a case's log. Rows are only ever inserted (the database refuses updates
    and deletes); at most one 'overdue' event per case."""

    __tablename__ = "case_events"
    __table_args__ = (
        Index("ix_case_events_case_id", "case_id", "id"),
        Index(
            "uq_case_events_overdue",
            "case_id",
            unique=True,
            postgresql_where=text("kind = 'overdue'"),
            sqlite_where=text("kind = 'overdue'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(JsonType)

    case: Mapped[Case] = relationship(back_populates="events", lazy="raise")


class Consent(Base):
    """Consent to collect personal data for a purpose: from a conversation, or read out by
    staff on the phone (subject ``staff:<login>``)."""

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint(one_of("purpose", CONSENT_PURPOSES), name="ck_consents_purpose"),
        Index("ix_consents_subject", "subject", "purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    wording_version: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(50))
    given_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class Report(Base):
    """What a reporter told about a person in a blind spot (one per case of kind report).

    The reporter's contact is NULL when the report is anonymous (the database checks it)
    and is erased after the retention period.
    """

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint(one_of("about", ABOUT), name="ck_reports_about"),
        CheckConstraint(one_of("household", HOUSEHOLDS), name="ck_reports_household"),
        CheckConstraint(
            "NOT anonymous OR (reporter_name IS NULL AND reporter_phone IS NULL)",
            name="ck_reports_anonymous",
        ),
    )

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="RESTRICT"), primary_key=True
    )
    about: Mapped[About] = mapped_column(String(10))
    relation: Mapped[str | None] = mapped_column(String(100))
    region_text: Mapped[str | None] = mapped_column(String(200))
    address_detail: Mapped[str | None] = mapped_column(String(200))
    signs: Mapped[list[str]] = mapped_column(JsonType)
    text: Mapped[str] = mapped_column(Text)
    household: Mapped[Household] = mapped_column(String(30))
    urgent: Mapped[bool] = mapped_column(Boolean)
    danger: Mapped[bool] = mapped_column(Boolean)
    anonymous: Mapped[bool] = mapped_column(Boolean)
    reporter_name: Mapped[str | None] = mapped_column(String(100))
    reporter_phone: Mapped[str | None] = mapped_column(String(30))
    photo_path: Mapped[str | None] = mapped_column(String(300))
    photo_type: Mapped[str | None] = mapped_column(String(30))
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id", ondelete="RESTRICT"))


class StaffUser(Base):
    """A member of staff who signs in to the console; ``areas`` are area keys."""

    __tablename__ = "staff_users"
    __table_args__ = (CheckConstraint(one_of("role", ROLES), name="ck_staff_users_role"),)

    login: Mapped[str] = mapped_column(String(100), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(String(20))
    areas: Mapped[list[str]] = mapped_column(JsonType)
    display_name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class StaffSession(Base):
    """A signed-in console session. Only hashes of the session and CSRF tokens are kept,
    so a copy of the table signs nobody in."""

    __tablename__ = "staff_sessions"
    __table_args__ = (Index("ix_staff_sessions_login", "login"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    login: Mapped[str] = mapped_column(ForeignKey("staff_users.login", ondelete="RESTRICT"))
    csrf_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    ip: Mapped[str | None] = mapped_column(String(64))


class AuditEntry(Base):
    """Who read or changed what, when (접속기록). Append-only like ``case_events``; the
    detail holds ids and codes, never personal data."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_case_id", "case_id"),
        Index("ix_audit_log_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"))
    detail: Mapped[dict[str, Any]] = mapped_column(JsonType)


class OutboundReply(Base):
    """A staff reply waiting to reach the citizen's chat: a job row that delivery workers
    claim (``cases.replies``)."""

    __tablename__ = "outbound_replies"
    __table_args__ = (
        Index(
            "ix_outbound_replies_pending",
            "next_attempt_at",
            postgresql_where=text("delivered_at IS NULL AND failed_at IS NULL"),
            sqlite_where=text("delivered_at IS NULL AND failed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"))
    conversation_id: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    failed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(String(200))


# The old name, until the callers outside cases/ are renamed (pending issue 10's commit).
EscalationKind = CaseKind


# --- Check-ins (안부확인, issue 12) -------------------------------------------------------
CheckinTier = Literal["danger", "caution", "watch"]
"""위험, 주의, 관심 (수영구's risk tiers); the ladder of each is in ``checkin_policy.yaml``."""
PersonStatus = Literal["pending_approval", "invited", "active", "paused", "stopped"]
CheckinState = Literal["due", "sent", "answered", "missed", "escalated", "skipped"]
AttemptState = Literal["recorded", "sent", "failed", "in_doubt"]
AnswerKind = Literal["button", "text"]
ButtonCode = Literal["ok", "need_help", "call_me"]
LadderStep = Literal["case", "contacts", "critical", "flagged", "emergency", "blocked", "failing"]

CHECKIN_TIERS: tuple[str, ...] = get_args(CheckinTier)
PERSON_STATUSES: tuple[str, ...] = get_args(PersonStatus)
CHECKIN_STATES: tuple[str, ...] = get_args(CheckinState)
ATTEMPT_STATES: tuple[str, ...] = get_args(AttemptState)
ANSWER_KINDS: tuple[str, ...] = get_args(AnswerKind)
BUTTON_CODES: tuple[str, ...] = get_args(ButtonCode)
LADDER_STEPS: tuple[str, ...] = get_args(LadderStep)


class CheckinPerson(Base):
    """Someone enrolled in check-ins. ``weekday_mask`` has bit ``1 << d`` for each scheduled
    weekday (Monday = 0); the window is local time ("HH:MM", start before end);
    ``chat_id`` is set once the person pressed Start on their invitation."""

    __tablename__ = "checkin_people"
    __table_args__ = (
        CheckConstraint(one_of("tier", CHECKIN_TIERS), name="ck_checkin_people_tier"),
        CheckConstraint(one_of("status", PERSON_STATUSES), name="ck_checkin_people_status"),
        CheckConstraint("weekday_mask BETWEEN 1 AND 127", name="ck_checkin_people_days"),
        CheckConstraint("window_start < window_end", name="ck_checkin_people_window"),
        Index("ix_checkin_people_status", "status"),
        Index("ix_checkin_people_chat_id", "chat_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    area: Mapped[str] = mapped_column(String(100))
    tier: Mapped[CheckinTier] = mapped_column(String(10))
    weekday_mask: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[str] = mapped_column(String(5))
    window_end: Mapped[str] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(40))
    status: Mapped[PersonStatus] = mapped_column(String(20))
    chat_id: Mapped[str | None] = mapped_column(String(64))
    # No enrolment without consent: the database refuses a person without one.
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id", ondelete="RESTRICT"))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class CheckinContact(Base):
    """An emergency contact (at most two a person: positions 1 and 2)."""

    __tablename__ = "checkin_contacts"
    __table_args__ = (
        CheckConstraint("position IN (1, 2)", name="ck_checkin_contacts_position"),
        UniqueConstraint("person_id", "position", name="uq_checkin_contacts_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("checkin_people.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    relation: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(30))
    chat_id: Mapped[str | None] = mapped_column(String(64))


class CheckinInvitation(Base):
    """A one-time invitation: only the SHA-256 of its token is kept."""

    __tablename__ = "checkin_invitations"
    __table_args__ = (
        UniqueConstraint("token_hash", name="uq_checkin_invitations_token_hash"),
        Index("ix_checkin_invitations_person_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("checkin_people.id", ondelete="RESTRICT"))
    # NULL: the person's own invitation; else an emergency contact's.
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("checkin_contacts.id", ondelete="RESTRICT")
    )
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    used_by_chat: Mapped[str | None] = mapped_column(String(64))


class Checkin(Base):
    """One scheduled check-in of one person on one day: a job row that ticks claim.

    ``idempotency_key`` ("<person>:<date>") is unique, so two schedulers can never create
    the same slot twice. ``sends`` counts sends of the ladder (first + resends),
    ``attempts`` every recorded attempt (a send in doubt is tried again and counted);
    ``next_action_at`` is when a tick must look at it again (NULL: nothing left to do).
    """

    __tablename__ = "checkins"
    __table_args__ = (
        CheckConstraint(one_of("state", CHECKIN_STATES), name="ck_checkins_state"),
        CheckConstraint(one_of("tier", CHECKIN_TIERS), name="ck_checkins_tier"),
        UniqueConstraint("idempotency_key", name="uq_checkins_idempotency_key"),
        Index(
            "ix_checkins_next_action",
            "next_action_at",
            postgresql_where=text("next_action_at IS NOT NULL"),
            sqlite_where=text("next_action_at IS NOT NULL"),
        ),
        Index("ix_checkins_person_id", "person_id", "slot_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("checkin_people.id", ondelete="RESTRICT"))
    slot_date: Mapped[dt.date] = mapped_column(Date)
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    idempotency_key: Mapped[str] = mapped_column(String(100))
    tier: Mapped[CheckinTier] = mapped_column(String(10))
    state: Mapped[CheckinState] = mapped_column(String(12))
    sends: Mapped[int] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer)
    failures: Mapped[int] = mapped_column(Integer)
    ladder_step: Mapped[LadderStep | None] = mapped_column(String(12))
    next_action_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"))
    answered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class CheckinAttempt(Base):
    """One try to deliver a check-in, recorded (with its idempotency key) before the send
    and marked sent or failed after it. ``replaces`` names the attempt in doubt (its worker
    died after recording it) that this one repeats."""

    __tablename__ = "checkin_attempts"
    __table_args__ = (
        CheckConstraint(one_of("state", ATTEMPT_STATES), name="ck_checkin_attempts_state"),
        UniqueConstraint("idempotency_key", name="uq_checkin_attempts_idempotency_key"),
        UniqueConstraint("checkin_id", "number", name="uq_checkin_attempts_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="RESTRICT"))
    number: Mapped[int] = mapped_column(Integer)
    send_number: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(120))
    state: Mapped[AttemptState] = mapped_column(String(10))
    replaces: Mapped[int | None] = mapped_column(Integer)
    variant: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    message_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(String(200))


class CheckinAnswer(Base):
    """What the person answered: a button's code, or their words (masked) with the worrying
    words found in them."""

    __tablename__ = "checkin_answers"
    __table_args__ = (
        CheckConstraint(one_of("kind", ANSWER_KINDS), name="ck_checkin_answers_kind"),
        CheckConstraint(
            f"code IS NULL OR {one_of('code', BUTTON_CODES)}", name="ck_checkin_answers_code"
        ),
        Index("ix_checkin_answers_checkin_id", "checkin_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="RESTRICT"))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    kind: Mapped[AnswerKind] = mapped_column(String(10))
    code: Mapped[ButtonCode | None] = mapped_column(String(12))
    text: Mapped[str | None] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(40))
    flagged: Mapped[bool] = mapped_column(Boolean)
    words: Mapped[list[str]] = mapped_column(JsonType)


class CheckinStep(Base):
    """A step the escalation ladder took for a check-in; each step at most once."""

    __tablename__ = "checkin_steps"
    __table_args__ = (
        CheckConstraint(one_of("step", LADDER_STEPS), name="ck_checkin_steps_step"),
        UniqueConstraint("checkin_id", "step", name="uq_checkin_steps_step"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="RESTRICT"))
    step: Mapped[LadderStep] = mapped_column(String(12))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"))
    detail: Mapped[dict[str, Any]] = mapped_column(JsonType)
