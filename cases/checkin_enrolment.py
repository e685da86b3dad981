"""Enrolling a person in check-ins: the enrolment as staff give it (JSON), checked, and
stored with its consent record, emergency contacts and a one-time invitation.

The enrolment JSON (the public contract of ``ieum checkins enrol``)::

    {"name": "김순자", "area": "서울특별시 강서구 화곡1동", "tier": "위험",
     "schedule": {"days": ["월", "수", "금"], "window": ["09:00", "11:00"]},
     "contacts": [{"name": "박영희", "relation": "딸", "phone": "010-1234-5678"}],
     "consent": {"by": "self", "how": "visit", "at": "2026-12-03T10:00:00+09:00",
                 "wording_version": "checkin-2026-12"}}

``tier`` is 위험/주의/관심 or danger/caution/watch; ``days`` are 월…일 or 0 (Monday) … 6;
``area`` an area key or a place ieum resolves to exactly one; ``consent.by`` is "self" or
the relation of the family member who consented on the person's behalf ("딸"), ``how``
one of visit, phone, written, chat. Nothing is stored without a consent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from cases import checkin_messages as say
from cases.checkin_policy import tier_code
from cases.errors import CaseError
from cases.masking import masked
from cases.models import CheckinContact, CheckinPerson, CheckinTier, Consent
from core.areas import AREAS, resolve_area

CONSENT_WAYS = ("visit", "phone", "written", "chat")
DEFAULT_WORDING = "checkin-2026-12"
"""The consent script staff read out before enrolling someone."""
WEEKDAYS = "월화수목금토일"


class EnrolmentRejected(CaseError, ValueError):
    """An enrolment that cannot be stored as given; nothing was stored."""


@dataclass(frozen=True)
class ContactGiven:
    name: str
    relation: str | None
    phone: str


@dataclass(frozen=True)
class ConsentRecord:
    """Who consented ("self" or the family member's relation), how, when, to what."""

    by: str
    how: str
    at: dt.datetime
    wording_version: str


@dataclass(frozen=True)
class Enrolment:
    name: str
    area: str
    tier: CheckinTier
    weekdays: tuple[int, ...]
    window_start: str
    window_end: str
    contacts: tuple[ContactGiven, ...]
    consent: ConsentRecord

    @property
    def weekday_mask(self) -> int:
        return sum(1 << day for day in set(self.weekdays))


def enrolment_from_json(data: Any) -> Enrolment:
    """The enrolment in ``data``, checked; ``EnrolmentRejected`` says what is wrong."""
    if not isinstance(data, Mapping):
        raise EnrolmentRejected(say.NOT_JSON)
    consent = data.get("consent")
    if not isinstance(consent, Mapping) or not consent:
        raise EnrolmentRejected(say.CONSENT_REQUIRED)
    schedule = _field(data, "schedule", Mapping)
    start, end = _window(schedule)
    contacts = _contacts(data)
    return Enrolment(
        name=_text(data, "name", 100),
        area=_area(_text(data, "area", 200)),
        tier=_tier(_text(data, "tier", 10)),
        weekdays=_weekdays(_field(schedule, "days", list)),
        window_start=start,
        window_end=end,
        contacts=contacts,
        consent=_consent(consent),
    )


@dataclass(frozen=True)
class EnrolmentChange:
    """What staff may change after enrolment: tier, schedule, emergency contacts."""

    tier: CheckinTier
    weekdays: tuple[int, ...]
    window_start: str
    window_end: str
    contacts: tuple[ContactGiven, ...]

    @property
    def weekday_mask(self) -> int:
        return sum(1 << day for day in set(self.weekdays))


def change_from_json(data: Any) -> EnrolmentChange:
    """``{"tier", "schedule": {"days", "window"}, "contacts"}`` checked as an enrolment's
    (every field given: the change replaces them); ``EnrolmentRejected`` says what is wrong."""
    if not isinstance(data, Mapping):
        raise EnrolmentRejected(say.NOT_JSON)
    schedule = _field(data, "schedule", Mapping)
    start, end = _window(schedule)
    return EnrolmentChange(
        tier=_tier(_text(data, "tier", 10)),
        weekdays=_weekdays(_field(schedule, "days", list)),
        window_start=start,
        window_end=end,
        contacts=_contacts(data),
    )


def store_enrolment(
    session: Session, enrolment: Enrolment, *, actor: str, now: dt.datetime, timezone: str
) -> CheckinPerson:
    """The person, their consent and contacts in the caller's transaction (flushed)."""
    consent = Consent(
        purpose="checkin",
        subject=_consent_subject(enrolment.consent.by),
        wording_version=enrolment.consent.wording_version,
        channel=enrolment.consent.how,
        given_at=enrolment.consent.at,
    )
    session.add(consent)
    session.flush()
    person = CheckinPerson(
        display_name=masked(enrolment.name),
        area=enrolment.area,
        tier=enrolment.tier,
        weekday_mask=enrolment.weekday_mask,
        window_start=enrolment.window_start,
        window_end=enrolment.window_end,
        timezone=timezone,
        status="invited",
        consent_id=consent.id,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    session.add(person)
    session.flush()
    for position, contact in enumerate(enrolment.contacts, start=1):
        session.add(
            CheckinContact(
                person_id=person.id,
                position=position,
                name=masked(contact.name),
                relation=contact.relation,
                phone=contact.phone,
            )
        )
    session.flush()
    return person


def _window(schedule: Mapping[str, Any]) -> tuple[str, str]:
    window = _field(schedule, "window", list)
    if len(window) != 2:
        raise _bad("window", say.WHY_WINDOW)
    start, end = (_clock_time(value, "window") for value in window)
    if not start < end:
        raise _bad("window", say.WHY_WINDOW_ORDER)
    return start, end


def _contacts(data: Mapping[str, Any]) -> tuple[ContactGiven, ...]:
    contacts = data.get("contacts") or []
    if not isinstance(contacts, list):
        raise _bad("contacts", say.WHY_LIST)
    if len(contacts) > 2:
        raise EnrolmentRejected(say.TOO_MANY_CONTACTS)
    return tuple(_contact(entry) for entry in contacts)


def _consent_subject(by: str) -> str:
    """'self', or 'family:<relation>' when a family member consented for the person."""
    return "self" if by in ("self", "본인") else f"family:{by}"


def _field(data: Mapping[str, Any], name: str, kind: type) -> Any:
    value = data.get(name)
    if not isinstance(value, kind):
        raise _bad(name, say.WHY_REQUIRED)
    return value


def _text(data: Mapping[str, Any], name: str, limit: int) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise _bad(name, say.WHY_REQUIRED)
    if len(value.strip()) > limit:
        raise _bad(name, say.WHY_TOO_LONG.format(limit=limit))
    return value.strip()


def _bad(field: str, why: str) -> EnrolmentRejected:
    return EnrolmentRejected(say.BAD_FIELD.format(field=field, why=why))


def _tier(given: str) -> CheckinTier:
    try:
        return tier_code(given)
    except ValueError:
        raise _bad("tier", say.WHY_TIER) from None


def _area(given: str) -> str:
    if given in AREAS:
        return given
    resolved = resolve_area(given)
    if resolved.area is None:
        raise _bad("area", say.WHY_AREA)
    return resolved.area.key


def _weekdays(days: list[Any]) -> tuple[int, ...]:
    found: list[int] = []
    for day in days:
        if isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= 6:
            found.append(day)
        elif isinstance(day, str) and day.strip()[:1] in WEEKDAYS and day.strip():
            found.append(WEEKDAYS.index(day.strip()[0]))
        else:
            raise _bad("days", say.WHY_DAYS)
    if not found:
        raise _bad("days", say.WHY_SOME_DAY)
    return tuple(sorted(set(found)))


def _clock_time(value: Any, field: str) -> str:
    try:
        given = str(value).strip()
        parsed = dt.time.fromisoformat(given if len(given) != 4 else "0" + given)
    except ValueError:
        raise _bad(field, say.WHY_CLOCK_TIME) from None
    return f"{parsed:%H:%M}"


def _contact(entry: Any) -> ContactGiven:
    if not isinstance(entry, Mapping):
        raise _bad("contacts", say.WHY_CONTACT)
    relation = entry.get("relation")
    return ContactGiven(
        name=_text(entry, "name", 100),
        relation=str(relation).strip()[:50] if relation else None,
        phone=_text(entry, "phone", 30),
    )


def _consent(data: Mapping[str, Any]) -> ConsentRecord:
    by = data.get("by")
    how = data.get("how")
    at = data.get("at")
    if not (isinstance(by, str) and by.strip() and isinstance(how, str) and at):
        raise EnrolmentRejected(say.CONSENT_REQUIRED)
    if how not in CONSENT_WAYS:
        raise _bad("consent.how", ", ".join(CONSENT_WAYS))
    try:
        when = dt.datetime.fromisoformat(str(at))
    except ValueError:
        raise _bad("consent.at", say.WHY_INSTANT) from None
    if when.tzinfo is None:
        raise _bad("consent.at", say.WHY_ZONE)
    wording = data.get("wording_version") or DEFAULT_WORDING
    return ConsentRecord(by.strip()[:150], how, when, str(wording)[:40])
