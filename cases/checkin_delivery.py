"""Claiming check-ins whose time has come, and recording how each send went.

Due rows are claimed with PostgreSQL's ``FOR UPDATE SKIP LOCKED`` in batches
(``claim_batch``), so any number of workers share them without a coordinator and never
take the same row; SQLite (the embedded mode) has no row locks and runs one worker. For
each claimed row the claim decides in the same transaction: skip it (the person paused
or stopped), wait for the quiet hours to end, record a send, open the missed case, or
climb the ladder. Sends, the common case, are recorded for the whole batch with one
insert and one update, from plain rows; the ladder's rarer steps go through the ORM.

Delivery semantics. A send is recorded (``checkin_attempts``, with its idempotency key)
and the row leased (``next_action_at`` moves past ``claim_lease``) *before* the message
goes out. The sends the messenger accepted are marked sent together (``SentRecords``,
one transaction): when the claimed batch is done, or once the oldest of them has waited
``sent_records.seconds`` (1 s) or ``sent_records.sends`` (200) wait, whichever comes
first. A failed or blocked send is recorded at once, in its own transaction. A worker
that dies between a send and its record leaves the attempt ``recorded``: when the lease
runs out, the next claim marks it ``in_doubt`` and sends once more, counted
(``in_doubt_resent``). So a killed worker makes people get twice only the sends of its
last second or so (about 20 at Telegram's pace, never more than ``sent_records.sends``)
and the one in flight; the rest of its batch, claimed but not sent yet, goes out after
the lease (counted in doubt too, though it never went). An error that escapes the send
loop, rather than a kill, records the accepted sends on its way out. A send that went
out but got no answer (``SendUnanswered``: a read timeout, a dropped connection) is
treated the same way: its attempt stays ``recorded``, and the retry after the backoff
repeats it as in doubt, counted. Whether a first send reached the person cannot be known
(Telegram has no idempotent send), so those are the only ways a person can get a message
twice; a check-in is never dropped.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias, cast

from sqlalchemy import ColumnElement, Row, Table, bindparam, case, insert, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from cases import checkin_messages as say
from cases.checkin_concerns import more_urgent, raise_concern
from cases.checkin_ladder import ContactMessage, climb, open_missed_case, record_step
from cases.checkin_policy import CheckinPolicy
from cases.checkin_sender import Button, button_payload
from cases.models import Checkin, CheckinAttempt, CheckinPerson, CheckinStep
from cases.policy import CasePolicy

Action = Literal["climb", "close", "skip", "open_case", "wait_for_sender", "defer_quiet", "send"]
"""What a claim does with one claimed check-in (``_action``)."""
Fields: TypeAlias = "Row[*tuple[Any, ...]]"
"""A row of selected columns, read by name."""
CLAIMED_COLUMNS = (
    Checkin.id,
    Checkin.person_id,
    Checkin.slot_date,
    Checkin.idempotency_key,
    Checkin.tier,
    Checkin.state,
    Checkin.sends,
    Checkin.attempts,
    CheckinPerson.status,
    CheckinPerson.chat_id,
    CheckinPerson.display_name,
)
"""What a claim reads of a check-in and its person: plain rows, no ORM objects."""
NO_OBJECTS = {"synchronize_session": False}
"""For updates of rows no ORM object in the session stands for (the ladder's objects
are other check-ins; attempts are never loaded as objects here): none to bring up to date."""


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
        select(*CLAIMED_COLUMNS)
        .join(CheckinPerson, CheckinPerson.id == Checkin.person_id)
        .where(Checkin.next_action_at <= now, Checkin.id > after_id)
        .order_by(Checkin.id)
        .limit(policy.claim_batch)
        .with_for_update(skip_locked=True, of=Checkin)
    )
    rows = session.execute(query).all()
    claimed = Claimed([], [])
    if not rows:
        return claimed
    claimed.last_id = rows[-1].id
    recorded = _recorded_attempts(session, _ids(rows))
    quiet = policy.is_quiet(now)
    chosen: dict[Action, list[Fields]] = defaultdict(list)
    for row in rows:
        chosen[_action(row, row.id in recorded, can_send, quiet, policy)].append(row)
    _carry_out(session, chosen, recorded, claimed, now, policy, cases)
    return claimed


def _carry_out(
    session: Session,
    chosen: dict[Action, list[Fields]],
    recorded: dict[int, Fields],
    claimed: Claimed,
    now: dt.datetime,
    policy: CheckinPolicy,
    cases: CasePolicy,
) -> None:
    """Do what was chosen for the claimed rows: a statement or two for each kind of
    action, the ladder's steps one by one; the sends' orders go into ``claimed``."""
    claimed.waiting_for_sender = len(chosen["wait_for_sender"])
    claimed.deferred_quiet = len(chosen["defer_quiet"])
    claimed.skipped = len(chosen["skip"])
    _set(session, _ids(chosen["defer_quiet"]), next_action_at=policy.first_sendable(now))
    _set(session, _ids(chosen["close"]), next_action_at=None)
    _set(session, _ids(chosen["skip"]), state="skipped", next_action_at=None, updated_at=now)
    repeated = [recorded[row.id] for row in chosen["skip"] + chosen["send"] if row.id in recorded]
    _mark_in_doubt(session, [attempt.id for attempt in repeated])
    _ladder(session, chosen["climb"], chosen["open_case"], claimed, now, policy, cases)
    claimed.orders = _record_attempts(session, chosen["send"], recorded, now, policy)


def _among(column: InstrumentedAttribute[int], ids: Sequence[int]) -> ColumnElement[bool]:
    """``column IN (ids)``, the ids (integers the database gave) written into the
    statement: as bound parameters a batch's hundreds would each be passed, and psycopg
    parses a statement with more than 50 of them anew every time."""
    return column.in_(bindparam(None, list(ids), expanding=True, literal_execute=True))


def _ids(rows: Sequence[Fields]) -> list[int]:
    return [row.id for row in rows]


def _recorded_attempts(session: Session, checkin_ids: list[int]) -> dict[int, Fields]:
    """By check-in: the attempt still ``recorded`` (its worker died after recording it
    and the lease ran out), if any; one query for the batch."""
    query = select(
        CheckinAttempt.id,
        CheckinAttempt.checkin_id,
        CheckinAttempt.number,
        CheckinAttempt.send_number,
    ).where(_among(CheckinAttempt.checkin_id, checkin_ids), CheckinAttempt.state == "recorded")
    return {row.checkin_id: row for row in session.execute(query)}


def _action(
    row: Fields, in_doubt: bool, can_send: bool, quiet: bool, policy: CheckinPolicy
) -> Action:
    """What to do with one claimed row (``in_doubt``: it has an attempt still recorded)."""
    if row.state == "missed":
        return "climb"
    if row.state not in ("due", "sent"):
        return "close"
    if row.status != "active" or row.chat_id is None:
        return "skip"
    if not in_doubt and row.state == "sent" and row.sends > policy.ladder(row.tier).resends:
        return "open_case"
    if not can_send:
        return "wait_for_sender"
    if quiet:
        return "defer_quiet"
    return "send"


def _set(session: Session, ids: Sequence[int], **values: Any) -> None:
    """Give the check-ins ``ids`` the same ``values``, in one statement."""
    if ids:
        statement = update(Checkin).where(_among(Checkin.id, ids)).values(**values)
        session.execute(statement, execution_options=NO_OBJECTS)


def _mark_in_doubt(session: Session, attempt_ids: list[int]) -> None:
    if attempt_ids:
        statement = (
            update(CheckinAttempt)
            .where(_among(CheckinAttempt.id, attempt_ids))
            .values(state="in_doubt")
        )
        session.execute(statement, execution_options=NO_OBJECTS)


def _ladder(
    session: Session,
    climbing: Sequence[Fields],
    missed: Sequence[Fields],
    claimed: Claimed,
    now: dt.datetime,
    policy: CheckinPolicy,
    cases: CasePolicy,
) -> None:
    """The ladder's steps (rare, and each opens or changes a case): through the ORM, the
    rows' objects loaded in one query."""
    climbing_ids = {row.id for row in climbing}
    ids = [*climbing_ids, *(row.id for row in missed)]
    if not ids:
        return
    query = (
        select(Checkin, CheckinPerson)
        .join(CheckinPerson, CheckinPerson.id == Checkin.person_id)
        .where(_among(Checkin.id, ids))
        .order_by(Checkin.id)
    )
    for checkin, person in session.execute(query):
        if checkin.id not in climbing_ids:
            open_missed_case(session, checkin, person, now, policy, cases)
            claimed.missed += 1
            continue
        step, messages = climb(session, checkin, person, now, policy, cases)
        claimed.contacts += step == "contacts"
        claimed.critical += step == "critical"
        claimed.contact_messages.extend(messages)


