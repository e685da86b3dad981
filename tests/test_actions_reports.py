"""Blind-spot reports in the chat: the report form's steps, filing once, danger, the ways
out and the status of a receipt, with a real case store (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from actions import messages
from actions.emergency_reply import emergency_reply
from actions.normalise.report import read_area, read_phone, read_receipt, read_signs
from actions.report_steps import (
    ANONYMOUS,
    AREA,
    CONSENT_NO,
    CONSENT_YES,
    EDIT,
    EDIT_STEP,
    FILE,
    SIGN,
    SIGNS_DONE,
    SKIP,
)
from actions.reports import (
    ActionAskReportAnswer,
    ActionReportEmergency,
    ActionReportIntake,
    ActionReportStatus,
    ActionStopReport,
    ValidateReportForm,
)
from actions.services import ActionServices
from cases.access import Viewer
from cases.models import Case, Consent, Report
from cases.report_draft import ReportDraft
from cases.reports import ReportIntake, ReportReceipt
from cases.service import CaseServices
from knowledge.catalog import Catalog
from tests.action_support import (
    DOMAIN,
    Dialogue,
    entity,
    make_services,
    make_tracker,
    run,
    texts,
)
from tests.case_fixtures import HWAGOK1, SetClock, file

OPENING = "옆집 할머니가 며칠째 안 보여요"


@pytest.fixture
def chat(catalog: Catalog, services: CaseServices, clock: SetClock) -> ActionServices:
    return make_services(catalog, services.store, now=clock.now, reports=services.reports)


def press(value: str) -> tuple[str, str, list[dict[str, Any]]]:
    """A button press as Rasa reads it: the payload, inform, and the choice entity."""
    payload = "/inform" + json.dumps({"choice": value}, ensure_ascii=False, separators=(",", ":"))
    return payload, "inform", [entity("choice", value)]


class ReportChat:
    """One reporter's conversation with the report form, action by action as Rasa runs it."""

    def __init__(self, services: ActionServices) -> None:
        self.services = services
        self.dialogue = Dialogue()

    async def open(
        self, text: str = OPENING, intent: str = "report_blind_spot", channel: str = "webchat"
    ) -> None:
        self.dialogue.say(text, intent)
        self.dialogue.events[-1]["metadata"] = {"channel": channel}
        await self.dialogue.act(ActionReportIntake(self.services))
        self.dialogue.slots["requested_slot"] = "report_answer"
        await self.dialogue.act(ActionAskReportAnswer(self.services))

    async def answer(self, text: str, intent: str = "inform") -> None:
        """Typed words, then the form: validation, and the next question if any."""
        await self._turn(text, intent, [], text)

    async def press(self, value: str) -> None:
        payload, intent, entities = press(value)
        await self._turn(payload, intent, entities, value)

    async def _turn(
        self, text: str, intent: str, entities: list[dict[str, Any]], value: str
    ) -> None:
        self.dialogue.say(text, intent, entities, extracted={"report_answer": value})
        await self.dialogue.act(ValidateReportForm(self.services))
        said = list(self.dialogue.said)
        if self.dialogue.slots["report_answer"] is None:
            await self.dialogue.act(ActionAskReportAnswer(self.services))
        self.dialogue.said = [*said, *self.dialogue.said[len(said) :]]

    @property
    def said(self) -> list[str]:
        return self.dialogue.said

    @property
    def buttons(self) -> list[str]:
        return self.dialogue.buttons

    @property
    def step(self) -> Any:
        return self.dialogue.slots["report_step"]


def count(services: CaseServices, table: type[Case] | type[Report] | type[Consent]) -> int:
    with services.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


async def reach_summary(report: ReportChat) -> None:
    """The whole report of a neighbour in 화곡1동, up to the summary."""
    await report.open()
    await report.press(CONSENT_YES)
    assert report.step == "region", "the opening message already said it is a neighbour"
    await report.answer("화곡동이요")
    assert report.said == [messages.REPORT_WHICH_AREA], "said once, with the places"
    assert press(AREA + HWAGOK1)[0] in report.buttons
    await report.press(AREA + HWAGOK1)
    await report.press(SKIP)
    assert report.step == "signs"
    assert messages.report_signs_chosen([messages.SIGN_BUTTONS["not_seen"]]) in report.said[0]
    await report.press(SIGN + "rubbish_smell")
    assert report.step == "signs", "a sign button keeps the question open for more"
    await report.press(SIGNS_DONE)
    await report.press("household:elderly_alone")
    await report.answer("제 번호는 010-1234-5678 이에요")
    assert report.step == "confirm"


