"""Handoff, fallback, emergency and check-in concern actions, with a real case store."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from sqlalchemy import Engine

from actions import messages
from actions.handoff import (
    ActionCheckinConcern,
    ActionEmergency,
    ActionFallback,
    ActionHandoff,
)
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
    )
    events, dispatcher = await run(ActionHandoff(services), tracker)
    assert events == []
    [record] = store.list_open()
    assert (record.kind, record.priority, record.status) == ("handoff", "normal", "open")
    assert record.conversation_id == "citizen-1"
    assert record.channel == "ieum"
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
    tracker = make_tracker("상담원 연결해 주세요", "request_human")
    tracker.events[-1]["metadata"] = {"channel": "telegram"}
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


async def test_a_worrying_checkin_answer_is_a_high_priority_case(
    catalog: Catalog, store: CaseStore
) -> None:
    services = make_services(catalog, store)
    tracker = make_tracker("요즘 밥을 못 먹었어요 많이 아파요", "checkin_need_help")
    _, dispatcher = await run(ActionCheckinConcern(services), tracker)
    [record] = store.list_open()
    assert (record.kind, record.priority) == ("checkin_concern", "high")
    said = texts(dispatcher)
    assert said[0] == messages.checkin_concern_received(record.id)
    assert said[-1] == messages.CHECKIN_CONCERN_SAFETY
