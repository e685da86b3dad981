"""Claiming check-ins whose time has come, and recording how each send went.

Due rows are claimed with PostgreSQL's ``FOR UPDATE SKIP LOCKED`` in small batches, so
any number of workers share them without a coordinator and never take the same row;
SQLite (the embedded mode) has no row locks and runs one worker. For each claimed row
the claim decides in the same transaction: skip it (the person paused or stopped), wait
for the quiet hours to end, record a send, open the missed case, or climb the ladder.

Delivery semantics. A send is recorded (``checkin_attempts``, with its idempotency key)
and the row leased (``next_action_at`` moves past ``claim_lease``) *before* the message
goes out; the outcome is recorded after. A worker that dies between the two leaves an
attempt ``recorded``: when the lease runs out, the next claim marks it ``in_doubt`` and
sends once more, counted. Whether the first one reached the person cannot be known
(Telegram has no idempotent send), so that is the only way a person can get a message
twice; a check-in is never dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cases import checkin_messages as say
from cases.checkin_concerns import more_urgent, raise_concern
from cases.checkin_ladder import ContactMessage, climb, open_missed_case, record_step
from cases.checkin_policy import CheckinPolicy
from cases.checkin_sender import Button, button_payload
from cases.models import Checkin, CheckinAttempt, CheckinPerson, CheckinStep
from cases.policy import CasePolicy


@dataclass(frozen=True)
class SendOrder:
    """A recorded attempt to hand to the sender."""

    attempt_id: int
    checkin_id: int
    chat_id: str
    text: str
    buttons: tuple[Button, ...]
    resend: bool
    in_doubt: bool


@dataclass
class Claimed:
    """What one claim transaction did and what is left to send."""

    orders: list[SendOrder]
    contact_messages: list[ContactMessage]
    last_id: int | None = None
    skipped: int = 0
    deferred_quiet: int = 0
    waiting_for_sender: int = 0
    missed: int = 0
    contacts: int = 0
    critical: int = 0


def claim(
    session: Session,
    *,
    now: dt.datetime,
    after_id: int,
    can_send: bool,
    policy: CheckinPolicy,
    cases: CasePolicy,
) -> Claimed:
    """Claim the next batch (ids above ``after_id``) of check-ins whose time has come."""
    query = (
        select(Checkin, CheckinPerson)
        .join(CheckinPerson, CheckinPerson.id == Checkin.person_id)
        .where(Checkin.next_action_at <= now, Checkin.id > after_id)
        .order_by(Checkin.id)
        .limit(policy.claim_batch)
        .with_for_update(skip_locked=True, of=Checkin)
    )
    rows = session.execute(query).all()
    ids = [checkin.id for checkin, _ in rows]
    # Attempts whose worker died after recording them (the lease ran out): one query.
    recorded = {
        attempt.checkin_id: attempt
        for attempt in session.scalars(
            select(CheckinAttempt).where(
                CheckinAttempt.checkin_id.in_(ids), CheckinAttempt.state == "recorded"
            )
        )
    }
    claimed = Claimed([], [])
    planned: list[tuple[CheckinAttempt, SendOrder]] = []
    for checkin, person in rows:
        claimed.last_id = checkin.id
        in_doubt = recorded.get(checkin.id)
        plan = _decide(session, checkin, person, in_doubt, claimed, now, can_send, policy, cases)
        if plan is not None:
            planned.append(plan)
    session.flush()  # the attempts get their ids, all in one statement
    claimed.orders = [replace(order, attempt_id=attempt.id) for attempt, order in planned]
    return claimed


def _decide(
    session: Session,
    checkin: Checkin,
    person: CheckinPerson,
    in_doubt: CheckinAttempt | None,
    claimed: Claimed,
    now: dt.datetime,
    can_send: bool,
    policy: CheckinPolicy,
    cases: CasePolicy,
) -> tuple[CheckinAttempt, SendOrder] | None:
    """What to do with one claimed row; a recorded attempt and its order when it is a send."""
    if checkin.state == "missed":
        step, messages = climb(session, checkin, person, now, policy, cases)
        claimed.contacts += step == "contacts"
        claimed.critical += step == "critical"
        claimed.contact_messages.extend(messages)
        return None
    if checkin.state not in ("due", "sent"):
        checkin.next_action_at = None
        return None
    if person.status != "active" or person.chat_id is None:
        if in_doubt is not None:
            in_doubt.state = "in_doubt"
        checkin.state = "skipped"
        checkin.next_action_at = None
        checkin.updated_at = now
        claimed.skipped += 1
        return None
    ladder = policy.ladder(checkin.tier)
    if in_doubt is None and checkin.state == "sent" and checkin.sends > ladder.resends:
        open_missed_case(session, checkin, person, now, policy, cases)
        claimed.missed += 1
        return None
    if not can_send:
        claimed.waiting_for_sender += 1
        return None
    if policy.is_quiet(now):
        checkin.next_action_at = policy.first_sendable(now)
        claimed.deferred_quiet += 1
        return None
    send_number = checkin.sends if in_doubt is None else in_doubt.send_number
    if in_doubt is not None:
        in_doubt.state = "in_doubt"
    text, variant = say.checkin_text(person.display_name, person.id, checkin.slot_date, send_number)
    checkin.attempts += 1
    attempt = CheckinAttempt(
        checkin_id=checkin.id,
        number=checkin.attempts,
        send_number=send_number,
        idempotency_key=f"{checkin.idempotency_key}:{checkin.attempts}",
        state="recorded",
        replaces=None if in_doubt is None else in_doubt.number,
        variant=variant,
        recorded_at=now,
    )
    session.add(attempt)
    checkin.next_action_at = now + policy.claim_lease
    checkin.updated_at = now
    buttons = tuple(Button(label, button_payload(checkin.id, code)) for code, label in say.BUTTONS)
    order = SendOrder(
        0,
        checkin.id,
        person.chat_id,
        text,
        buttons,
        resend=send_number > 0,
        in_doubt=in_doubt is not None,
    )
    return attempt, order


def _locked(session: Session, order: SendOrder) -> tuple[Checkin, CheckinAttempt, CheckinPerson]:
    checkin = session.get_one(Checkin, order.checkin_id, with_for_update=True)
    attempt = session.get_one(CheckinAttempt, order.attempt_id)
    return checkin, attempt, session.get_one(CheckinPerson, checkin.person_id)


def record_sent(
    session: Session, order: SendOrder, message_id: str, now: dt.datetime, policy: CheckinPolicy
) -> None:
    """The messenger accepted the message."""
    checkin = session.get_one(Checkin, order.checkin_id, with_for_update=True)
    first_record = session.execute(
        update(CheckinAttempt)
        .where(CheckinAttempt.id == order.attempt_id, CheckinAttempt.state == "recorded")
        .values(state="sent", finished_at=now, message_id=str(message_id)[:64])
    ).rowcount  # type: ignore[attr-defined]
    if not first_record:
        # Its lease ran out and another worker already sent it again: that one counts.
        session.execute(
            update(CheckinAttempt)
            .where(CheckinAttempt.id == order.attempt_id)
            .values(state="sent", finished_at=now, message_id=str(message_id)[:64])
        )
        return
    checkin.sends += 1
    checkin.failures = 0
    checkin.updated_at = now
    if checkin.state in ("due", "sent"):
        checkin.state = "sent"
        ladder = policy.ladder(checkin.tier)
        wait = ladder.resend_every if checkin.sends <= ladder.resends else ladder.answer_wait
        checkin.next_action_at = now + wait


def record_failed(
    session: Session,
    order: SendOrder,
    error: str,
    now: dt.datetime,
    policy: CheckinPolicy,
    cases: CasePolicy,
) -> bool:
    """The send failed and will be tried again with backoff; True when this failure put
    the check-in in front of a person (``alert_after`` failures in a row)."""
    checkin, attempt, person = _locked(session, order)
    attempt.state = "failed"
    attempt.finished_at = now
    attempt.error = error[:200]
    if checkin.state not in ("due", "sent"):
        return False
    checkin.failures += 1
    checkin.next_action_at = now + policy.failure_backoff(checkin.failures)
    checkin.updated_at = now
    if checkin.failures < policy.alert_after_failures or _has_step(session, checkin, "failing"):
        return False
    ladder = policy.ladder(checkin.tier)
    checkin.case_id = raise_concern(
        session,
        person=person,
        priority=ladder.case_priority,
        summary=say.failing_summary(person.display_name, checkin.tier, checkin.failures),
        detail={"checkin": checkin.id, "step": "failing", "error": attempt.error},
        now=now,
        policy=cases,
    )
    step = checkin.ladder_step
    record_step(session, checkin, "failing", now, {"failures": checkin.failures})
    checkin.ladder_step = step
    return True


def record_blocked(
    session: Session, order: SendOrder, now: dt.datetime, policy: CheckinPolicy, cases: CasePolicy
) -> None:
    """The chat blocked the bot: no more sends, an alert case at once."""
    checkin, attempt, person = _locked(session, order)
    attempt.state = "failed"
    attempt.finished_at = now
    attempt.error = "blocked"
    ladder = policy.ladder(checkin.tier)
    checkin.case_id = raise_concern(
        session,
        person=person,
        priority=more_urgent(ladder.case_priority, "high"),
        summary=say.blocked_summary(person.display_name, checkin.tier),
        detail={"checkin": checkin.id, "step": "blocked"},
        now=now,
        policy=cases,
    )
    checkin.state = "escalated"
    checkin.next_action_at = None
    record_step(session, checkin, "blocked", now)


def _has_step(session: Session, checkin: Checkin, step: str) -> bool:
    query = select(CheckinStep.id).where(
        CheckinStep.checkin_id == checkin.id, CheckinStep.step == step
    )
    return session.scalars(query).first() is not None