def _record_attempts(
    session: Session,
    rows: Sequence[Fields],
    recorded: dict[int, Fields],
    now: dt.datetime,
    policy: CheckinPolicy,
) -> list[SendOrder]:
    """Record an attempt for each row to send (one insert) and lease the rows (one
    update); the orders for the sender."""
    if not rows:
        return []
    planned = [_plan(row, recorded.get(row.id), now) for row in rows]
    # A check-in has one new attempt: its id is found by the check-in's, in any order.
    attempts = cast(Table, CheckinAttempt.__table__)  # the table itself: no ORM per row
    inserted = insert(attempts).returning(attempts.c.checkin_id, attempts.c.id)
    values = [attempt for attempt, _ in planned]
    ids: dict[int, int] = {row.checkin_id: row.id for row in session.execute(inserted, values)}
    _set(
        session,
        _ids(rows),
        attempts=Checkin.attempts + 1,
        next_action_at=now + policy.claim_lease,
        updated_at=now,
    )
    return [
        _order(row, ids[row.id], text, attempt)
        for row, (attempt, text) in zip(rows, planned, strict=True)
    ]


def _plan(row: Fields, in_doubt: Fields | None, now: dt.datetime) -> tuple[dict[str, Any], str]:
    """The attempt to record for one send (a repeat of ``in_doubt`` if given) and the
    text to send."""
    send_number = row.sends if in_doubt is None else in_doubt.send_number
    text, variant = say.checkin_text(row.display_name, row.person_id, row.slot_date, send_number)
    number = row.attempts + 1
    attempt = {
        "checkin_id": row.id,
        "number": number,
        "send_number": send_number,
        "idempotency_key": f"{row.idempotency_key}:{number}",
        "state": "recorded",
        "replaces": None if in_doubt is None else in_doubt.number,
        "variant": variant,
        "recorded_at": now,
    }
    return attempt, text


