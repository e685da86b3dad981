"""The escalation ladder of an unanswered check-in, one step at a time.

sent, no answer → re-sent ``resends`` times, ``resend_minutes`` apart (delivery does the
sends) → ``answer_minutes`` after the last one, still none: a concern case in the area's
queue with the tier's priority (state ``missed``) → the emergency contacts are told
(``contacts``) → the case becomes critical (``critical_hours`` later). A worker who closes
the case stops the ladder; so does any answer. Each step is a ``checkin_steps`` row (at
most one of each) and an event in the case's log, in one transaction with the check-in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases import checkin_messages as say
from cases.checkin_concerns import escalate_case, raise_concern
from cases.checkin_policy import CheckinPolicy
from cases.events import SYSTEM_ACTOR, append_event
from cases.models import Case, Checkin, CheckinContact, CheckinPerson, CheckinStep, LadderStep
from cases.policy import CasePolicy


@dataclass(frozen=True)
class ContactMessage:
    """A message for an emergency contact whose chat is linked, sent after the commit."""

    chat_id: str
    text: str


def record_step(
    session: Session,
    checkin: Checkin,
    step: LadderStep,
    now: dt.datetime,
    detail: Mapping[str, object] | None = None,
) -> None:
    checkin.ladder_step = step
    checkin.updated_at = now
    session.add(
        CheckinStep(
            checkin_id=checkin.id,
            step=step,
            at=now,
            case_id=checkin.case_id,
            detail=dict(detail or {}),
        )
    )


def open_missed_case(
    session: Session,
    checkin: Checkin,
    person: CheckinPerson,
    now: dt.datetime,
    policy: CheckinPolicy,
    cases: CasePolicy,
) -> None:
    """No answer after every send: the case in the queue, then wait for the contacts step."""
    ladder = policy.ladder(checkin.tier)
    checkin.case_id = raise_concern(
        session,
        person=person,
        priority=ladder.case_priority,
        summary=say.missed_summary(person.display_name, checkin.tier, checkin.sends),
        detail={"checkin": checkin.id, "step": "case", "sends": checkin.sends},
        now=now,
        policy=cases,
    )
    checkin.state = "missed"
    record_step(session, checkin, "case", now, {"sends": checkin.sends})
    checkin.next_action_at = policy.contacts_at(checkin.tier, now)


def climb(
    session: Session,
    checkin: Checkin,
    person: CheckinPerson,
    now: dt.datetime,
    policy: CheckinPolicy,
    cases: CasePolicy,
) -> tuple[LadderStep | None, list[ContactMessage]]:
    """The next step above the queue for a missed check-in whose time has come: the step
    taken (None: the case was closed, the ladder stops) and messages for contacts."""
    case = session.get_one(Case, checkin.case_id, with_for_update=True)
    if case.status == "closed":
        checkin.next_action_at = None
        return None, []
    if checkin.ladder_step == "case":
        contacts = list(
            session.scalars(
                select(CheckinContact)
                .where(CheckinContact.person_id == person.id)
                .order_by(CheckinContact.position)
            )
        )
        messages = [
            ContactMessage(
                c.chat_id, say.CONTACT_ALERT.format(contact=c.name, name=person.display_name)
            )
            for c in contacts
            if c.chat_id is not None
        ]
        detail = {"checkin": checkin.id, "contacts": len(contacts), "messaged": len(messages)}
        append_event(session, case, "checkin_contacts", SYSTEM_ACTOR, detail, now)
        record_step(session, checkin, "contacts", now, detail)
        checkin.next_action_at = now + policy.ladder(checkin.tier).critical_after
        return "contacts", messages
    escalate_case(session, case, "critical", now, cases)
    append_event(session, case, "checkin_critical", SYSTEM_ACTOR, {"checkin": checkin.id}, now)
    record_step(session, checkin, "critical", now)
    checkin.next_action_at = None
    return "critical", []
