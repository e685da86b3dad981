"""Whole conversations as a Telegram user: the Bot API emulator, the real bot process, the
real Rasa server and the real action server, each conversation in a chat of its own."""

from __future__ import annotations

import re
from typing import Any

from actions import messages as action_messages
from bot import messages as bot_messages
from cases.store import EscalationRecord
from core.privacy import MASK
from ieum.emulated_stack import ANSWER_BUTTONS, DONT_KNOW, TYPED_ANSWERS, Chat, Turn
from tests.e2e_fixtures import E2E_MARKS, RunningStack, user_texts

pytestmark = E2E_MARKS

MAX_FINDER_TURNS = 12
# The finder asks about her age first, then about the household's income.
MOTHER_ALONE = "어머니가 혼자 사시는데 받을 수 있는 지원이 있을까요"
WON = re.compile(r"\d[\d,]*원")
RRN = "800101-1234567"


def asked(turn: Turn) -> list[str]:
    """The profile fields the bot asks about in this turn."""
    return turn.asked()


def asked_one(turn: Turn) -> str | None:
    """The one field asked in this turn (None: no question); never two at once."""
    fields = asked(turn)
    assert len(fields) <= 1 and turn.text.count("?") <= 1, f"two questions: {turn.text!r}"
    return fields[0] if fields else None


async def answer(chat: Chat, turn: Turn, field: str) -> Turn:
    if field in TYPED_ANSWERS:
        return await chat.say(TYPED_ANSWERS[field])
    title = ANSWER_BUTTONS.get(field, DONT_KNOW)
    return await chat.press(turn, title if turn.with_button(title) else DONT_KNOW)


async def answer_until(chat: Chat, turn: Turn, stop_at: str | None = None) -> Turn:
    """Answer each question sensibly until the finder asks ``stop_at`` or shows results."""
    for _ in range(MAX_FINDER_TURNS):
        field = asked_one(turn)
        if field is None or field == stop_at:
            return turn
        turn = await answer(chat, turn, field)
    raise AssertionError(f"still asking after {MAX_FINDER_TURNS} answers: {turn.text!r}")


def support_line(results: Turn, name: str) -> str | None:
    """What the results say a program gives ('1. 기초연금 — 월 최대 342,510원')."""
    found = re.search(rf"^\d+\. {re.escape(name)} — (.*)$", results.text, re.MULTILINE)
    return found.group(1) if found else None


def escalations_of(stack: RunningStack, chat: Chat) -> list[EscalationRecord]:
    return stack.escalations(chat.sender)


def tracker(stack: RunningStack, chat: Chat) -> dict[str, Any]:
    return stack.tracker(chat.sender)


async def test_benefit_finder_reaches_eligible_programs(running_stack: RunningStack) -> None:
    chat = Chat(running_stack.emulator, 7001)
    greeting = await chat.start()
    assert greeting.with_button("받을 수 있는 지원 찾기") is not None

    first = await chat.say(MOTHER_ALONE)
    assert asked_one(first) is not None, first.text
    results = await answer_until(chat, first)

    assert "받으실 수 있는 지원이" in results.text, results.text
    support = {name: support_line(results, name) for name in ("기초연금", "생계급여")}
    assert all(line and WON.search(line) for line in support.values()), support
    detail = await chat.press(results, "기초연금")
    assert "· 맞는 이유: " in detail.text and "만 73세" in detail.text, detail.text


async def test_program_question_says_where_to_apply(running_stack: RunningStack) -> None:
    chat = Chat(running_stack.emulator, 7002)
    reply = await chat.say("기초연금은 어디서 신청해요")
    assert "[기초연금]" in reply.text, reply.text
    where = re.search(r"^· 신청: (.*)$", reply.text, re.MULTILINE)
    assert where is not None, reply.text
    assert "행정복지센터" in where.group(1) or "국민연금공단" in where.group(1)


