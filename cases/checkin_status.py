"""A person's check-ins as staff read them: enrolment, contacts, and the latest check-ins
with their attempts, answers and the ladder step they are on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases import checkin_messages as say
from cases.models import (
    Checkin,
    CheckinAnswer,
    CheckinAttempt,
    CheckinContact,
    CheckinPerson,
    CheckinStep,
    Consent,
)


def person_status(session: Session, person_id: int, latest: int = 10) -> dict[str, Any] | None:
    """The person's record and their ``latest`` check-ins (newest first), or None."""
    person = session.get(CheckinPerson, person_id)
    if person is None:
        return None
    consent = session.get_one(Consent, person.consent_id)
    contacts = session.scalars(
        select(CheckinContact)
        .where(CheckinContact.person_id == person_id)
        .order_by(CheckinContact.position)
    )
    checkins = list(
        session.scalars(
            select(Checkin)
            .where(Checkin.person_id == person_id)
            .order_by(Checkin.slot_date.desc(), Checkin.id.desc())
            .limit(latest)
        )
    )
    return {
        "id": person.id,
        "name": person.display_name,
        "area": person.area,
        "tier": person.tier,
        "tier_label": say.TIER_LABELS[person.tier],
        "status": person.status,
        "status_label": say.STATUS_LABELS[person.status],
        "schedule": {
            "days": [day for day in range(7) if person.weekday_mask & (1 << day)],
            "window": [person.window_start, person.window_end],
            "timezone": person.timezone,
        },
        "chat_linked": person.chat_id is not None,
        "consent": {
            "by": consent.subject,
            "how": consent.channel,
            "at": consent.given_at.isoformat(),
            "wording_version": consent.wording_version,
            "withdrawn_at": _iso(consent.withdrawn_at),
        },
        "contacts": [
            {
                "position": c.position,
                "name": c.name,
                "relation": c.relation,
                "phone": c.phone,
                "chat_linked": c.chat_id is not None,
            }
            for c in contacts
        ],
        "checkins": [_checkin(session, checkin) for checkin in checkins],
    }


def _checkin(session: Session, checkin: Checkin) -> dict[str, Any]:
    attempts = session.scalars(
        select(CheckinAttempt)
        .where(CheckinAttempt.checkin_id == checkin.id)
        .order_by(CheckinAttempt.number)
    )
    answers = session.scalars(
        select(CheckinAnswer)
        .where(CheckinAnswer.checkin_id == checkin.id)
        .order_by(CheckinAnswer.id)
    )
    steps = session.scalars(
        select(CheckinStep).where(CheckinStep.checkin_id == checkin.id).order_by(CheckinStep.id)
    )
    return {
        "id": checkin.id,
        "date": checkin.slot_date.isoformat(),
        "due_at": checkin.due_at.isoformat(),
        "tier": checkin.tier,
        "state": checkin.state,
        "sends": checkin.sends,
        "attempts": checkin.attempts,
        "ladder_step": checkin.ladder_step,
        "next_action_at": _iso(checkin.next_action_at),
        "case_id": checkin.case_id,
        "answered_at": _iso(checkin.answered_at),
        "attempt_log": [
            {
                "number": a.number,
                "send": a.send_number,
                "state": a.state,
                "replaces": a.replaces,
                "recorded_at": a.recorded_at.isoformat(),
                "finished_at": _iso(a.finished_at),
                "error": a.error,
            }
            for a in attempts
        ],
        "answers": [
            {
                "at": a.at.isoformat(),
                "kind": a.kind,
                "code": a.code,
                "text": a.text,
                "flagged": a.flagged,
                "words": list(a.words),
            }
            for a in answers
        ],
        "steps": [{"step": s.step, "at": s.at.isoformat(), "case_id": s.case_id} for s in steps],
    }


def _iso(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())
