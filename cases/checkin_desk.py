"""Check-ins as staff work them in the console: the people of their areas, one person's
record, pause / resume / stop on the person's behalf, a citizen's request approved or
refused, a new invitation, enrolment.

Every read and change is checked against the viewer's areas (``cases.access``) and
written to the access record in the same transaction; a refusal is recorded on its own
(``checkin.denied``), like a case's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from cases import checkin_messages as say
from cases.access import Viewer, area_clause, can_see, visible_areas
from cases.checkin_enrolment import Enrolment, EnrolmentChange, EnrolmentRejected
from cases.checkin_invitations import deep_link, issue_invitation, token_hash
from cases.checkin_service import Checkins, EnrolResult, Invitation
from cases.checkin_status import person_status
from cases.checkin_today import AreaToday, local_day, today_by_area
from cases.db import session_factory
from cases.errors import AccessDenied, CaseNotFound, TransitionRefused
from cases.masking import masked
from cases.models import (
    AuditEntry,
    Case,
    Checkin,
    CheckinAnswer,
    CheckinContact,
    CheckinInvitation,
    CheckinPerson,
    CheckinTier,
    Consent,
    PersonStatus,
)
from core.clock import Clock, utc_now

STAFF_CHANGES: dict[str, frozenset[str]] = {
    "paused": frozenset({"invited", "active"}),
    "active": frozenset({"paused"}),
    "stopped": frozenset({"invited", "active", "paused"}),
}
"""The statuses staff may set on a person's behalf, and from where. A stopped person's
consent is withdrawn: they are enrolled again, with a new one."""
STATUS_ACTIONS = (*(f"checkin.{status}" for status in STAFF_CHANGES), "checkin.refuse")
INVITABLE = frozenset({"invited", "active", "paused"})
CONSENT_SINCE = 2000
CONSENT_CLOCK_SKEW = dt.timedelta(hours=1)
"""A consent recorded as given later than now (beyond a device's clock error) is a typo."""
HISTORY = 30
"""How many of a person's latest check-ins their page shows."""


@dataclass(frozen=True)
class LastAnswer:
    at: dt.datetime
    kind: str
    code: str | None
    flagged: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "kind": self.kind,
            "code": self.code,
            "flagged": self.flagged,
        }


@dataclass(frozen=True)
class PersonRow:
    """One person in the console's list."""

    id: int
    name: str
    area: str
    tier: CheckinTier
    status: PersonStatus
    weekdays: tuple[int, ...]
    window: tuple[str, str]
    chat_linked: bool
    last_answer: LastAnswer | None
    open_case_id: int | None
    status_by: str | None
    """Who last paused or stopped them: ``chat:<id>`` (the person) or a login."""
    created_at: dt.datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "area": self.area,
            "tier": self.tier,
            "status": self.status,
            "schedule": {"days": list(self.weekdays), "window": list(self.window)},
            "chat_linked": self.chat_linked,
            "last_answer": None if self.last_answer is None else self.last_answer.to_json(),
            "open_case_id": self.open_case_id,
            "status_by": self.status_by,
            "created_at": self.created_at.isoformat(),
        }