async def test_a_correction_mid_form_updates_the_profile(running_stack: RunningStack) -> None:
    chat = Chat(running_stack.emulator, 7003)
    first = await chat.say(MOTHER_ALONE)
    income = await answer_until(chat, first, stop_at="monthly_income")
    assert asked_one(income) == "monthly_income", income.text
    assert tracker(running_stack, chat)["slots"]["profile"]["age"] == 73

    corrected = await chat.say("아 그리고 나이는 일흔다섯이에요, 소득은 월 40만원")
    assert "만 75세" in corrected.text, corrected.text
    assert asked_one(corrected) not in ("age", "monthly_income"), corrected.text
    profile = tracker(running_stack, chat)["slots"]["profile"]
    assert (profile["age"], profile["monthly_income"]) == (75, 400_000)

    results = await answer_until(chat, corrected)
    assert support_line(results, "기초연금") is not None, results.text
    detail = await chat.press(results, "기초연금")
    assert "만 75세" in detail.text and "월 400,000원" in detail.text, detail.text
    assert "만 73세" not in detail.text


async def test_handoff_tells_when_and_records_an_escalation(running_stack: RunningStack) -> None:
    chat = Chat(running_stack.emulator, 7004)
    reply = await chat.say("상담사랑 얘기하고 싶어요")
    assert "근무 시간" in reply.text, reply.text

    [escalation] = escalations_of(running_stack, chat)
    assert (escalation.kind, escalation.priority, escalation.status) == (
        "handoff",
        "normal",
        "new",
    )
    assert escalation.channel == "telegram"
    assert f"접수 번호는 {escalation.id}번" in reply.text


async def test_an_emergency_mid_form_answers_at_once(running_stack: RunningStack) -> None:
    chat = Chat(running_stack.emulator, 7005)
    first = await chat.say("제가 받을 수 있는 지원이 있나요?")
    assert asked_one(first) is not None, first.text

    reply = await chat.say("죽고 싶어요")
    assert "109" in reply.text
    assert "119" in reply.text
    assert asked(reply) == [], reply.text

    [escalation] = escalations_of(running_stack, chat)
    assert (escalation.kind, escalation.priority) == ("emergency", "critical")
    assert not tracker(running_stack, chat)["active_loop"].get("name")


async def test_a_resident_number_is_masked_everywhere(running_stack: RunningStack) -> None:
    chat = Chat(running_stack.emulator, 7006)
    reply = await chat.say(f"제 주민번호는 {RRN} 이에요")
    assert bot_messages.RRN_NOTICE in reply.text
    assert action_messages.NOTHING_TO_CHANGE not in reply.text, "the notice is enough"
    # A handoff copies the conversation into the case store too.
    await chat.say("상담사랑 얘기하고 싶어요")
    [escalation] = escalations_of(running_stack, chat)
    assert any(MASK in entry["text"] for entry in escalation.transcript), escalation.transcript
    assert any(MASK in text for text in user_texts(tracker(running_stack, chat)))

    stored = str([r.to_json() for r in running_stack.cases.list_open(include_closed=True)])
    for part in RRN.split("-"):
        assert running_stack.redis_keys_holding(part) == []
        assert part not in stored
        assert running_stack.logs_holding(part) == []


async def test_a_restarted_bot_carries_on_the_conversation(running_stack: RunningStack) -> None:
    chat = Chat(running_stack.emulator, 7007)
    first = await chat.say("제가 받을 수 있는 지원이 있나요?")
    first_field = asked_one(first)
    assert first_field in TYPED_ANSWERS, first.text
    second = await answer(chat, first, first_field)
    second_field = asked_one(second)
    assert second_field in TYPED_ANSWERS and second_field != first_field, second.text

    await running_stack.restart("bot")

    third = await answer(chat, second, second_field)
    third_field = asked_one(third)
    assert third_field not in (None, first_field, second_field), third.text
    state = tracker(running_stack, chat)
    assert state["active_loop"].get("name") == "benefit_form"
    assert {first_field, second_field} <= set(state["slots"]["profile"])
    said = [
        "제가 받을 수 있는 지원이 있나요?",
        TYPED_ANSWERS[first_field],
        TYPED_ANSWERS[second_field],
    ]
    assert user_texts(state) == said
