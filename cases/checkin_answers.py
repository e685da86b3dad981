"""Recording a check-in's answer, and what it sets off.

Every answer is kept (a second one may say more than the first). Any answer stops the
ladder. 잘 지내요 closes the check-in; 도움이 필요해요, 전화해 주세요, a worrying word or
the chat's ``checkin_need_help`` intent opens a case at once (at least high); an
emergency (the chat's ``emergency`` intent, or an emergency word) opens it critical, and
the person is told to call 119/109 now. A late answer to a check-in whose case is
already open is added to that case: the worker still closes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases import checkin_messages as say
from cases.checkin_concerns import more_urgent, raise_concern
from cases.checkin_ladder import record_step
from cases.checkin_policy import CheckinPolicy
from cases.checkin_words import read_answer
from cases.events import SYSTEM_ACTOR, append_event
from cases.masking import masked
from cases.models import (
    ButtonCode,
    Case,
    Checkin,
    CheckinAnswer,
    CheckinPerson,
    CheckinStep,
    LadderStep,
    Priority,
)
from cases.policy import CasePolicy

NEED_HELP_INTENT = "checkin_need_help"
EMERGENCY_INTENT = "emergency"


@dataclass(frozen=True)
class AnswerOutcome:
    """What the person is told, and the case the answer opened or joined (if any)."""

    reply: str
    checkin_id: int
    flagged: bool
    emergency: bool
    case_id: int | None
    words: tuple[str, ...] = ()


def record_button(
    session: Session,
    checkin: Checkin,
    person: CheckinPerson,
    code: ButtonCode,
    now: dt.datetime,
    policy: CheckinPolicy,
    cases: CasePolicy,
) -> AnswerOutcome:
    """A pressed button (caller's transaction, the check-in locked)."""
    flagged = code != "ok"
    session.add(
        CheckinAnswer(
            checkin_id=checkin.id, at=now, kind="button", code=code, flagged=flagged, words=[]
        )
    )
    if not flagged:
        _answered(session, checkin, now, "ok")
        return AnswerOutcome(say.THANKS_OK, checkin.id, False, False, checkin.case_id)
    case_id = _concern(
        session, checkin, person, now, policy, cases, "high", say.button_summary(code), "flagged"
    )
    reply = say.THANKS_CALL_ME if code == "call_me" else say.THANKS_NEED_HELP
    return AnswerOutcome(reply, checkin.id, True, False, case_id)


def record_text(
    session: Session,
    checkin: Checkin,
    person: CheckinPerson,
    text: str,
    intent: str | None,
    now: dt.datetime,
    policy: CheckinPolicy,
    cases: CasePolicy,
) -> AnswerOutcome:
    """Words written back (caller's transaction, the check-in locked); ``intent`` is the
    chat's reading of them, when it has one."""
    reading = read_answer(text)
    emergency = intent == EMERGENCY_INTENT or bool(reading.emergency)
    flagged = emergency or reading.flagged or intent == NEED_HELP_INTENT
    session.add(
        CheckinAnswer(
            checkin_id=checkin.id,
            at=now,
            kind="text",
            text=masked(text),
            intent=intent,
            flagged=flagged,
            words=list(reading.words),
        )
    )
    if not flagged:
        _answered(session, checkin, now, "text")
        return AnswerOutcome(say.THANKS_OK, checkin.id, False, False, checkin.case_id)
    what = say.words_summary(reading.words) if reading.words else say.button_summary("need_help")
    priority: Priority = "critical" if emergency else "high"
    step: LadderStep = "emergency" if emergency else "flagged"
    transcript = [{"role": "user", "text": masked(text), "at": now.isoformat()}]
    case_id = _concern(
        session, checkin, person, now, policy, cases, priority, what, step, transcript
    )
    reply = say.EMERGENCY_NOW if emergency else say.THANKS_WORRIED
    return AnswerOutcome(reply, checkin.id, True, emergency, case_id, reading.words)


def _answered(session: Session, checkin: Checkin, now: dt.datetime, how: str) -> None:
    if checkin.answered_at is None:
        checkin.answered_at = now
    if checkin.state in ("due", "sent", "missed"):
        checkin.state = "answered"
    checkin.next_action_at = None
    checkin.updated_at = now
    if checkin.case_id is not None:
        case = session.get_one(Case, checkin.case_id)
        if case.status != "closed":
            detail = {"checkin": checkin.id, "answer": how}
            append_event(session, case, "checkin_answered", SYSTEM_ACTOR, detail, now)


def _concern(
    session: Session,
    checkin: Checkin,
    person: CheckinPerson,
    now: dt.datetime,
    policy: CheckinPolicy,
    cases: CasePolicy,
    least: Priority,
    what: str,
    step: LadderStep,
    transcript: list[dict[str, str]] | None = None,
) -> int:
    priority = more_urgent(policy.ladder(checkin.tier).case_priority, least)
    checkin.case_id = raise_concern(
        session,
        person=person,
        priority=priority,
        summary=say.answer_summary(person.display_name, checkin.tier, what),
        detail={"checkin": checkin.id, "step": step},
        now=now,
        policy=cases,
        transcript=transcript,
    )
    if checkin.answered_at is None:
        checkin.answered_at = now
    checkin.state = "escalated"
    checkin.next_action_at = None
    checkin.updated_at = now
    if step not in _steps_taken(session, checkin):
        record_step(session, checkin, step, now)
    return checkin.case_id


def _steps_taken(session: Session, checkin: Checkin) -> set[str]:
    query = select(CheckinStep.step).where(CheckinStep.checkin_id == checkin.id)
    return set(session.scalars(query))