class CheckinDesk:
    """Check-ins of the areas of a member of staff."""

    def __init__(self, engine: Engine, checkins: Checkins, clock: Clock = utc_now) -> None:
        self._sessions = session_factory(engine)
        self._checkins = checkins
        self._clock = clock

    # --- reading ---------------------------------------------------------------------
    def people(
        self,
        viewer: Viewer,
        *,
        status: PersonStatus | None = None,
        tier: CheckinTier | None = None,
        limit: int = 500,
    ) -> list[PersonRow]:
        """The people of the viewer's areas (newest enrolment first), by status and tier."""
        query = (
            select(CheckinPerson)
            .where(area_clause(viewer, CheckinPerson.area))
            .order_by(CheckinPerson.id.desc())
            .limit(limit)
        )
        if status is not None:
            query = query.where(CheckinPerson.status == status)
        if tier is not None:
            query = query.where(CheckinPerson.tier == tier)
        with self._sessions.begin() as session:
            people = list(session.scalars(query))
            ids = [person.id for person in people]
            answers = _last_answers(session, ids)
            cases = _open_cases(session, ids)
            changed_by = _status_by(session, [p.id for p in people if p.status != "active"])
            session.add(
                AuditEntry(
                    at=self._clock(),
                    actor=viewer.login,
                    action="checkin.list",
                    case_id=None,
                    detail={"count": len(people), "status": status, "tier": tier},
                )
            )
            return [
                PersonRow(
                    id=p.id,
                    name=p.display_name,
                    area=p.area,
                    tier=p.tier,
                    status=p.status,
                    weekdays=_days(p.weekday_mask),
                    window=(p.window_start, p.window_end),
                    chat_linked=p.chat_id is not None,
                    last_answer=answers.get(p.id),
                    open_case_id=cases.get(p.id),
                    status_by=changed_by.get(p.id),
                    created_at=p.created_at,
                )
                for p in people
            ]

    def today(self, viewer: Viewer) -> tuple[dt.date, list[AreaToday]]:
        """Today's (local date) check-ins in each of the viewer's areas: due, sent,
        answered, pending, escalated; an area of theirs without any shows zeros."""
        day = local_day(self._clock(), self._checkins.policy.zone)
        with self._sessions.begin() as session:
            found = {row.area: row for row in today_by_area(session, viewer, day)}
            session.add(
                AuditEntry(
                    at=self._clock(),
                    actor=viewer.login,
                    action="checkin.today",
                    case_id=None,
                    detail={"day": day.isoformat(), "areas": len(found)},
                )
            )
        for area in visible_areas(viewer) or ():
            found.setdefault(area, AreaToday(area, 0, 0, 0, 0, 0))
        return day, [found[area] for area in sorted(found)]

    def person(self, viewer: Viewer, person_id: int) -> dict[str, Any]:
        """The person's record as ``ieum checkins status`` shows it, with their latest
        check-ins, the open concern case, who last paused or stopped them, and their
        invitation's state. Emergency contacts' phones are for the staff of the area:
        an admin (who sees every area, but works none) gets them masked."""
        with self._person(viewer, person_id, "checkin.read") as (session, person):
            found = person_status(session, person.id, latest=HISTORY)
            assert found is not None
            found["open_case_id"] = _open_cases(session, [person.id]).get(person.id)
            found["status_by"] = _status_by(session, [person.id]).get(person.id)
            found["invitation"] = _invitation_state(session, person.id, self._clock())
            found["phones_visible"] = viewer.role != "admin"
            if viewer.role == "admin":
                for contact in found["contacts"]:
                    contact["phone"] = _masked_phone(contact["phone"])
            return found

    # --- changes ---------------------------------------------------------------------
    def enrol(self, viewer: Viewer, enrolment: Enrolment, *, bot_username: str) -> EnrolResult:
        """Enrol a person of the viewer's areas (``AccessDenied`` for another area)."""
        if not can_see(viewer, enrolment.area):
            raise AccessDenied(say.AREA_NOT_YOURS)
        given = enrolment.consent.at
        if given.year < CONSENT_SINCE or given > self._clock() + CONSENT_CLOCK_SKEW:
            raise EnrolmentRejected(say.CONSENT_AT_RANGE)
        return self._checkins.enrol(enrolment, actor=viewer.login, bot_username=bot_username)

    def change_status(self, viewer: Viewer, person_id: int, status: PersonStatus) -> str:
        """Pause, resume (``active``) or stop on the person's behalf; the new status.
        ``TransitionRefused`` when their status does not allow it."""
        allowed = STAFF_CHANGES.get(status)
        action = f"checkin.{status}"
        with self._person(viewer, person_id, action, lock=True) as (session, person):
            if allowed is None or person.status not in allowed:
                raise TransitionRefused(say.status_refused(person.status, status))
            now = self._clock()
            person.status = status
            person.updated_at = now
            if status == "stopped":
                _withdraw_consent(session, person, now)
            return status

    def edit(self, viewer: Viewer, person_id: int, change: EnrolmentChange) -> dict[str, Any]:
        """Change the person's tier, schedule and emergency contacts (the change replaces
        all three). In the access record with the codes before and after (contacts by
        position only: no names or phones). A contact whose name or phone changed, or who
        was removed, loses their linked chat and unused invitations. The changes made."""
        with self._person(viewer, person_id, "checkin.edit", lock=True, audit_after=True) as (
            session,
            person,
        ):
            if viewer.role == "admin":
                # An admin sees masked phones and works no area: the area's staff edit.
                raise AccessDenied(say.EDIT_AREA_STAFF_ONLY)
            before = _settings(session, person)
            changed_contacts = _replace_contacts(session, person.id, change)
            person.tier = change.tier
            person.weekday_mask = change.weekday_mask
            person.window_start = change.window_start
            person.window_end = change.window_end
            person.updated_at = self._clock()
            after = _settings(session, person)
            changed = sorted(key for key in before if before[key] != after[key])
            if changed_contacts and "contacts" not in changed:
                changed.append("contacts")
            entry = session.info["audit"]
            entry.detail = {
                "person": person_id,
                "before": before,
                "after": after,
                "changed": changed,
                "contacts_changed": changed_contacts,
            }
            return {"changed": changed, "contacts_changed": changed_contacts}

    def decide(
        self,
        viewer: Viewer,
        person_id: int,
        *,
        approve: bool,
        tier: CheckinTier | None = None,
        bot_username: str = "",
    ) -> Invitation | None:
        """Approve or refuse a citizen's request. Approved, a person whose chat is known
        starts at once (None); one without a chat gets an invitation. Refused, their
        consent is withdrawn and nothing is sent."""
        action = "checkin.approve" if approve else "checkin.refuse"
        with self._person(viewer, person_id, action, lock=True) as (session, person):
            if person.status != "pending_approval":
                raise TransitionRefused(say.NOT_PENDING)
            now = self._clock()
            person.updated_at = now
            if not approve:
                person.status = "stopped"
                _withdraw_consent(session, person, now)
                return None
            person.tier = tier or person.tier
            if person.chat_id is not None:
                person.status = "active"
                return None
            person.status = "invited"
            return self._invite(session, person.id, now, bot_username)

    def invite(self, viewer: Viewer, person_id: int, *, bot_username: str) -> Invitation:
        """A new invitation for the person (their earlier unused ones stop working): for
        a lost link, an expired one, or a new phone."""
        with self._person(viewer, person_id, "checkin.invite", lock=True) as (session, person):
            if person.status not in INVITABLE:
                raise TransitionRefused(say.INVITATION_NOT_NOW)
            return self._invite(session, person.id, self._clock(), bot_username)

    def check_invitation(self, viewer: Viewer, person_id: int, token: str) -> bool:
        """Whether ``token`` is the person's live invitation (unused, unexpired): what a
        printout of it needs. The print is in the access record."""
        with self._person(viewer, person_id, "checkin.print") as (session, person):
            found = session.scalars(
                select(CheckinInvitation).where(
                    CheckinInvitation.token_hash == token_hash(token),
                    CheckinInvitation.person_id == person.id,
                    CheckinInvitation.contact_id.is_(None),
                )
            ).one_or_none()
            now = self._clock()
            return found is not None and found.used_at is None and found.expires_at > now

    def _invite(
        self, session: Session, person_id: int, now: dt.datetime, bot_username: str
    ) -> Invitation:
        # Only the newest printout works: an older one lost on the way links no chat.
        session.execute(
            update(CheckinInvitation)
            .where(
                CheckinInvitation.person_id == person_id,
                CheckinInvitation.contact_id.is_(None),
                CheckinInvitation.used_at.is_(None),
                CheckinInvitation.expires_at > now,
            )
            .values(expires_at=now)
        )
        token, expires = issue_invitation(
            session,
            person_id=person_id,
            contact_id=None,
            now=now,
            valid_for=self._checkins.policy.invitation_valid,
        )
        return Invitation(token, deep_link(bot_username, token), expires)

    @contextmanager
    def _person(
        self,
        viewer: Viewer,
        person_id: int,
        action: str,
        *,
        lock: bool = False,
        audit_after: bool = False,
    ) -> Iterator[tuple[Session, CheckinPerson]]:
        """A transaction holding the person (locked for a change), with the audit row of
        ``action``, if ``viewer`` may see them; a refusal is recorded on its own."""
        try:
            with self._sessions.begin() as session:
                person = session.get(CheckinPerson, person_id, with_for_update=lock)
                if person is None:
                    raise CaseNotFound(say.PERSON_NOT_FOUND)
                if not can_see(viewer, person.area):
                    raise AccessDenied(say.PERSON_NOT_YOURS)
                entry = AuditEntry(
                    at=self._clock(),
                    actor=viewer.login,
                    action=action,
                    case_id=None,
                    detail={"person": person_id},
                )
                # With ``audit_after`` the body fills in the detail first (the access
                # record is append-only): the row is added once the change is made.
                session.info["audit"] = entry
                if not audit_after:
                    session.add(entry)
                yield session, person
                if audit_after:
                    session.add(entry)
        except AccessDenied:
            with self._sessions.begin() as session:
                session.add(
                    AuditEntry(
                        at=self._clock(),
                        actor=viewer.login,
                        action="checkin.denied",
                        case_id=None,
                        detail={"person": person_id, "attempted": action},
                    )
                )
            raise