async def test_a_neighbour_report_is_filed_once_and_lands_in_the_dong_queue(
    chat: ActionServices, services: CaseServices, staff: dict[str, Viewer]
) -> None:
    report = ReportChat(chat)
    await reach_summary(report)
    summary = report.said[-1]
    assert "강서구 화곡1동" in summary and "며칠째 안 보여요" in summary
    assert "010" in summary and summary.endswith(messages.REPORT_ASK_CONFIRM)
    assert count(services, Case) == 0, "nothing is stored before 접수할게요"

    await report.press(FILE)
    [case] = services.queue.list_cases(staff["kim"]).items
    assert (case.kind, case.area, case.priority) == ("report", HWAGOK1, "high")
    assert case.receipt is not None
    [said] = report.said
    assert case.receipt in said
    assert "화곡1동 행정복지센터" in said and "오늘 오후 6시까지" in said
    assert report.dialogue.slots["report"] is None
    with services.engine.connect() as connection:
        stored = connection.execute(select(Report.signs, Report.reporter_phone)).one()
    assert list(stored.signs) == ["not_seen", "rubbish_smell"]
    assert stored.reporter_phone == "01012345678"


async def test_a_replayed_filing_returns_the_first_receipt(
    chat: ActionServices, services: CaseServices
) -> None:
    report = ReportChat(chat)
    await reach_summary(report)
    slots = dict(report.dialogue.slots)
    await report.press(FILE)
    first = report.said[0]
    # The same turn again, as after a retried update or a replayed action call.
    report.dialogue.slots = slots
    await report.press(FILE)
    assert report.said[0] == first
    assert count(services, Case) == 1


async def test_without_consent_nothing_is_stored(
    chat: ActionServices, services: CaseServices
) -> None:
    report = ReportChat(chat)
    await report.open()
    assert report.said[0].endswith("동의하시나요?")
    assert "행정복지센터" in report.said[0] and "1년" in report.said[0]
    await report.press(CONSENT_NO)
    assert report.said == [messages.REPORT_DECLINED]
    assert report.dialogue.slots["report_answer"] == "done"
    assert report.dialogue.slots["report"] is None
    assert (count(services, Case), count(services, Consent)) == (0, 0)


async def test_a_typed_no_declines_and_an_unclear_answer_asks_again(chat: ActionServices) -> None:
    report = ReportChat(chat)
    await report.open()
    await report.answer("무슨 말인지 모르겠어요")
    assert len(report.said) == 1 and report.said[0].endswith("동의하시나요?")
    assert report.step == "consent"
    await report.answer("/report_blind_spot", "report_blind_spot")
    assert report.step == "consent" and report.said[0].endswith("동의하시나요?")
    await report.answer("아니요 싫어요", "deny")
    assert report.said == [messages.REPORT_DECLINED]


async def test_a_danger_sign_gives_the_numbers_and_files_a_critical_report_at_once(
    chat: ActionServices, services: CaseServices, staff: dict[str, Viewer]
) -> None:
    report = ReportChat(chat)
    await report.open()
    await report.press(CONSENT_YES)
    await report.answer("강서구 화곡1동")
    await report.press(SKIP)
    await report.press(SIGN + "self_harm")
    suicide = emergency_reply(DOMAIN, "suicide")
    assert suicide is not None and "109" in suicide
    assert report.said[0] == suicide, "109 first, before any further question"
    [case] = services.queue.list_cases(staff["kim"]).items
    assert (case.kind, case.priority) == ("report", "critical")
    assert case.receipt is not None and case.receipt in report.said[1]
    assert report.dialogue.slots["report_answer"] == "done"