def _order(row: Fields, attempt_id: int, text: str, attempt: dict[str, Any]) -> SendOrder:
    buttons = tuple(Button(label, button_payload(row.id, code)) for code, label in say.BUTTONS)
    return SendOrder(
        attempt_id,
        row.id,
        row.chat_id,
        text,
        buttons,
        resend=attempt["send_number"] > 0,
        in_doubt=attempt["replaces"] is not None,
    )


def record_sends(
    session: Session,
    sends: Sequence[tuple[SendOrder, str]],
    now: dt.datetime,
    policy: CheckinPolicy,
) -> None:
    """The messenger accepted these messages (with these message ids), each of another
    check-in: their attempts marked sent and their check-ins moved on, in a few
    statements. An attempt no longer ``recorded`` (its lease ran out and another worker
    sent it again: that send counts) only gets its message id."""
    if not sends:
        return
    locked = (
        select(Checkin.id, Checkin.state, Checkin.tier, Checkin.sends)
        .where(_among(Checkin.id, [order.checkin_id for order, _ in sends]))
        .order_by(Checkin.id)
        .with_for_update()
    )
    checkins = {row.id: row for row in session.execute(locked)}
    message_ids = {order.attempt_id: message for order, message in sends}
    # Read after the check-ins are locked: no claim can mark one in doubt meanwhile.
    still_recorded = select(CheckinAttempt.id).where(
        _among(CheckinAttempt.id, list(message_ids)), CheckinAttempt.state == "recorded"
    )
    first = set(session.scalars(still_recorded))
    marked = (
        update(CheckinAttempt)
        .where(_among(CheckinAttempt.id, list(message_ids)))
        .values(
            state="sent",
            finished_at=now,
            message_id=case(message_ids, value=CheckinAttempt.id),
        )
    )
    session.execute(marked, execution_options=NO_OBJECTS)
    counted = [checkins[order.checkin_id] for order, _ in sends if order.attempt_id in first]
    _count_sends(session, counted, now, policy)