def _days(mask: int) -> tuple[int, ...]:
    return tuple(day for day in range(7) if mask & (1 << day))


def _settings(session: Session, person: CheckinPerson) -> dict[str, Any]:
    """The codes an edit changes, for the access record (contacts: how many)."""
    contacts = session.scalar(select(func.count()).where(CheckinContact.person_id == person.id))
    return {
        "tier": person.tier,
        "days": list(_days(person.weekday_mask)),
        "window": [person.window_start, person.window_end],
        "contacts": contacts or 0,
    }


def _replace_contacts(session: Session, person_id: int, change: EnrolmentChange) -> list[int]:
    """The contacts as given, position by position; the positions that changed."""
    existing = {
        contact.position: contact
        for contact in session.scalars(
            select(CheckinContact).where(CheckinContact.person_id == person_id)
        )
    }
    changed: list[int] = []
    for position in (1, 2):
        given = change.contacts[position - 1] if position <= len(change.contacts) else None
        current = existing.get(position)
        if given is None and current is None:
            continue
        if given is None:
            assert current is not None
            session.execute(
                delete(CheckinInvitation).where(CheckinInvitation.contact_id == current.id)
            )
            session.delete(current)
            changed.append(position)
            continue
        name = masked(given.name)
        if current is None:
            session.add(
                CheckinContact(
                    person_id=person_id,
                    position=position,
                    name=name,
                    relation=given.relation,
                    phone=given.phone,
                )
            )
            changed.append(position)
            continue
        if (current.name, current.relation, current.phone) == (name, given.relation, given.phone):
            continue
        if (current.name, current.phone) != (name, given.phone):
            # Someone else now: the old contact's chat hears nothing more of this person.
            current.chat_id = None
            session.execute(
                delete(CheckinInvitation).where(
                    CheckinInvitation.contact_id == current.id,
                    CheckinInvitation.used_at.is_(None),
                )
            )
        current.name, current.relation, current.phone = name, given.relation, given.phone
        changed.append(position)
    session.flush()
    return changed


