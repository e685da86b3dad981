"""The check-in tick on SQLite and PostgreSQL with a set clock: every tier's ladder for
silence, worrying answers, blocked chats, quiet hours, holidays, pause."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cases import checkin_messages as say
from cases.checkin_sender import button_payload
from cases.service import CaseServices
from tests.case_fixtures import SetClock
from tests.checkin_support import FakeSender, at, enrol_linked, enrolment


def tick(services: CaseServices, clock: SetClock, when: dt.datetime, sender: FakeSender) -> Any:
    clock.now = when
    return services.checkins.tick(when, sender)


def latest(services: CaseServices, person: int) -> dict[str, Any]:
    found = services.checkins.status(person, actor="test")
    assert found is not None
    checkin: dict[str, Any] = found["checkins"][0]
    return checkin


@pytest.mark.parametrize("tier", ["danger", "caution", "watch"])
def test_silence_climbs_the_ladder_at_the_tiers_times(
    services: CaseServices, clock: SetClock, tier: str
) -> None:
    policy = services.checkins.policy
    ladder = policy.ladder(tier)
    thursdays = {"days": ["목"], "window": ["09:00", "09:01"]}
    person = enrol_linked(services, clock, tier=tier, schedule=thursdays)
    sender = FakeSender()
    first = at(3, 9)
    counts = tick(services, clock, first, sender)
    assert (counts.created, counts.sent) == (1, 1)
    assert latest(services, person)["state"] == "sent"

    last_send = first
    for number in range(1, ladder.resends + 1):
        due = first + ladder.resend_every * number
        assert tick(services, clock, due - dt.timedelta(minutes=1), sender).sent == 0
        counts = tick(services, clock, due, sender)
        assert (counts.sent, counts.resent) == (1, 1), number
        last_send = due
    assert len(sender.to("1001")) == 1 + ladder.resends
    assert sender.to("1001")[1] != sender.to("1001")[0], "a reminder is worded as one"

    case_at = last_send + ladder.answer_wait
    assert tick(services, clock, case_at - dt.timedelta(minutes=1), sender).missed == 0
    assert tick(services, clock, case_at, sender).missed == 1
    checkin = latest(services, person)
    assert (checkin["state"], checkin["ladder_step"]) == ("missed", "case")
    case = services.store.get(checkin["case_id"])
    assert case is not None
    assert (case.kind, case.priority, case.area) == (
        "checkin_concern",
        ladder.case_priority,
        "서울특별시 강서구 화곡1동",
    )
    assert len(sender.to("1001")) == 1 + ladder.resends, "no more messages after the case"

    contacts_at = policy.contacts_at(tier, case_at)
    assert tick(services, clock, contacts_at - dt.timedelta(minutes=1), sender).contacts == 0
    assert tick(services, clock, contacts_at, sender).contacts == 1
    assert latest(services, person)["ladder_step"] == "contacts"

    critical_at = contacts_at + ladder.critical_after
    assert tick(services, clock, critical_at - dt.timedelta(minutes=1), sender).critical == 0
    assert tick(services, clock, critical_at, sender).critical == 1
    case = services.store.get(checkin["case_id"])
    assert case is not None and case.priority == "critical"
    assert [e.kind for e in case.events] == [
        "opened",
        "checkin_contacts",
        "priority_raised",
        "checkin_critical",
    ]
    steps = [step["step"] for step in latest(services, person)["steps"]]
    assert steps == ["case", "contacts", "critical"]
    assert latest(services, person)["next_action_at"] is None


def test_the_ladder_tells_linked_contacts_and_stops_when_the_case_is_closed(
    services: CaseServices, clock: SetClock
) -> None:
    clock.now = at(2, 18)
    from cases.checkin_enrolment import enrolment_from_json

    result = services.checkins.enrol(enrolment_from_json(enrolment()), actor="test")
    services.checkins.redeem(result.invitation.token, "1001")
    reply = services.checkins.redeem(result.contact_invitations[1].token, "2002")
    assert "박영희님" in reply
    sender = FakeSender()
    tick(services, clock, at(3, 9), sender)
    for minute in (20, 40, 60, 90):
        tick(services, clock, at(3, 9) + dt.timedelta(minutes=minute), sender)
    assert tick(services, clock, at(3, 12, 30), sender).contact_messages == 1
    assert "김순자님께서 안부 확인에 답이 없으셔서" in sender.to("2002")[0]

    # The next day's check-in: no answer either, but a worker closes the case meanwhile.
    tick(services, clock, at(4, 9), sender)
    for minute in (20, 40, 60, 90):
        tick(services, clock, at(4, 9) + dt.timedelta(minutes=minute), sender)
    checkin = latest(services, result.person_id)
    assert checkin["state"] == "missed"
    case_id = checkin["case_id"]
    assert case_id == latest(services, result.person_id)["case_id"]
    services.store.set_status(case_id, "closed", "kim")
    assert tick(services, clock, at(4, 12, 30), sender).contacts == 0
    assert latest(services, result.person_id)["next_action_at"] is None


def test_one_open_case_per_person_gathers_follow_ups(
    services: CaseServices, clock: SetClock
) -> None:
    person = enrol_linked(services, clock)
    sender = FakeSender()
    for day in (3, 4):
        tick(services, clock, at(day, 9), sender)
        for minute in (20, 40, 60, 90):
            tick(services, clock, at(day, 9) + dt.timedelta(minutes=minute), sender)
    open_cases = [c for c in services.store.list_open() if c.kind == "checkin_concern"]
    assert len(open_cases) == 1
    assert "follow_up" in [e.kind for e in open_cases[0].events]
    assert latest(services, person)["case_id"] == open_cases[0].id


@pytest.mark.parametrize(
    ("code", "reply"), [("need_help", say.THANKS_NEED_HELP), ("call_me", say.THANKS_CALL_ME)]
)
def test_a_worrying_button_opens_a_case_at_once_and_stops_the_ladder(
    services: CaseServices, clock: SetClock, code: Any, reply: str
) -> None:
    person = enrol_linked(services, clock, tier="관심")
    sender = FakeSender()
    tick(services, clock, at(3, 9), sender)
    checkin = latest(services, person)
    clock.now = at(3, 9, 5)
    outcome = services.checkins.answer_button("1001", button_payload(checkin["id"], code))
    assert outcome is not None and outcome.flagged and outcome.reply == reply
    case = services.store.get(outcome.case_id or 0)
    assert case is not None and case.priority == "high", "관심 is normal, a plea at least high"
    assert latest(services, person)["state"] == "escalated"
    assert tick(services, clock, at(3, 23), sender).sent == 0, "no reminders after an answer"


def test_fine_closes_the_checkin_without_a_case(services: CaseServices, clock: SetClock) -> None:
    person = enrol_linked(services, clock)
    sender = FakeSender()
    tick(services, clock, at(3, 9), sender)
    payload = sender.sent[0][2][0].payload
    assert sender.sent[0][2][0].label == "잘 지내요"
    assert services.checkins.answer_button("9999", payload) is None, "another chat's button"
    outcome = services.checkins.answer_button("1001", payload)
    assert outcome is not None and not outcome.flagged and outcome.case_id is None
    assert latest(services, person)["state"] == "answered"
    assert tick(services, clock, at(3, 13), sender).sent == 0
    assert services.store.list_open() == []


@pytest.mark.parametrize(
    ("text", "intent", "words"),
    [
        ("네 잘 지내요. 근데 어제 밥을 못 먹었어요", "checkin_ok", ("못 먹었다",)),
        ("요즘 너무 외로워요", None, ("외롭다",)),
        ("허리가 아파요", "checkin_ok", ("아프다",)),
        ("좀 와 주세요", "checkin_need_help", ()),
    ],
)
def test_worrying_words_flag_an_answer_whatever_the_intent(
    services: CaseServices, clock: SetClock, text: str, intent: str | None, words: tuple[str, ...]
) -> None:
    person = enrol_linked(services, clock)
    tick(services, clock, at(3, 9), FakeSender())
    outcome = services.checkins.answer_text("1001", text, intent)
    assert outcome is not None and outcome.flagged and outcome.words == words
    assert outcome.reply == say.THANKS_WORRIED
    case = services.store.get(outcome.case_id or 0)
    assert case is not None and case.kind == "checkin_concern" and case.priority == "high"
    assert latest(services, person)["answers"][0]["flagged"]


def test_an_emergency_answer_is_critical_and_says_call_now(
    services: CaseServices, clock: SetClock
) -> None:
    enrol_linked(services, clock, tier="관심")
    tick(services, clock, at(3, 9), FakeSender())
    outcome = services.checkins.answer_text("1001", "살려주세요 주민번호 900101-1234567", None)
    assert outcome is not None and outcome.emergency and outcome.reply == say.EMERGENCY_NOW
    case = services.store.get(outcome.case_id or 0)
    assert case is not None and case.priority == "critical"
    assert "1234567" not in str(case.transcript)


def test_plain_words_are_an_answer_and_no_checkin_means_none(
    services: CaseServices, clock: SetClock
) -> None:
    enrol_linked(services, clock)
    assert services.checkins.answer_text("1001", "잘 지내요", "checkin_ok") is None
    tick(services, clock, at(3, 9), FakeSender())
    outcome = services.checkins.answer_text("1001", "잘 지내요. 고마워요", "checkin_ok")
    assert outcome is not None and not outcome.flagged


def test_a_blocked_chat_is_an_alert_case_not_a_silent_skip(
    services: CaseServices, clock: SetClock
) -> None:
    person = enrol_linked(services, clock, tier="주의")
    sender = FakeSender()
    sender.blocked.add("1001")
    counts = tick(services, clock, at(3, 9), sender)
    assert counts.blocked == 1
    checkin = latest(services, person)
    assert (checkin["state"], checkin["ladder_step"]) == ("escalated", "blocked")
    case = services.store.get(checkin["case_id"])
    assert case is not None and case.priority == "high" and "차단" in case.summary


def test_quiet_hours_hold_a_send_until_morning(services: CaseServices, clock: SetClock) -> None:
    person = enrol_linked(services, clock, schedule={"days": ["목"], "window": ["22:00", "22:01"]})
    sender = FakeSender()
    counts = tick(services, clock, at(3, 22), sender)
    assert (counts.created, counts.sent, counts.deferred_quiet) == (1, 0, 1)
    assert tick(services, clock, at(4, 7, 59), sender).sent == 0
    assert tick(services, clock, at(4, 8), sender).sent == 1
    assert latest(services, person)["state"] == "sent"


def test_a_reminder_waits_out_the_quiet_hours(services: CaseServices, clock: SetClock) -> None:
    enrol_linked(
        services, clock, tier="관심", schedule={"days": ["목"], "window": ["20:00", "20:01"]}
    )
    sender = FakeSender()
    tick(services, clock, at(3, 20), sender)
    assert tick(services, clock, at(3, 22), sender).deferred_quiet == 1
    assert tick(services, clock, at(4, 8), sender).resent == 1


def test_holidays_skip_calm_tiers_but_not_danger(services: CaseServices, clock: SetClock) -> None:
    fridays = {"days": ["금"], "window": ["09:00", "09:01"]}
    calm = enrol_linked(services, clock, chat="1001", tier="주의", schedule=fridays)
    danger = enrol_linked(services, clock, chat="1002", tier="위험", schedule=fridays)
    sender = FakeSender()
    counts = tick(services, clock, at(25, 9), sender)  # 성탄절, a Friday
    assert (counts.created, counts.holiday_skipped) == (1, 1)
    assert sender.to("1001") == [] and len(sender.to("1002")) == 1
    found = services.checkins.status(calm, actor="test")
    assert found is not None and found["checkins"] == []
    assert latest(services, danger)["date"] == "2026-12-25"


def test_only_scheduled_days_and_active_people_get_checkins(
    services: CaseServices, clock: SetClock
) -> None:
    person = enrol_linked(services, clock, schedule={"days": ["금"], "window": ["09:00", "09:01"]})
    sender = FakeSender()
    assert tick(services, clock, at(3, 10), sender).created == 0, "Thursday"
    assert services.checkins.set_status(person, "paused", "test")
    assert tick(services, clock, at(4, 10), sender).created == 0, "paused"
    assert services.checkins.set_status(person, "active", "test")
    assert tick(services, clock, at(4, 10), sender).created == 1


def test_a_pause_skips_a_checkin_not_yet_sent(services: CaseServices, clock: SetClock) -> None:
    person = enrol_linked(services, clock)
    assert services.checkins.tick(at(3, 9), None).waiting_for_sender == 1
    services.checkins.set_status(person, "stopped", "test")
    counts = tick(services, clock, at(3, 9, 1), FakeSender())
    assert (counts.skipped, counts.sent) == (1, 0)
    assert latest(services, person)["state"] == "skipped"


def test_an_invited_person_without_a_chat_gets_nothing(
    services: CaseServices, clock: SetClock
) -> None:
    from cases.checkin_enrolment import enrolment_from_json

    clock.now = at(2, 18)
    services.checkins.enrol(enrolment_from_json(enrolment()), actor="test")
    assert tick(services, clock, at(3, 10), FakeSender()).created == 0


def test_a_late_answer_stops_the_ladder_and_joins_the_open_case(
    services: CaseServices, clock: SetClock
) -> None:
    person = enrol_linked(services, clock, schedule={"days": ["목"], "window": ["09:00", "09:01"]})
    sender = FakeSender()
    tick(services, clock, at(3, 9), sender)
    for minute in (20, 40, 60, 90):
        tick(services, clock, at(3, 9) + dt.timedelta(minutes=minute), sender)
    checkin = latest(services, person)
    assert checkin["state"] == "missed"
    clock.now = at(3, 11)
    payload = sender.sent[-1][2][0].payload
    outcome = services.checkins.answer_button("1001", payload)
    assert outcome is not None and outcome.case_id == checkin["case_id"]
    assert latest(services, person)["state"] == "answered"
    assert tick(services, clock, at(3, 12, 30), sender).contacts == 0
    case = services.store.get(checkin["case_id"])
    assert case is not None and case.status == "new", "the worker closes it"
    assert [e.kind for e in case.events] == ["opened", "checkin_answered"]


def test_pause_resume_and_stop_from_the_chat(services: CaseServices, clock: SetClock) -> None:
    person = enrol_linked(services, clock)
    assert services.checkins.set_status_by_chat("1001", "paused") == say.PAUSED
    assert tick(services, clock, at(3, 10), FakeSender()).created == 0
    assert services.checkins.set_status_by_chat("1001", "active") == say.RESUMED
    assert tick(services, clock, at(3, 10), FakeSender()).created == 1
    assert services.checkins.set_status_by_chat("1001", "stopped") == say.STOPPED
    assert services.checkins.set_status_by_chat("1001", "active") is None
    assert services.checkins.set_status_by_chat("7777", "paused") is None
    found = services.checkins.status(person, actor="test")
    assert found is not None and found["status"] == "stopped"
    assert found["consent"]["withdrawn_at"] is not None


def test_the_chat_can_ask_which_checkin_waits(services: CaseServices, clock: SetClock) -> None:
    enrol_linked(services, clock)
    assert services.checkins.waiting_checkin("1001") is None
    sender = FakeSender()
    tick(services, clock, at(3, 9), sender)
    waiting = services.checkins.waiting_checkin("1001")
    assert waiting is not None and services.checkins.waiting_checkin("1002") is None
    services.checkins.answer_button("1001", sender.sent[0][2][0].payload)
    assert services.checkins.waiting_checkin("1001") is None
