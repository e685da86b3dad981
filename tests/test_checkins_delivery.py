"""Delivery of check-ins: one check-in per slot however many ticks run (at once, on
PostgreSQL, with SKIP LOCKED), attempts recorded before sending, accepted sends recorded
together (at the batch's end, after a second or after enough of them), a worker that
dies mid-send (one more send, counted), failures retried with backoff, then an alert."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from cases.checkin_delivery import SendOrder, SentRecords, claim
from cases.checkin_sender import Button, SendUnanswered
from cases.checkin_service import Checkins
from cases.db import session_factory
from cases.models import Checkin, CheckinAttempt, CheckinPerson
from cases.service import CaseServices
from tests.case_fixtures import SetClock
from tests.checkin_support import FakeSender, WorkerDied, at, enrol_linked


def latest(services: CaseServices, person: int) -> dict[str, Any]:
    found = services.checkins.status(person, actor="test")
    assert found is not None
    checkin: dict[str, Any] = found["checkins"][0]
    return checkin


def count(engine: Engine, model: Any) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model)) or 0


def attempts_by_chat(engine: Engine) -> dict[str, list[tuple[str, str | None]]]:
    """Each chat's attempts in order: (state, message id)."""
    query = (
        select(CheckinPerson.chat_id, CheckinAttempt.state, CheckinAttempt.message_id)
        .join(Checkin, Checkin.id == CheckinAttempt.checkin_id)
        .join(CheckinPerson, CheckinPerson.id == Checkin.person_id)
        .order_by(CheckinAttempt.id)
    )
    found: dict[str, list[tuple[str, str | None]]] = {}
    with engine.connect() as connection:
        for chat, state, message_id in connection.execute(query):
            found.setdefault(str(chat), []).append((state, message_id))
    return found


def enrol_three(services: CaseServices, clock: SetClock) -> list[str]:
    """Three people linked to chats 5000–5002 (claimed in that order); their chats."""
    chats = [str(5000 + n) for n in range(3)]
    for chat in chats:
        enrol_linked(services, clock, chat=chat)
    return chats


class DiesAt(FakeSender):
    """The worker dies (``WorkerDied``) when it is about to send to ``chat``."""

    def __init__(self, chat: str) -> None:
        super().__init__()
        self.dying_chat = chat

    def send(self, chat_id: str, text: str, buttons: tuple[Button, ...]) -> str:
        if chat_id == self.dying_chat:
            raise WorkerDied
        return super().send(chat_id, text, buttons)


class FakeTimer:
    """A monotonic clock that stands still until a test moves it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def claimed_orders(services: CaseServices, when: dt.datetime) -> list[SendOrder]:
    """Claim what is due, recording its attempts, without sending."""
    with session_factory(services.engine).begin() as session:
        return claim(
            session,
            now=when,
            after_id=0,
            can_send=True,
            policy=services.checkins.policy,
            cases=services.checkins.case_policy,
        ).orders


def sent_states(services: CaseServices) -> list[str]:
    """The state of each chat's first attempt, in the order they were recorded."""
    return [states[0][0] for states in attempts_by_chat(services.engine).values()]


def test_ticking_twice_creates_and_sends_each_slot_once(
    services: CaseServices, clock: SetClock
) -> None:
    enrol_linked(services, clock)
    sender = FakeSender()
    first = services.checkins.tick(at(3, 9, 30), sender)
    again = services.checkins.tick(at(3, 9, 30), sender)
    assert (first.created, first.sent) == (1, 1)
    assert (again.created, again.sent) == (0, 0)
    assert count(services.engine, Checkin) == 1 and len(sender.sent) == 1


def test_a_slot_missed_while_no_tick_ran_is_still_created(
    services: CaseServices, clock: SetClock
) -> None:
    person = enrol_linked(services, clock)
    # Nothing ran on the 3rd; after midnight the 3rd's slot is created and sent at 08:00.
    counts = services.checkins.tick(at(4, 8, 30), FakeSender())
    assert counts.created == 1, "the 4th is not due before 09:00"
    assert latest(services, person)["date"] == "2026-12-03"


