"""Handoff, fallback, emergency and check-in actions, with a real case store."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from sqlalchemy import Engine

from actions import messages
from actions.checkin_chat import ActionCheckinAnswer
from actions.checkin_request import ActionOfferCheckins
from actions.escalate import transcript
from actions.handoff import ActionEmergency, ActionFallback, ActionHandoff
from cases.db import create_db_engine
from cases.store import CaseStore
from knowledge.catalog import Catalog
from tests.action_support import (
    OFFICE_CLOSED,
    OFFICE_OPEN,
    bot_event,
    make_services,
    make_tracker,
    payloads,
    run,
    slot_changes,
    texts,
    user_event,
)

RRN_MESSAGE = "제 주민번호는 800101-1234567 이에요"


@pytest.fixture
def store(case_engine: Engine) -> CaseStore:
    return CaseStore(case_engine)


async def test_handoff_stores_the_masked_transcript_and_is_honest_about_hours(
    catalog: Catalog, store: CaseStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    services = make_services(catalog, store, now=OFFICE_OPEN)
    tracker = make_tracker(
        "사람이랑 직접 얘기하고 싶어요",
        "request_human",
        slots={"subject": "other", "profile": {"age": 81, "region": "부산광역시 수영구"}},
        history=[user_event(RRN_MESSAGE, "inform"), bot_event("주민등록번호는 보내지 마세요.")],
        metadata={"channel": "telegram"},
    )
    events, dispatcher = await run(ActionHandoff(services), tracker)
    assert events == []
    [record] = store.list_open()
    assert (record.kind, record.priority, record.status) == ("handoff", "normal", "new")
    assert record.conversation_id == "citizen-1"
    assert record.channel == "telegram"
    assert record.area == "부산광역시 수영구"
    assert [entry["role"] for entry in record.transcript] == ["user", "bot", "user"]
    assert record.transcript[0]["text"] == "제 주민번호는 ******-******* 이에요"
    stored = json.dumps(record.to_json(), ensure_ascii=False)
    assert "1234567" not in stored
    assert "만 81세" in record.summary
    said = texts(dispatcher)
    assert said[0] == messages.handoff_received(record.id)
    assert said[1] == messages.office_open_now()
    assert said[2] == messages.HELPLINE
    assert "직접 얘기" not in caplog.text, "logs carry ids and kinds, never message text"
    assert "800101" not in caplog.text


async def test_handoff_out_of_hours_says_when_someone_will_answer(
    catalog: Catalog, store: CaseStore
) -> None:
    services = make_services(catalog, store, now=OFFICE_CLOSED)
    tracker = make_tracker(
        "상담원 연결해 주세요", "request_human", metadata={"channel": "telegram"}
    )
    _, dispatcher = await run(ActionHandoff(services), tracker)
    assert [r.channel for r in store.list_open()] == ["telegram"]
    closed = texts(dispatcher)[1]
    assert "근무 시간(평일 오전 9시~오후 6시)이 아니에요" in closed
    assert "11월 30일 월요일 오전 9시 이후" in closed


async def test_emergency_gives_the_numbers_first_and_stores_a_critical_case(
    catalog: Catalog, store: CaseStore
) -> None:
    services = make_services(catalog, store)
    tracker = make_tracker(
        "할머니가 쓰러지셨어요",
        "emergency",
        slots={"pending_field": "age", "requested_slot": "answer"},
    )
    events, dispatcher = await run(ActionEmergency(services), tracker)
    assert texts(dispatcher) == [messages.EMERGENCY_RECORDED]
    [record] = store.list_open()
    assert (record.kind, record.priority) == ("emergency", "critical")
    assert {"event": "active_loop", "timestamp": None, "name": None} in events
    assert slot_changes(events)["requested_slot"] is None


async def test_emergency_still_answers_when_the_store_is_down(
    catalog: Catalog, tmp_path: Path
) -> None:
    unmigrated = CaseStore(create_db_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
    services = make_services(catalog, unmigrated)
    _, dispatcher = await run(ActionEmergency(services), make_tracker("불이 났어요", "emergency"))
    assert texts(dispatcher) == [messages.EMERGENCY_NOT_RECORDED]
    _, handoff = await run(ActionHandoff(services), make_tracker("사람 불러줘", "request_human"))
    assert texts(handoff) == [messages.NOT_RECORDED]


async def test_the_first_fallback_asks_to_rephrase_with_the_menu(
    catalog: Catalog, store: CaseStore
) -> None:
    services = make_services(catalog, store)
    tracker = make_tracker("ㅁㄴㅇㄹ", "nlu_fallback", history=[user_event("안녕하세요", "greet")])
    events, dispatcher = await run(ActionFallback(services), tracker)
    assert texts(dispatcher) == [messages.FALLBACK_FIRST]
    assert payloads(dispatcher) == [
        "/find_benefits",
        "/ask_program",
        "/report_blind_spot",
        "/request_human",
    ]
    assert slot_changes(events) == {"fallback_count": 1.0}
    assert store.list_open() == []


async def test_the_second_fallback_in_a_row_hands_over(catalog: Catalog, store: CaseStore) -> None:
    services = make_services(catalog, store)
    tracker = make_tracker(
        "ㅇㄹㅇㄹ",
        "nlu_fallback",
        slots={"fallback_count": 1.0},
        history=[user_event("ㅁㄴㅇㄹ", "nlu_fallback"), bot_event(messages.FALLBACK_FIRST)],
    )
    events, dispatcher = await run(ActionFallback(services), tracker)
    [record] = store.list_open()
    assert (record.kind, record.priority) == ("fallback", "normal")
    assert texts(dispatcher)[0] == messages.fallback_handoff(record.id)
    assert slot_changes(events) == {"fallback_count": 0.0}


async def test_a_fallback_after_an_understood_message_starts_counting_again(
    catalog: Catalog, store: CaseStore
) -> None:
    services = make_services(catalog, store)
    tracker = make_tracker(
        "ㅇㄹㅇㄹ",
        "nlu_fallback",
        slots={"fallback_count": 1.0},
        history=[user_event("고마워요", "thanks")],
    )
    events, dispatcher = await run(ActionFallback(services), tracker)
    assert texts(dispatcher) == [messages.FALLBACK_FIRST]
    assert slot_changes(events) == {"fallback_count": 1.0}
    assert store.list_open() == []


# --- fewer, truer escalations --------------------------------------------------------------
TELEGRAM = {"channel": "telegram"}


async def test_asking_twice_for_a_person_is_one_case(catalog: Catalog, store: CaseStore) -> None:
    services = make_services(catalog, store)
    await run(
        ActionHandoff(services), make_tracker("상담사 연결", "request_human", metadata=TELEGRAM)
    )
    _, again = await run(
        ActionHandoff(services), make_tracker("아직이에요? 사람 불러줘요", "request_human")
    )
    [record] = store.list_open()
    assert texts(again)[0] == messages.handoff_again(record.id)
    full = store.get(record.id)
    assert full is not None
    assert [event.kind for event in full.events] == ["opened", "follow_up"]
    assert "아직이에요" in full.transcript[-1]["text"]


async def test_an_emergency_followed_by_119_called_is_one_critical_case(
    catalog: Catalog, store: CaseStore
) -> None:
    services = make_services(catalog, store)
    _, first = await run(
        ActionEmergency(services), make_tracker("엄마가 쓰러지셨어요", "emergency")
    )
    _, second = await run(ActionEmergency(services), make_tracker("119 불렀어요", "emergency"))
    [record] = store.list_open()
    assert (record.kind, record.priority) == ("emergency", "critical")
    assert texts(first) == [messages.EMERGENCY_RECORDED]
    assert texts(second) == [], "the numbers went out already; nothing new to promise"


async def test_an_emergency_at_night_says_when_staff_will_see_it(
    catalog: Catalog, store: CaseStore
) -> None:
    services = make_services(catalog, store, now=OFFICE_CLOSED)
    events, dispatcher = await run(
        ActionEmergency(services), make_tracker("불이 났어요", "emergency")
    )
    [said] = texts(dispatcher)
    assert said != messages.EMERGENCY_RECORDED
    assert "11월 30일 월요일 오전 9시" in said and "지금 전화" in said
    assert slot_changes(events)["danger"] is None


@pytest.mark.parametrize("text", ["👍", "🙏🙏", "...", "😊 👍"])
async def test_a_nod_is_never_a_misunderstanding(
    catalog: Catalog, store: CaseStore, text: str
) -> None:
    services = make_services(catalog, store)
    tracker = make_tracker(
        text,
        "nlu_fallback",
        slots={"fallback_count": 1.0},
        history=[user_event("😊", "nlu_fallback"), bot_event(messages.FALLBACK_FIRST)],
    )
    events, dispatcher = await run(ActionFallback(services), tracker)
    assert store.list_open() == []
    assert texts(dispatcher) == [messages.NOD_ACKNOWLEDGED]
    assert slot_changes(events) == {"fallback_count": 0.0}


async def test_the_web_chat_is_told_to_call_not_promised_a_call_back(
    catalog: Catalog, store: CaseStore
) -> None:
    services = make_services(catalog, store)
    tracker = make_tracker("담당자랑 얘기할래요", "request_human", metadata={"channel": "webchat"})
    _, dispatcher = await run(ActionHandoff(services), tracker)
    said = texts(dispatcher)
    assert said[1] == messages.CALL_US_INSTEAD
    assert not any("연락드릴게요" in text for text in said)


# --- check-in words without a check-in -------------------------------------------------------
@pytest.mark.parametrize("intent", ["checkin_ok", "checkin_need_help", "stop_checkins"])
async def test_checkin_words_without_a_checkin_open_no_case(
    catalog: Catalog, store: CaseStore, intent: str
) -> None:
    services = make_services(catalog, store)
    _, dispatcher = await run(ActionCheckinAnswer(services), make_tracker("잘 지내요", intent))
    assert store.list_open() == []
    expected = {
        "checkin_ok": messages.GLAD_TO_HEAR,
        "checkin_need_help": messages.HARD_TIMES,
        "stop_checkins": messages.NO_CHECKINS_TO_STOP,
    }[intent]
    assert texts(dispatcher) == [expected]
    assert "/request_human" in payloads(dispatcher)


async def test_a_question_read_as_a_checkin_answer_is_answered_as_a_question(
    catalog: Catalog, store: CaseStore
) -> None:
    """'틀니 건강보험 되나요' was once answered with '다행이에요… 편안한 하루 보내세요'."""
    services = make_services(catalog, store)
    tracker = make_tracker("틀니 건강보험 되나요", "checkin_ok")
    _, dispatcher = await run(ActionCheckinAnswer(services), tracker)
    [answer] = texts(dispatcher)
    assert answer.startswith("[어르신 임플란트·틀니 건강보험]")


@pytest.mark.parametrize(
    ("region", "local"),
    [
        ("서울특별시 강서구", "gangseo_ieum_call"),
        ("광주광역시 서구", "gwangju_seogu_mobile_safe_care"),
    ],
)
async def test_asking_for_checkins_offers_the_programs_where_one_lives(
    catalog: Catalog, region: str, local: str
) -> None:
    services = make_services(catalog)
    tracker = make_tracker(
        "혼자 살아서 무서워요", "request_checkins", slots={"profile": {"region": region}}
    )
    _, dispatcher = await run(ActionOfferCheckins(services), tracker)
    offered = payloads(dispatcher)
    for program in ("ai_care_call", "solitary_death_prevention", "elderly_custom_care", local):
        assert f'/ask_program{{"program":"{program}"}}' in offered
    assert '"program":"anyang_ai_speaker_safety"' not in str(offered), "another city's program"
    assert texts(dispatcher)[-1] == messages.CHECKINS_ONLY_ON_TELEGRAM


def test_the_transcript_shows_a_pressed_button_by_its_title() -> None:
    offered = bot_event("도와드릴까요?")
    offered["data"] = {"buttons": [{"title": "동의해요", "payload": '/inform{"choice":"yes"}'}]}
    tracker = make_tracker(
        '/inform{"choice":"yes"}',
        "inform",
        history=[user_event("신고하고 싶어요", "report_blind_spot"), offered],
    )
    texts = [entry["text"] for entry in transcript(tracker, 10)]
    assert texts[-3:] == [
        "신고하고 싶어요",
        "도와드릴까요?",
        messages.BUTTON_PRESSED.format(title="동의해요"),
    ]
