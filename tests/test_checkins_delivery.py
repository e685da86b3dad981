"""Delivery of check-ins: one check-in per slot however many ticks run (at once, on
PostgreSQL, with SKIP LOCKED), attempts recorded before sending, a worker that dies
mid-send (one more send, counted), failures retried with backoff, then an alert."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from cases.models import Checkin, CheckinAttempt
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