def test_the_attempt_is_recorded_before_the_send(services: CaseServices, clock: SetClock) -> None:
    person = enrol_linked(services, clock)
    seen: list[list[dict[str, Any]]] = []

    class Peeking(FakeSender):
        def send(self, chat_id: str, text: str, buttons: Any) -> str:
            seen.append(latest(services, person)["attempt_log"])
            return super().send(chat_id, text, buttons)

    services.checkins.tick(at(3, 9), Peeking())
    assert [a["state"] for a in seen[0]] == ["recorded"]
    assert [a["state"] for a in latest(services, person)["attempt_log"]] == ["sent"]
    with services.engine.connect() as connection:
        key = connection.scalar(select(CheckinAttempt.idempotency_key))
    assert key == f"{person}:2026-12-03:1"


def test_a_worker_dying_mid_send_loses_nothing_and_resends_once_counted(
    services: CaseServices, clock: SetClock
) -> None:
    person = enrol_linked(services, clock)
    sender = FakeSender()
    sender.die = True
    with pytest.raises(WorkerDied):
        services.checkins.tick(at(3, 9), sender)
    sender.die = False
    assert services.checkins.tick(at(3, 9, 1), sender).sent == 0, "leased to the dead worker"
    counts = services.checkins.tick(at(3, 9, 5), sender)
    assert (counts.sent, counts.in_doubt_resent, counts.resent) == (1, 1, 0)
    checkin = latest(services, person)
    assert (checkin["sends"], checkin["attempts"]) == (1, 2)
    assert [(a["state"], a["replaces"]) for a in checkin["attempt_log"]] == [
        ("in_doubt", None),
        ("sent", 1),
    ]
    again = services.checkins.tick(at(3, 9, 6), sender)
    assert (again.sent, again.in_doubt_resent) == (0, 0), "once more, not again and again"
    # The ladder goes on from the send that was recorded.
    assert services.checkins.tick(at(3, 9, 25), sender).resent == 1


def test_failed_sends_are_retried_with_backoff_then_put_before_a_person(
    services: CaseServices, clock: SetClock
) -> None:
    person = enrol_linked(services, clock)
    sender = FakeSender()
    sender.failures = 5
    alerts = 0
    for minute in (0, 1, 3, 7, 15):
        counts = services.checkins.tick(at(3, 9, minute), sender)
        assert counts.failed == 1, minute
        alerts += counts.alerts
    assert alerts == 1
    checkin = latest(services, person)
    assert checkin["ladder_step"] is None and checkin["state"] == "due"
    assert [s["step"] for s in checkin["steps"]] == ["failing"]
    case = services.store.get(checkin["case_id"])
    assert case is not None and case.kind == "checkin_concern"
    assert services.checkins.tick(at(3, 9, 30), sender).sent == 0
    assert services.checkins.tick(at(3, 9, 31), sender).sent == 1, "16 minutes after the 5th"


@pytest.mark.parametrize("case_database_url", ["postgresql"], indirect=True)
def test_two_workers_at_once_create_and_send_each_slot_once(
    services: CaseServices, clock: SetClock, case_engine: Engine
) -> None:
    """Several workers need row locks: PostgreSQL only (SQLite runs one worker)."""
    people = [enrol_linked(services, clock, chat=str(5000 + n)) for n in range(40)]
    sender = FakeSender()
    start = threading.Barrier(2)
    results: list[Any] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            results.append(services.checkins.tick(at(3, 9, 30), sender))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sum(r.created for r in results) == len(people)
    assert sum(r.sent for r in results) == len(people)
    assert sorted(chat for chat, _, _ in sender.sent) == sorted(str(5000 + n) for n in range(40))
    assert count(services.engine, Checkin) == len(people)
    assert count(services.engine, CheckinAttempt) == len(people)


def test_an_attempt_in_doubt_of_someone_who_paused_is_not_sent_again(
    services: CaseServices, clock: SetClock
) -> None:
    person = enrol_linked(services, clock)
    sender = FakeSender()
    sender.die = True
    with pytest.raises(WorkerDied):
        services.checkins.tick(at(3, 9), sender)
    sender.die = False
    services.checkins.set_status(person, "paused", "test")
    counts = services.checkins.tick(at(3, 9, 5), sender)
    assert (counts.sent, counts.skipped) == (0, 1)
    assert [a["state"] for a in latest(services, person)["attempt_log"]] == ["in_doubt"]