async def test_danger_words_before_consent_open_an_emergency_case_not_a_report(
    chat: ActionServices, services: CaseServices
) -> None:
    tracker = make_tracker(
        "할머니가 죽고 싶다고 하세요",
        "emergency",
        slots={"report": {"text": OPENING}, "report_step": "consent", "report_id": "d1"},
    )
    events, dispatcher = await run(ActionReportEmergency(chat), tracker)
    assert texts(dispatcher) == [messages.EMERGENCY_RECORDED]
    [record] = services.store.list_open()
    assert (record.kind, record.priority) == ("emergency", "critical")
    assert count(services, Report) == 0
    assert ActiveLoop(None) in events


async def test_danger_words_after_consent_file_what_is_known_as_critical(
    chat: ActionServices, services: CaseServices
) -> None:
    draft = {"consent": True, "about": "other", "relation": "이웃", "text": OPENING}
    tracker = make_tracker(
        "옆집에서 할머니를 때리는 소리가 나요",
        "emergency",
        slots={"report": draft, "report_step": "region", "report_id": "d2"},
    )
    _, dispatcher = await run(ActionReportEmergency(chat), tracker)
    with services.engine.connect() as connection:
        row = connection.execute(select(Case.priority, Case.area, Report.text).join(Report)).one()
    assert row.priority == "critical" and row.area is None
    assert "때리는 소리" in row.text
    assert "긴급 신고로 접수" in texts(dispatcher)[0]


async def test_a_report_that_cannot_be_stored_keeps_the_answers(
    catalog: Catalog, services: CaseServices, clock: SetClock
) -> None:
    class DownIntake(ReportIntake):
        def file_report(self, draft: ReportDraft, **kwargs: Any) -> ReportReceipt:
            raise OperationalError("INSERT", {}, ConnectionError())

    down = make_services(
        catalog, services.store, now=clock.now, reports=DownIntake(services.engine)
    )
    report = ReportChat(down)
    await reach_summary(report)
    draft = report.dialogue.slots["report"]
    await report.press(FILE)
    assert report.said[0] == messages.REPORT_NOT_FILED
    assert report.dialogue.slots["report"] == draft
    assert report.step == "confirm"
    assert count(services, Case) == 0


async def test_a_correction_asks_that_step_again_then_returns_to_the_summary(
    chat: ActionServices,
) -> None:
    report = ReportChat(chat)
    await reach_summary(report)
    await report.press(EDIT)
    assert report.said == [messages.REPORT_ASK_WHAT_TO_EDIT]
    await report.press(EDIT_STEP + "contact")
    assert report.step == "contact"
    await report.press(ANONYMOUS)
    assert report.step == "confirm"
    assert "· 연락처: 익명" in report.said[-1]


async def test_a_shared_location_is_answered_honestly(chat: ActionServices) -> None:
    report = ReportChat(chat)
    await report.open("/report_blind_spot")
    await report.press(CONSENT_YES)
    assert report.step == "about"
    await report.answer("이웃이에요")
    # The bot sends a shared location as a payload with the region "<lat>,<lon>".
    where = "37.550000,126.840000"
    payload = f'/inform{{"region":"{where}"}}'
    report.dialogue.say(payload, "inform", [entity("region", where)], {"report_answer": payload})
    await report.dialogue.act(ValidateReportForm(chat))
    assert report.said[0] == messages.REPORT_LOCATION_NOT_ENOUGH
    assert report.step == "region"


async def test_cancel_stops_the_report_and_stores_nothing(
    chat: ActionServices, services: CaseServices
) -> None:
    tracker = make_tracker(
        "그만할래요", "cancel", slots={"report": {"consent": True}, "report_id": "d3"}
    )
    events, dispatcher = await run(ActionStopReport(), tracker)
    assert texts(dispatcher) == [messages.REPORT_STOPPED]
    assert SlotSet("report", None) in events
    assert count(services, Case) == 0


async def test_the_status_of_a_receipt_is_its_step_and_date_only(
    chat: ActionServices, services: CaseServices
) -> None:
    filed = file(services)
    asked = f"접수번호 {filed.receipt.lower()} 어떻게 됐어요?"
    _, dispatcher = await run(ActionReportStatus(chat), make_tracker(asked, "report_status"))
    assert texts(dispatcher) == [messages.report_status(filed.receipt, "new", filed.due_at.date())]
    assert "접수됨" in texts(dispatcher)[0] and "12월 3일" in texts(dispatcher)[0]

    unknown = make_tracker("접수번호 R7KQ-M2XD-9HTC 어떻게 됐어요?", "report_status")
    _, dispatcher = await run(ActionReportStatus(chat), unknown)
    assert texts(dispatcher) == [messages.REPORT_STATUS_UNKNOWN]
    _, dispatcher = await run(ActionReportStatus(chat), make_tracker("신고한 거 어떻게 됐어요"))
    assert texts(dispatcher) == [messages.REPORT_STATUS_NO_RECEIPT]


