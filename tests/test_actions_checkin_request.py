"""Asking for check-ins in the chat, with a real case store (SQLite and PostgreSQL): the
request form one question at a time, what reaches the console's approval, and the
answers that need no form (web chat, a parent, already enrolled, waiting, paused); and a
check-in's button pressed in the middle of another form."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from actions import messages
from actions.checkin_request import (
    ActionAskCheckinRequestAnswer,
    ActionOfferCheckins,
    ValidateCheckinRequestForm,
)
from actions.checkin_request_steps import (
    CONSENT_NO,
    CONSENT_YES,
    DAY,
    EDIT,
    EDIT_STEP,
    FILE,
    TIME,
)
from actions.reports import ActionAskReportAnswer, ActionReportIntake, ValidateReportForm
from actions.services import ActionServices
from cases import checkin_messages as said
from cases.access import Viewer
from cases.models import AuditEntry, Checkin, CheckinPerson, Consent
from cases.service import CaseServices
from core.settings import Settings
from knowledge.catalog import Catalog
from tests.action_support import Dialogue, entity
from tests.case_fixtures import HWAGOK1, SetClock
from tests.checkin_support import FakeSender, at, enrol_linked

CHAT = "7002"
SENDER = f"telegram-{CHAT}"
HWAGOK1_SAID = "강서구 화곡1동"


def chat_services(catalog: Catalog, services: CaseServices, clock: SetClock) -> ActionServices:
    return ActionServices(
        Settings(),
        catalog=catalog,
        cases=services.store,
        reports=services.reports,
        checkins=services.checkins,
        checkin_requests=services.checkin_requests,
        clock=clock,
    )


def press(value: str) -> tuple[str, list[dict[str, Any]]]:
    payload = "/inform" + json.dumps({"choice": value}, ensure_ascii=False, separators=(",", ":"))
    return payload, [entity("choice", value)]


class RequestChat:
    """One citizen's conversation with the request form, action by action as Rasa runs it."""

    def __init__(self, services: ActionServices, sender: str = SENDER) -> None:
        self.services = services
        self.dialogue = Dialogue(sender=sender)

    async def open(self, text: str = "안부 전화 받고 싶어요") -> None:
        self.dialogue.say(text, "request_checkins")
        await self.dialogue.act(ActionOfferCheckins(self.services))
        if self.dialogue.slots["checkin_request_answer"] is None:
            self.dialogue.slots["requested_slot"] = "checkin_request_answer"
            await self.dialogue.act(ActionAskCheckinRequestAnswer())

    async def answer(self, text: str, intent: str = "inform") -> None:
        await self._turn(text, intent, [], text)

    async def press(self, value: str) -> None:
        payload, entities = press(value)
        await self._turn(payload, "inform", entities, value)

    async def _turn(
        self, text: str, intent: str, entities: list[dict[str, Any]], value: str
    ) -> None:
        self.dialogue.say(text, intent, entities, extracted={"checkin_request_answer": value})
        await self.dialogue.act(ValidateCheckinRequestForm(self.services))
        said_now = list(self.dialogue.said)
        if self.dialogue.slots["checkin_request_answer"] is None:
            await self.dialogue.act(ActionAskCheckinRequestAnswer())
        self.dialogue.said = [*said_now, *self.dialogue.said[len(said_now) :]]

    @property
    def said(self) -> list[str]:
        return self.dialogue.said

    @property
    def step(self) -> Any:
        return self.dialogue.slots["checkin_request_step"]

    @property
    def open_form(self) -> bool:
        return self.dialogue.slots["checkin_request_answer"] is None


def requests(services: CaseServices) -> list[CheckinPerson]:
    with services.engine.connect() as connection:
        rows = connection.execute(
            select(CheckinPerson).where(CheckinPerson.status == "pending_approval")
        )
        return list(rows)  # type: ignore[arg-type]


def count(services: CaseServices, table: type[CheckinPerson] | type[Consent]) -> int:
    with services.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