def test_a_batch_of_sends_is_recorded_with_each_message_id(
    services: CaseServices, clock: SetClock
) -> None:
    chats = enrol_three(services, clock)
    sender = FakeSender()
    counts = services.checkins.tick(at(3, 9), sender)
    assert counts.sent == 3
    given = {chat: str(n) for n, (chat, _, _) in enumerate(sender.sent, start=1)}
    assert attempts_by_chat(services.engine) == {chat: [("sent", given[chat])] for chat in chats}
    with services.engine.connect() as connection:
        rows = connection.execute(select(Checkin.state, Checkin.sends, Checkin.next_action_at))
        # 위험: the first resend 20 minutes after the send.
        assert {(r.state, r.sends, r.next_action_at) for r in rows} == {("sent", 1, at(3, 9, 20))}


def test_a_send_failing_mid_batch_leaves_the_others_recorded_and_is_retried(
    services: CaseServices, clock: SetClock
) -> None:
    first, failing, last = enrol_three(services, clock)

    class FailsOnce(FakeSender):
        failed = False

        def send(self, chat_id: str, text: str, buttons: tuple[Button, ...]) -> str:
            if chat_id == failing and not self.failed:
                self.failed = True
                raise TimeoutError
            return super().send(chat_id, text, buttons)

    sender = FailsOnce()
    counts = services.checkins.tick(at(3, 9), sender)
    assert (counts.sent, counts.failed) == (2, 1)
    states = attempts_by_chat(services.engine)
    assert [state for state, _ in states[first]] == ["sent"]
    assert [state for state, _ in states[failing]] == ["failed"]
    assert [state for state, _ in states[last]] == ["sent"]
    again = services.checkins.tick(at(3, 9, 1), sender)
    assert again.sent == 1, "retried a minute later"
    assert [len(sender.to(chat)) for chat in (first, failing, last)] == [1, 1, 1]


def test_a_slow_failing_send_does_not_hold_the_records_of_the_sends_before_it(
    services: CaseServices, clock: SetClock
) -> None:
    first, slow, last = enrol_three(services, clock)
    seen: list[list[str]] = []

    class SlowToFail(FakeSender):
        def send(self, chat_id: str, text: str, buttons: tuple[Button, ...]) -> str:
            if chat_id == slow:
                time.sleep(services.checkins.policy.sent_records_seconds)
                raise TimeoutError
            if chat_id == last:
                seen.append([state for state, _ in attempts_by_chat(services.engine)[first]])
            return super().send(chat_id, text, buttons)

    counts = services.checkins.tick(at(3, 9), SlowToFail())
    assert (counts.sent, counts.failed) == (2, 1)
    assert seen == [["sent"]], "recorded before the next send, not at the batch's end"


def test_an_error_escaping_the_send_loop_records_the_sends_before_it(
    services: CaseServices, clock: SetClock
) -> None:
    first, dying, last = enrol_three(services, clock)
    with pytest.raises(WorkerDied):
        services.checkins.tick(at(3, 9), DiesAt(dying))
    states = attempts_by_chat(services.engine)
    assert [state for state, _ in states[first]] == ["sent"], "recorded on the way out"
    assert [state for state, _ in states[dying]] == ["recorded"]
    assert [state for state, _ in states[last]] == ["recorded"], "claimed, never sent"
    sender = FakeSender()
    counts = services.checkins.tick(at(3, 9, 5), sender)
    assert (counts.sent, counts.in_doubt_resent) == (2, 2)
    assert sorted(chat for chat, _, _ in sender.sent) == [dying, last]


def test_a_worker_killed_before_its_batch_was_recorded_resends_it_once_counted(
    services: CaseServices, clock: SetClock
) -> None:
    """Killed between sending and recording (nothing runs on the way out): the sends of
    the batch are in doubt and go once more after the lease."""
    chats = enrol_three(services, clock)
    checkins = services.checkins
    assert checkins.tick(at(3, 9), None).waiting_for_sender == 3  # created, not sent
    sender = FakeSender()
    for order in claimed_orders(services, at(3, 9)):
        sender.send(order.chat_id, order.text, order.buttons)  # and the worker is killed
    assert checkins.tick(at(3, 9, 4), sender).sent == 0, "leased to the killed worker"
    counts = checkins.tick(at(3, 9, 5), sender)
    assert (counts.sent, counts.in_doubt_resent, counts.resent) == (3, 3, 0)
    assert [len(sender.to(chat)) for chat in chats] == [2, 2, 2]
    states = attempts_by_chat(services.engine)
    assert {chat: [state for state, _ in states[chat]] for chat in chats} == {
        chat: ["in_doubt", "sent"] for chat in chats
    }
    assert checkins.tick(at(3, 9, 6), sender).sent == 0, "once more, not again and again"


