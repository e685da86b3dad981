"""Check-ins in the chat, with a real case store (SQLite and PostgreSQL): invitation links,
button and written answers, and pausing, stopping and resuming from the chat."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from actions import messages
from actions.checkin_chat import ActionCheckinAnswer, ActionGreet
from actions.checkin_request import ActionOfferCheckins
from actions.handoff import ActionEmergency
from actions.services import ActionServices
from cases import checkin_messages as said
from cases.checkin_enrolment import enrolment_from_json
from cases.models import Case, Checkin
from cases.service import CaseServices
from core.settings import Settings
from knowledge.catalog import Catalog
from tests.action_support import entity, make_tracker, run, texts
from tests.case_fixtures import SetClock
from tests.checkin_support import FakeSender, at, enrol_linked, enrolment

CHAT = "7001"
SENDER = f"telegram-{CHAT}"
TELEGRAM = {"channel": "telegram"}


@pytest.fixture
def chat(catalog: Catalog, services: CaseServices, clock: SetClock) -> ActionServices:
    return ActionServices(
        Settings(), catalog=catalog, cases=services.store, checkins=services.checkins, clock=clock
    )


def checkin_sent(services: CaseServices, clock: SetClock) -> int:
    """김순자 (chat 7001) enrolled and linked, her 12-03 check-in sent at 09:00."""
    enrol_linked(services, clock, chat=CHAT)
    counts = services.checkins.tick(at(3, 9, 5), FakeSender())
    assert counts.sent == 1
    clock.now = at(3, 9, 30)
    checkin = services.checkins.waiting_checkin(CHAT)
    assert checkin is not None
    return checkin


def concern_cases(engine: Engine) -> list[tuple[str, str]]:
    """(priority, status) of every check-in concern case."""
    query = select(Case.priority, Case.status).where(Case.kind == "checkin_concern")
    with engine.connect() as connection:
        return [(priority, status) for priority, status in connection.execute(query)]


async def test_a_deep_link_links_the_chat_and_says_how_check_ins_go(
    chat: ActionServices, services: CaseServices, clock: SetClock
) -> None:
    result = services.checkins.enrol(enrolment_from_json(enrolment()), actor="test")
    token = result.invitation.token
    tracker = make_tracker(
        f'/greet{{"start_payload": "{token}"}}',
        "greet",
        [entity("start_payload", token)],
        sender=SENDER,
        metadata=TELEGRAM,
    )
    _, dispatcher = await run(ActionGreet(chat), tracker)
    said_now = texts(dispatcher)
    assert said_now[0] == said.LINKED_PERSON.format(name="김순자")
    assert said_now[1:] == [messages.CHECKIN_HOW_IT_GOES]
    assert services.checkins.chat_status(CHAT) in ("invited", "active")
    _, again = await run(ActionGreet(chat), tracker)
    assert texts(again)[0] == said.INVITATION_USED


async def test_an_expired_link_is_said_politely_and_a_plain_start_greets(
    chat: ActionServices, services: CaseServices, clock: SetClock
) -> None:
    token = services.checkins.enrol(enrolment_from_json(enrolment()), actor="test").invitation.token
    clock.advance(days=15)
    tracker = make_tracker(
        "/greet", "greet", [entity("start_payload", token)], sender=SENDER, metadata=TELEGRAM
    )
    _, dispatcher = await run(ActionGreet(chat), tracker)
    assert texts(dispatcher) == [said.INVITATION_EXPIRED]
    assert services.checkins.chat_status(CHAT) is None
    _, plain = await run(
        ActionGreet(chat), make_tracker("/greet", "greet", sender=SENDER, metadata=TELEGRAM)
    )
    assert plain.messages == [], "utter_greet follows (nlu/data/rules.yml)"


async def test_a_good_button_is_recorded_and_thanked(
    chat: ActionServices, services: CaseServices, clock: SetClock, case_engine: Engine
) -> None:
    checkin = checkin_sent(services, clock)
    payload = f"ck:{checkin}:ok"
    tracker = make_tracker(
        f'/checkin_ok{{"checkin_payload": "{payload}"}}',
        "checkin_ok",
        [entity("checkin_payload", payload)],
        sender=SENDER,
        metadata=TELEGRAM,
    )
    _, dispatcher = await run(ActionCheckinAnswer(chat), tracker)
    assert texts(dispatcher) == [said.THANKS_OK]
    with case_engine.connect() as connection:
        state = connection.scalar(select(Checkin.state).where(Checkin.id == checkin))
    assert state == "answered"
    assert concern_cases(case_engine) == []


@pytest.mark.parametrize("code", ["need_help", "call_me"])
async def test_a_help_button_opens_a_case_and_says_honestly_when_staff_see_it(
    chat: ActionServices,
    services: CaseServices,
    clock: SetClock,
    case_engine: Engine,
    code: str,
) -> None:
    checkin = checkin_sent(services, clock)
    payload = f"ck:{checkin}:{code}"
    tracker = make_tracker(
        "/checkin_need_help",
        "checkin_need_help",
        [entity("checkin_payload", payload)],
        sender=SENDER,
        metadata=TELEGRAM,
    )
    _, dispatcher = await run(ActionCheckinAnswer(chat), tracker)
    told = messages.CHECKIN_CALL_ME_TOLD if code == "call_me" else messages.CHECKIN_HELP_TOLD
    assert texts(dispatcher)[0] == told
    assert "근무 시간" in texts(dispatcher)[1], "office hours, as handoffs say them"
    [(priority, status)] = concern_cases(case_engine)
    assert priority in ("high", "critical") and status != "closed"


async def test_a_button_of_another_chat_or_a_stale_one_records_nothing(
    chat: ActionServices, services: CaseServices, clock: SetClock, case_engine: Engine
) -> None:
    checkin = checkin_sent(services, clock)
    payload = f"ck:{checkin}:need_help"
    tracker = make_tracker(
        "/checkin_need_help",
        "checkin_need_help",
        [entity("checkin_payload", payload)],
        sender="telegram-9999",
    )
    _, dispatcher = await run(ActionCheckinAnswer(chat), tracker)
    assert texts(dispatcher) == [messages.CHECKIN_BUTTON_STALE]
    assert concern_cases(case_engine) == []


async def test_a_worrying_written_answer_opens_a_case_even_as_checkin_ok(
    chat: ActionServices, services: CaseServices, clock: SetClock, case_engine: Engine
) -> None:
    checkin_sent(services, clock)
    tracker = make_tracker(
        "잘 지내요 근데 요즘 너무 외로워요", "checkin_ok", sender=SENDER, metadata=TELEGRAM
    )
    _, dispatcher = await run(ActionCheckinAnswer(chat), tracker)
    assert texts(dispatcher)[0] == messages.CHECKIN_WORRY_TOLD
    assert len(concern_cases(case_engine)) == 1
    assert services.checkins.waiting_checkin(CHAT) is None


async def test_a_good_written_answer_closes_the_check_in(
    chat: ActionServices, services: CaseServices, clock: SetClock, case_engine: Engine
) -> None:
    checkin_sent(services, clock)
    tracker = make_tracker("네 잘 지내요", "checkin_ok", sender=SENDER, metadata=TELEGRAM)
    _, dispatcher = await run(ActionCheckinAnswer(chat), tracker)
    assert texts(dispatcher) == [said.THANKS_OK]
    assert services.checkins.waiting_checkin(CHAT) is None
    assert concern_cases(case_engine) == []


async def test_without_a_waiting_check_in_a_good_word_is_only_a_good_word(
    chat: ActionServices, services: CaseServices, clock: SetClock, case_engine: Engine
) -> None:
    enrol_linked(services, clock, chat=CHAT)
    tracker = make_tracker("잘 지내요", "checkin_ok", sender=SENDER, metadata=TELEGRAM)
    _, dispatcher = await run(ActionCheckinAnswer(chat), tracker)
    assert texts(dispatcher) == [messages.GLAD_TO_HEAR]
    assert concern_cases(case_engine) == []


async def test_pause_resume_and_stop_from_the_chat(
    chat: ActionServices, services: CaseServices, clock: SetClock
) -> None:
    enrol_linked(services, clock, chat=CHAT)
    rest = make_tracker("잠깐 쉬고 싶어요", "stop_checkins", sender=SENDER, metadata=TELEGRAM)
    _, paused = await run(ActionCheckinAnswer(chat), rest)
    assert texts(paused) == [said.PAUSED]
    assert services.checkins.chat_status(CHAT) == "paused"

    again = make_tracker("다시 받을래요", "request_checkins", sender=SENDER, metadata=TELEGRAM)
    _, resumed = await run(ActionOfferCheckins(chat), again)
    assert texts(resumed) == [said.RESUMED]
    assert services.checkins.chat_status(CHAT) == "active"

    bare = make_tracker("그만할래요", "stop_checkins", sender=SENDER, metadata=TELEGRAM)
    _, asked = await run(ActionCheckinAnswer(chat), bare)
    assert texts(asked) == [messages.PAUSE_OR_STOP]
    assert services.checkins.chat_status(CHAT) == "active", "a bare 그만 is asked about"
    buttons = [button["payload"] for button in asked.messages[0]["buttons"]]
    assert buttons == [
        '/stop_checkins{"choice":"pause"}',
        '/stop_checkins{"choice":"stop"}',
        '/stop_checkins{"choice":"keep"}',
    ]

    stop = make_tracker(
        "이제 안부 그만 받을래요", "stop_checkins", sender=SENDER, metadata=TELEGRAM
    )
    _, stopped = await run(ActionCheckinAnswer(chat), stop)
    assert texts(stopped) == [said.STOPPED]
    assert services.checkins.chat_status(CHAT) == "stopped"


async def test_stop_from_a_chat_without_check_ins_says_so(chat: ActionServices) -> None:
    tracker = make_tracker(
        "안부 확인 그만 받을래요", "stop_checkins", sender=SENDER, metadata=TELEGRAM
    )
    _, dispatcher = await run(ActionCheckinAnswer(chat), tracker)
    assert texts(dispatcher) == [messages.NO_CHECKINS_TO_STOP]


async def test_an_emergency_written_while_a_check_in_waits_is_its_answer_too(
    chat: ActionServices, services: CaseServices, clock: SetClock, case_engine: Engine
) -> None:
    checkin_sent(services, clock)
    tracker = make_tracker(
        "숨이 안 쉬어져요 살려주세요", "emergency", sender=SENDER, metadata=TELEGRAM
    )
    await run(ActionEmergency(chat), tracker)
    assert concern_cases(case_engine) == [("critical", "new")]
    assert services.checkins.waiting_checkin(CHAT) is None
