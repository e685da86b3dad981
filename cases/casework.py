"""What staff do with one case: read it, write notes, assign it, move its status, reply.

Every call takes the ``Viewer`` who acts; a case outside their areas raises
``AccessDenied`` (and that attempt is recorded). Each read and each change writes its
audit row in the same transaction as the change itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from cases import messages
from cases.access import Viewer, can_see
from cases.audit import AuditAction, record_access
from cases.db import session_factory
from cases.errors import AccessDenied, CaseNotFound, TransitionRefused
from cases.events import append_event
from cases.lifecycle import check_transition
from cases.masking import masked
from cases.models import Case, CaseEvent, Report, StaffUser, Status
from cases.policy import CasePolicy, load_policy
from cases.records import CaseRecord, EventRecord, case_record, event_record
from cases.replies import REACHABLE_CHANNELS, enqueue_reply
from core.clock import Clock, utc_now

NOTE_LIMIT = 4000
REPLY_LIMIT = 2000


class CaseDesk:
    """One case at a time, on behalf of a member of staff."""

    def __init__(
        self, engine: Engine, *, policy: CasePolicy | None = None, clock: Clock = utc_now
    ) -> None:
        self._sessions = session_factory(engine)
        self._policy = policy or load_policy()
        self._clock = clock

    def detail(self, viewer: Viewer, case_id: int) -> CaseRecord:
        """The whole case: fields, transcript, events (notes among them) and report."""
        with self._case(viewer, case_id, "case.read") as (session, case):
            events = session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
            ).all()
            report = session.get(Report, case_id)
            return case_record(case, events, report)

    def add_note(self, viewer: Viewer, case_id: int, text: str) -> EventRecord:
        """A staff note in the case's log."""
        text = _required(text, NOTE_LIMIT, messages.NOTE_EMPTY)
        with self._case(viewer, case_id, "case.note", lock=True) as (session, case):
            event = append_event(session, case, "note", viewer.login, {"text": text}, self._clock())
            return event_record(event)

    def assign(self, viewer: Viewer, case_id: int, assignee: str | None) -> EventRecord:
        """Give the case to ``assignee`` (None: nobody); the assignee must cover the case's
        area. A worker may only take an unassigned case or drop their own. A new case
        becomes assigned."""
        with self._case(viewer, case_id, "case.assign", lock=True) as (session, case):
            if assignee == case.assignee:
                raise TransitionRefused(messages.ASSIGNEE_SAME)
            if viewer.role == "worker" and not _takes_or_drops(viewer.login, case, assignee):
                raise TransitionRefused(messages.ASSIGN_ONLY_SELF)
            if assignee is not None and not _covers(session, assignee, case.area):
                raise TransitionRefused(messages.ASSIGNEE_UNKNOWN)
            now = self._clock()
            detail = {"from": case.assignee, "to": assignee}
            case.assignee = assignee
            event = append_event(session, case, "assigned", viewer.login, detail, now)
            if assignee is not None and case.status == "new":
                self._move(session, case, "assigned", None, viewer.login, now)
            return event_record(event)

    def change_status(
        self,
        viewer: Viewer,
        case_id: int,
        status: Status,
        *,
        outcome: str | None = None,
        reason: str | None = None,
    ) -> EventRecord:
        """Move the case along its lifecycle (``cases.lifecycle``); ``reason`` is kept in
        the log (say why a case is reopened)."""
        with self._case(viewer, case_id, "case.status", lock=True) as (session, case):
            check_transition(
                case.status,
                status,
                role=viewer.role,
                outcome=outcome,
                outcomes=self._policy.outcomes,
            )
            reason = None if reason is None else masked(reason.strip())[:NOTE_LIMIT] or None
            return event_record(
                self._move(session, case, status, outcome, viewer.login, self._clock(), reason)
            )

    def reply(self, viewer: Viewer, case_id: int, text: str) -> EventRecord:
        """Answer the citizen in their chat: the event, the transcript entry and the
        delivery job are stored together (``cases.replies`` delivers it)."""
        text = masked(_required(text, REPLY_LIMIT, messages.REPLY_EMPTY))
        with self._case(viewer, case_id, "case.reply", lock=True) as (session, case):
            if case.conversation_id is None or case.channel not in REACHABLE_CHANNELS:
                raise TransitionRefused(messages.REPLY_UNREACHABLE)
            if case.status == "closed":
                raise TransitionRefused(messages.REPLY_CLOSED)
            now = self._clock()
            entry = {"role": "staff", "text": text, "at": now.isoformat()}
            case.transcript = [*case.transcript, entry]
            event = append_event(session, case, "reply", viewer.login, {"text": text}, now)
            enqueue_reply(
                session,
                case_id=case.id,
                conversation_id=case.conversation_id,
                text=text,
                author=viewer.login,
                at=now,
            )
            return event_record(event)

    @contextmanager
    def _case(
        self, viewer: Viewer, case_id: int, action: AuditAction, *, lock: bool = False
    ) -> Iterator[tuple[Session, Case]]:
        """A transaction holding the case (locked for a change), with the audit row of
        ``action``, if ``viewer`` may see it. A refusal is recorded after the transaction
        rolled back, in one of its own, so no lock of the refused one is held."""
        try:
            with self._sessions.begin() as session:
                case = session.get(Case, case_id, with_for_update=lock)
                if case is None:
                    raise CaseNotFound(messages.CASE_NOT_FOUND)
                if not can_see(viewer, case.area):
                    raise AccessDenied(messages.ACCESS_DENIED)
                at = self._clock()
                record_access(session, at=at, actor=viewer.login, action=action, case_id=case_id)
                yield session, case
        except AccessDenied:
            with self._sessions.begin() as session:
                record_access(
                    session,
                    at=self._clock(),
                    actor=viewer.login,
                    action="case.denied",
                    case_id=case_id,
                    detail={"attempted": action},
                )
            raise

    def _move(
        self,
        session: Session,
        case: Case,
        status: Status,
        outcome: str | None,
        actor: str,
        now: dt.datetime,
        reason: str | None = None,
    ) -> CaseEvent:
        detail: dict[str, Any] = {"from": case.status, "to": status}
        if outcome is not None:
            detail["outcome"] = outcome
        if reason is not None:
            detail["reason"] = reason
        case.status = status
        case.outcome = outcome
        case.status_changed_at = now
        return append_event(session, case, "status_changed", actor, detail, now)


def _required(text: str, limit: int, empty_message: str) -> str:
    text = text.strip()
    if not text:
        raise TransitionRefused(empty_message)
    if len(text) > limit:
        raise TransitionRefused(messages.too_long("text", limit))
    return text


def _takes_or_drops(login: str, case: Case, assignee: str | None) -> bool:
    """A worker taking an unassigned case, or dropping their own."""
    if assignee is None:
        return case.assignee == login
    return assignee == login and case.assignee is None


def _covers(session: Session, login: str, area: str | None) -> bool:
    """Whether ``login`` is an active member of staff who may see cases of ``area``."""
    user = session.get(StaffUser, login)
    if user is None or not user.active:
        return False
    return can_see(Viewer(user.login, user.role, tuple(user.areas)), area)