def _withdraw_consent(session: Session, person: CheckinPerson, now: dt.datetime) -> None:
    consent = session.get_one(Consent, person.consent_id)
    consent.withdrawn_at = consent.withdrawn_at or now


def _masked_phone(phone: str) -> str:
    digits = [ch for ch in phone if ch.isdigit()]
    return "*" * max(len(digits) - 4, 0) + "".join(digits[-4:])


def _last_answers(session: Session, ids: list[int]) -> dict[int, LastAnswer]:
    if not ids:
        return {}
    latest = (
        select(func.max(CheckinAnswer.id))
        .join(Checkin, Checkin.id == CheckinAnswer.checkin_id)
        .where(Checkin.person_id.in_(ids))
        .group_by(Checkin.person_id)
    )
    rows = session.execute(
        select(Checkin.person_id, CheckinAnswer)
        .join(Checkin, Checkin.id == CheckinAnswer.checkin_id)
        .where(CheckinAnswer.id.in_(latest))
    )
    return {
        person_id: LastAnswer(answer.at, answer.kind, answer.code, answer.flagged)
        for person_id, answer in rows
    }


def _open_cases(session: Session, ids: list[int]) -> dict[int, int]:
    """The newest concern case not yet closed of each person."""
    if not ids:
        return {}
    rows = session.execute(
        select(Checkin.person_id, func.max(Checkin.case_id))
        .join(Case, Case.id == Checkin.case_id)
        .where(Checkin.person_id.in_(ids), Case.status != "closed")
        .group_by(Checkin.person_id)
    )
    return {person_id: case_id for person_id, case_id in rows if case_id is not None}


def _status_by(session: Session, ids: list[int]) -> dict[int, str]:
    """Who made each person's latest pause, stop or refusal (the access record keeps it:
    ``chat:<id>`` when the person asked in the chat)."""
    if not ids:
        return {}
    wanted = set(ids)
    rows = session.execute(
        select(AuditEntry.actor, AuditEntry.detail)
        .where(AuditEntry.action.in_(STATUS_ACTIONS), AuditEntry.case_id.is_(None))
        .order_by(AuditEntry.id)
    )
    found: dict[int, str] = {}
    for actor, detail in rows:
        person = detail.get("person") if isinstance(detail, dict) else None
        if isinstance(person, int) and person in wanted:
            found[person] = actor
    return found


def _invitation_state(session: Session, person_id: int, now: dt.datetime) -> dict[str, Any]:
    """The person's newest own invitation: when it expires, and whether it is used or
    already expired (then staff make a new one)."""
    newest = session.scalars(
        select(CheckinInvitation)
        .where(
            CheckinInvitation.person_id == person_id,
            CheckinInvitation.contact_id.is_(None),
        )
        .order_by(CheckinInvitation.id.desc())
        .limit(1)
    ).first()
    if newest is None:
        return {"state": "none", "expires_at": None}
    state = "used" if newest.used_at else "expired" if newest.expires_at <= now else "live"
    return {"state": state, "expires_at": newest.expires_at.isoformat()}