def test_sends_are_recorded_once_the_oldest_waited_a_second(
    services: CaseServices, clock: SetClock
) -> None:
    enrol_three(services, clock)
    services.checkins.tick(at(3, 9), None)
    orders = claimed_orders(services, at(3, 9))
    timer = FakeTimer()
    policy = services.checkins.policy
    assert policy.sent_records_seconds == 1
    records = SentRecords(session_factory(services.engine), at(3, 9), policy, timer)
    records.add(orders[0], "m1")
    timer.now = 0.6
    records.add(orders[1], "m2")
    assert sent_states(services) == ["recorded"] * 3
    timer.now = 1.0
    records.add(orders[2], "m3")
    assert sent_states(services) == ["sent"] * 3


def test_sends_are_recorded_once_enough_wait(services: CaseServices, clock: SetClock) -> None:
    enrol_three(services, clock)
    services.checkins.tick(at(3, 9), None)
    orders = claimed_orders(services, at(3, 9))
    policy = dataclasses.replace(services.checkins.policy, sent_records_sends=2)
    records = SentRecords(session_factory(services.engine), at(3, 9), policy, FakeTimer())
    records.add(orders[0], "m1")
    assert sent_states(services) == ["recorded"] * 3
    records.add(orders[1], "m2")
    assert sent_states(services) == ["sent", "sent", "recorded"]
    records.add(orders[2], "m3")
    assert sent_states(services) == ["sent", "sent", "recorded"], "waits for the batch's end"
    records.flush()
    assert sent_states(services) == ["sent"] * 3


def test_a_send_that_got_no_answer_is_repeated_once_and_counted(
    services: CaseServices, clock: SetClock
) -> None:
    first, unanswered, last = enrol_three(services, clock)

    class TakenButUnanswered(FakeSender):
        """Takes the message for ``unanswered`` the first time but never answers."""

        answered = False

        def send(self, chat_id: str, text: str, buttons: tuple[Button, ...]) -> str:
            message_id = super().send(chat_id, text, buttons)
            if chat_id == unanswered and not self.answered:
                self.answered = True
                raise SendUnanswered("ReadTimeout")
            return message_id

    sender = TakenButUnanswered()
    counts = services.checkins.tick(at(3, 9), sender)
    assert (counts.sent, counts.failed, counts.unanswered) == (2, 1, 1)
    assert [state for state, _ in attempts_by_chat(services.engine)[unanswered]] == ["recorded"]
    again = services.checkins.tick(at(3, 9, 1), sender)
    assert (again.sent, again.in_doubt_resent) == (1, 1), "the repeat is counted"
    assert [state for state, _ in attempts_by_chat(services.engine)[unanswered]] == [
        "in_doubt",
        "sent",
    ]
    assert [len(sender.to(chat)) for chat in (first, unanswered, last)] == [1, 2, 1]
    assert services.checkins.tick(at(3, 9, 2), sender).sent == 0, "never a third time"


def test_a_worker_s_pass_leases_each_batch_from_the_clock_of_its_claim(
    services: CaseServices, clock: SetClock
) -> None:
    """A pass of many batches takes minutes: a later batch's lease and reminder count
    from when it was claimed, not from the start of the pass."""
    enrol_three(services, clock)
    one_at_a_time = dataclasses.replace(services.checkins.policy, claim_batch=1)
    worker = Checkins(services.engine, clock, services.policy, one_at_a_time)

    class SlowSender(FakeSender):
        def send(self, chat_id: str, text: str, buttons: tuple[Button, ...]) -> str:
            clock.advance(minutes=10)  # each send takes ten minutes of the clock
            return super().send(chat_id, text, buttons)

    clock.now = at(3, 9, 5)
    assert worker.tick(sender=SlowSender()).sent == 3
    with services.engine.connect() as connection:
        recorded = connection.execute(
            select(CheckinAttempt.recorded_at).order_by(CheckinAttempt.checkin_id)
        ).scalars()
        claimed_at = [moment.astimezone(at(3, 9).tzinfo) for moment in recorded]
    assert claimed_at == [at(3, 9, 5), at(3, 9, 15), at(3, 9, 25)]