async def test_abuse_in_the_opening_words_gives_the_numbers_before_any_question(
    chat: ActionServices, services: CaseServices
) -> None:
    report = ReportChat(chat)
    await report.open("아랫집 아이가 매일 맞고 있어요 학대 같아요")
    violence = emergency_reply(DOMAIN, "violence")
    assert violence is not None and report.said[0] == violence
    assert report.said[1] == messages.EMERGENCY_RECORDED
    assert report.step == "consent", "the report itself still needs consent"
    [record] = services.store.list_open()
    assert (record.kind, record.priority) == ("emergency", "critical")


@pytest.mark.parametrize(
    ("text", "signs"),
    [
        ("며칠째 안 보이고 쓰레기 냄새가 나요", ("not_seen", "rubbish_smell")),
        ("가스가 끊겼고 월세도 밀렸대요", ("rent_arrears", "utility_cut")),
        ("밥을 못 드세요", ("skipping_meals",)),
        ("맞는 걸 잘 모르겠어요", ()),
    ],
)
def test_signs_are_read_from_plain_words(text: str, signs: tuple[str, ...]) -> None:
    assert read_signs(text) == signs


@pytest.mark.parametrize(
    ("text", "receipt"),
    [
        ("접수번호 r7kq-m2xd-9htc 어떻게 됐어요", "R7KQ-M2XD-9HTC"),
        ("R7KQ M2XD 9HTC 요", "R7KQ-M2XD-9HTC"),
        ("R7KQM2XD9HTC", "R7KQ-M2XD-9HTC"),
        ("010-1234-5678", None),
        ("접수번호 R-3KD7-PW2M", None),
    ],
)
def test_receipts_are_read_as_people_type_them(text: str, receipt: str | None) -> None:
    assert read_receipt(text) == receipt


@pytest.mark.parametrize(
    ("text", "phone"),
    [("010-1234-5678 이요", "01012345678"), ("+82 10 1234 5678", "01012345678"), ("2층", None)],
)
def test_phone_numbers_are_read_as_digits(text: str, phone: str | None) -> None:
    assert read_phone(text) == phone


def test_a_place_is_read_from_a_spoken_answer() -> None:
    assert read_area("서울 강서구 화곡 1동이요").area is not None
    assert [a.key for a in read_area("화곡동").candidates][:2] == [
        "서울특별시 강서구 우장산동",
        HWAGOK1,
    ]


async def test_on_telegram_a_photo_is_asked_last_and_filed_by_reference(
    chat: ActionServices, services: CaseServices
) -> None:
    report = ReportChat(chat)
    await report.open(channel="telegram")
    await report.press(CONSENT_YES)
    await report.answer("강서구 화곡1동")
    await report.press(SKIP)
    await report.press(f"photo:2026-12/{'cd' * 16}.jpg")
    assert report.said[0] == messages.REPORT_PHOTO_KEPT and report.step == "signs"
    await report.press(SIGNS_DONE)
    await report.press("household:unknown")
    await report.press(ANONYMOUS)
    assert report.step == "confirm", "a photo sent earlier is not asked for again"
    await report.press(EDIT)
    await report.press(EDIT_STEP + "photo")
    assert report.step == "photo" and report.said == [messages.REPORT_ASK_PHOTO]
    await report.press("photo:../../etc/passwd")
    assert report.step == "confirm", "a path the bot never made is no photo"
    await report.press(EDIT)
    await report.press(EDIT_STEP + "photo")
    await report.press(f"photo:2026-12/{'ab' * 16}.png")
    assert "· 사진: 1장" in report.said[-1]
    await report.press(FILE)
    with services.engine.connect() as connection:
        stored = connection.execute(select(Report.photo_path, Report.photo_type)).one()
    assert tuple(stored) == (f"2026-12/{'ab' * 16}.png", "image/png")
