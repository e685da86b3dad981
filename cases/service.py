"""Building the case store from settings."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from sqlalchemy import Engine

from cases.audit import AuditLog
from cases.casework import CaseDesk
from cases.checkin_desk import CheckinDesk
from cases.checkin_requests import CheckinRequests
from cases.checkin_service import Checkins
from cases.db import create_db_engine, upgrade_database
from cases.policy import CasePolicy, load_policy
from cases.queue import CaseQueue
from cases.replies import ReplyQueue
from cases.reports import ReportIntake
from cases.staff_sessions import StaffSessions
from cases.staff_users import StaffDirectory
from cases.store import CaseStore
from core.clock import Clock, utc_now
from core.settings import Settings


def open_store(settings: Settings) -> CaseStore:
    """The configured case store, migrated to the current schema."""
    return open_case_services(settings).store


@dataclass(frozen=True)
class CaseServices:
    """Everything on one case database: what the chat, the console and the commands use."""

    engine: Engine
    policy: CasePolicy
    store: CaseStore
    reports: ReportIntake
    queue: CaseQueue
    desk: CaseDesk
    audit: AuditLog
    staff: StaffDirectory
    sessions: StaffSessions
    replies: ReplyQueue
    checkins: Checkins
    checkin_desk: CheckinDesk
    checkin_requests: CheckinRequests


def open_case_services(settings: Settings, clock: Clock = utc_now) -> CaseServices:
    """The case services on the configured database, migrated to the current schema."""
    engine = create_db_engine(settings.database_url)
    upgrade_database(engine)
    return case_services(engine, clock)


def case_services(
    engine: Engine, clock: Clock = utc_now, password_hasher: PasswordHasher | None = None
) -> CaseServices:
    """The case services on a migrated database (tests and benchmarks bring their own;
    tests a cheaper ``password_hasher``)."""
    policy = load_policy()
    staff = StaffDirectory(engine, clock, password_hasher)
    checkins = Checkins(engine, clock, policy)
    return CaseServices(
        engine=engine,
        policy=policy,
        store=CaseStore(engine, clock, policy),
        reports=ReportIntake(engine, policy=policy, clock=clock),
        queue=CaseQueue(engine, clock),
        desk=CaseDesk(engine, policy=policy, clock=clock),
        audit=AuditLog(engine),
        staff=staff,
        sessions=StaffSessions(engine, staff, clock),
        replies=ReplyQueue(engine, clock),
        checkins=checkins,
        checkin_desk=CheckinDesk(engine, checkins, clock),
        checkin_requests=CheckinRequests(engine, clock, checkins.policy),
    )