async def fill_request(chat: RequestChat) -> None:
    """Consent, 김순자, 화곡1동, 월·수·금, the morning: up to the summary."""
    await chat.open()
    assert chat.said == [messages.CHECKIN_REQUEST_CONSENT]
    await chat.press(CONSENT_YES)
    assert chat.said == [messages.CHECKIN_REQUEST_ASK_NAME]
    await chat.answer("김순자예요")
    assert chat.step == "area"
    await chat.answer(HWAGOK1_SAID)
    assert chat.said == [messages.CHECKIN_REQUEST_ASK_DAYS]
    assert press(DAY + "mon_wed_fri")[0] in chat.dialogue.buttons
    await chat.press(DAY + "mon_wed_fri")
    await chat.press(TIME + "morning")
    assert chat.step == "confirm"


async def test_a_request_is_asked_one_question_at_a_time_and_waits_for_approval(
    catalog: Catalog, services: CaseServices, clock: SetClock, staff: dict[str, Viewer]
) -> None:
    chat = RequestChat(chat_services(catalog, services, clock))
    await fill_request(chat)
    summary = chat.said[0]
    for shown in ("김순자", HWAGOK1_SAID, "월·수·금", "오전 9시~11시"):
        assert shown in summary
    assert count(services, CheckinPerson) == 0, "nothing is stored before 신청할게요"

    await chat.press(FILE)
    assert chat.said == [messages.CHECKIN_REQUEST_FILED.format(place=HWAGOK1_SAID)]
    assert not chat.open_form
    [person] = requests(services)
    assert (person.display_name, person.area, person.chat_id) == ("김순자", HWAGOK1, CHAT)
    assert (person.weekday_mask, person.window_start, person.window_end) == (
        0b10101,
        "09:00",
        "11:00",
    )
    with services.engine.connect() as connection:
        consent = connection.execute(select(Consent).where(Consent.id == person.consent_id)).one()
        actions = connection.execute(select(AuditEntry.action)).scalars().all()
    assert (consent.subject, consent.channel) == ("self", "chat")
    assert "checkin.request" in actions

    again = RequestChat(chat.services)
    await again.open("안부 확인 신청")
    assert again.said == [messages.CHECKINS_REQUEST_WAITING]
    assert not again.open_form
    assert count(services, CheckinPerson) == 1

    # The worker of 화곡1동 approves it in the console: check-ins start in this chat.
    services.checkin_desk.decide(staff["kim"], person.id, approve=True, tier="danger")
    assert services.checkins.chat_status(CHAT) == "active"
    clock.now = at(7, 9, 0)  # a Monday, before the window ends
    services.checkins.tick(at(7, 11, 0), sender := FakeSender())
    assert [chat_id for chat_id, _, _ in sender.sent] == [CHAT]
    with services.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Checkin)).scalar_one() == 1
    enrolled = RequestChat(chat.services)
    await enrolled.open()
    assert enrolled.said == [messages.CHECKINS_ALREADY]


async def test_declining_consent_stores_nothing(
    catalog: Catalog, services: CaseServices, clock: SetClock
) -> None:
    chat = RequestChat(chat_services(catalog, services, clock))
    await chat.open()
    await chat.answer("뭐라고요")
    assert chat.said == [messages.CHECKIN_REQUEST_CONSENT], "an unclear answer asks again"
    await chat.press(CONSENT_NO)
    assert chat.said == [messages.CHECKIN_REQUEST_DECLINED]
    assert not chat.open_form
    assert (count(services, CheckinPerson), count(services, Consent)) == (0, 0)


async def test_a_name_with_numbers_is_asked_again_and_never_kept(
    catalog: Catalog, services: CaseServices, clock: SetClock
) -> None:
    chat = RequestChat(chat_services(catalog, services, clock))
    await chat.open()
    await chat.answer("네 동의해요")
    await chat.answer("김순자 450101-2345678")
    assert chat.said == [messages.CHECKIN_REQUEST_NAME_NOT_READ, messages.CHECKIN_REQUEST_ASK_NAME]
    assert "450101" not in json.dumps(chat.dialogue.slots, ensure_ascii=False)
    await chat.answer("순자라고 불러 주세요")
    assert chat.dialogue.slots["checkin_request"]["name"] == "순자"


async def test_an_unknown_place_and_an_ambiguous_one_are_asked_about(
    catalog: Catalog, services: CaseServices, clock: SetClock
) -> None:
    chat = RequestChat(chat_services(catalog, services, clock))
    await chat.open()
    await chat.press(CONSENT_YES)
    await chat.answer("김순자")
    await chat.answer("우리 동네")
    assert chat.said[0] == messages.CHECKIN_REQUEST_AREA_NOT_READ
    assert chat.step == "area"
    await chat.answer("화곡동이요")
    assert chat.said == [messages.REPORT_WHICH_AREA], "several 화곡 동: the places as buttons"
    assert press("ckreq-area:" + HWAGOK1)[0] in chat.dialogue.buttons
    await chat.press("ckreq-area:" + HWAGOK1)
    assert chat.step == "days"