def _count_sends(
    session: Session, rows: Sequence[Fields], now: dt.datetime, policy: CheckinPolicy
) -> None:
    """One more send of each check-in of ``rows``; while one waits for an answer, the
    ladder's next look: the next resend, or after the last the wait for the answer. One
    statement for each next look (a handful: they depend on the tier and the send)."""
    looks: dict[dt.datetime | None, list[int]] = defaultdict(list)
    for row in rows:
        looks[_next_look(row, now, policy)].append(row.id)
    for look, ids in looks.items():
        # None: answered (or closed) meanwhile, its state and next look stay as they are.
        moved = {} if look is None else {"state": "sent", "next_action_at": look}
        _set(session, ids, sends=Checkin.sends + 1, failures=0, updated_at=now, **moved)


def _next_look(row: Fields, now: dt.datetime, policy: CheckinPolicy) -> dt.datetime | None:
    if row.state not in ("due", "sent"):
        return None
    ladder = policy.ladder(row.tier)
    return now + (ladder.resend_every if row.sends + 1 <= ladder.resends else ladder.answer_wait)


class SentRecords:
    """Sends the messenger accepted, waiting to be recorded together (``record_sends``):
    recorded by ``flush`` (at the end of a claimed batch), or as soon as ``policy``'s
    ``sent_records_sends`` wait or the oldest has waited ``sent_records_seconds``. The
    age is looked at after each accepted send and before each send (``flush_if_old``),
    so a slow or failing send does not hold the records of earlier ones."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        now: dt.datetime,
        policy: CheckinPolicy,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._now = now
        self._policy = policy
        self._clock = clock
        self._waiting: list[tuple[SendOrder, str]] = []
        self._since = 0.0

    def add(self, order: SendOrder, message_id: str) -> None:
        if not self._waiting:
            self._since = self._clock()
        self._waiting.append((order, str(message_id)[:64]))
        if len(self._waiting) >= self._policy.sent_records_sends:
            self.flush()
        else:
            self.flush_if_old()

    def flush_if_old(self) -> None:
        old = self._clock() - self._since >= self._policy.sent_records_seconds
        if self._waiting and old:
            self.flush()

    def flush(self) -> None:
        """Record what waits, in one transaction. What a failing flush held is not tried
        again: those attempts stay ``recorded`` and are sent once more after the lease."""
        waiting, self._waiting = self._waiting, []
        if waiting:
            with self._sessions.begin() as session:
                record_sends(session, waiting, self._now, self._policy)


def _locked(session: Session, order: SendOrder) -> tuple[Checkin, CheckinAttempt, CheckinPerson]:
    checkin = session.get_one(Checkin, order.checkin_id, with_for_update=True)
    attempt = session.get_one(CheckinAttempt, order.attempt_id)
    return checkin, attempt, session.get_one(CheckinPerson, checkin.person_id)


def record_failed(
    session: Session,
    order: SendOrder,
    error: str,
    now: dt.datetime,
    policy: CheckinPolicy,
    cases: CasePolicy,
    *,
    perhaps_delivered: bool = False,
) -> bool:
    """The send failed and will be tried again with backoff; True when this failure put
    the check-in in front of a person (``alert_after`` failures in a row). A send that
    went out with no answer (``perhaps_delivered``) leaves its attempt ``recorded``, as a
    worker that died would: the next claim repeats it as in doubt, counted."""
    checkin, attempt, person = _locked(session, order)
    if not perhaps_delivered:
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