async def test_a_step_can_be_corrected_from_the_summary(
    catalog: Catalog, services: CaseServices, clock: SetClock
) -> None:
    chat = RequestChat(chat_services(catalog, services, clock))
    await fill_request(chat)
    await chat.press(EDIT)
    assert chat.said == [messages.CHECKIN_REQUEST_ASK_WHAT_TO_EDIT]
    await chat.press(EDIT_STEP + "time")
    assert chat.said == [messages.CHECKIN_REQUEST_ASK_TIME]
    await chat.answer("저녁이 좋아요")
    assert chat.step == "confirm"
    assert "저녁 6시~8시" in chat.said[0]
    assert "김순자" in chat.said[0], "the other answers are kept"


async def test_the_web_chat_and_a_parent_hear_how_to_ask_instead(
    catalog: Catalog, services: CaseServices, clock: SetClock
) -> None:
    web = RequestChat(chat_services(catalog, services, clock), sender="web-abc")
    await web.open("혼자 살아서 무서워요")
    assert web.said[-1] == messages.CHECKINS_ONLY_ON_TELEGRAM
    assert '/ask_program{"program":"ai_care_call"}' in web.dialogue.buttons
    assert not web.open_form

    for_mother = RequestChat(chat_services(catalog, services, clock))
    await for_mother.open("시골에 혼자 계신 어머니 안부 서비스 신청할게요")
    assert for_mother.said[-1] == messages.CHECKINS_FOR_FAMILY
    assert not for_mother.open_form

    widowed = RequestChat(chat_services(catalog, services, clock))
    await widowed.open("영감 가고 나서 혼자라 무서워 누가 가끔 연락 좀 주소")
    assert widowed.said == [messages.CHECKIN_REQUEST_CONSENT], "a person alone asks for self"
    assert count(services, CheckinPerson) == 0


async def test_paused_check_ins_are_resumed_without_a_form(
    catalog: Catalog, services: CaseServices, clock: SetClock
) -> None:
    enrol_linked(services, clock, chat=CHAT)
    services.checkins.set_status_by_chat(CHAT, "paused")
    chat = RequestChat(chat_services(catalog, services, clock))
    await chat.open("다시 받을래요")
    assert chat.said == [said.RESUMED]
    assert not chat.open_form
    assert services.checkins.chat_status(CHAT) == "active"


async def test_a_check_in_button_pressed_mid_report_is_that_check_in_s_answer(
    catalog: Catalog, services: CaseServices, clock: SetClock
) -> None:
    enrol_linked(services, clock, chat=CHAT)
    services.checkins.tick(at(3, 9, 5), FakeSender())
    clock.now = at(3, 9, 30)
    checkin = services.checkins.waiting_checkin(CHAT)
    assert checkin is not None
    actions = chat_services(catalog, services, clock)
    dialogue = Dialogue(sender=SENDER)
    dialogue.say("옆집 할머니가 걱정돼요", "report_blind_spot")
    await dialogue.act(ActionReportIntake(actions))
    dialogue.slots["requested_slot"] = "report_answer"
    await dialogue.act(ActionAskReportAnswer(actions))
    asked = list(dialogue.said)
    step = dialogue.slots["report_step"]

    payload = f"ck:{checkin}:ok"
    text = f'/checkin_ok{{"checkin_payload":"{payload}"}}'
    dialogue.say(
        text, "checkin_ok", [entity("checkin_payload", payload)], extracted={"report_answer": text}
    )
    await dialogue.act(ValidateReportForm(actions))
    assert dialogue.slots["report_answer"] is None, "not the report's answer"
    assert dialogue.said and dialogue.said[0] != asked[0]
    await dialogue.act(ActionAskReportAnswer(actions))
    assert dialogue.said[-1] == asked[0], "the report's question is asked again"
    assert dialogue.slots["report_step"] == step
    assert services.checkins.waiting_checkin(CHAT) is None, "the check-in is answered"
