"""Blind-spot reports as a Telegram user, through the Bot API emulator, the real bot, Rasa
and the action server: a report filed once and found in the 동's queue, its status by
receipt, danger mid-report, no consent, a redelivered update, and the action server
dying between the confirmation and the reply."""

from __future__ import annotations

import re

from sqlalchemy import select

from actions import messages
from bot import messages as bot_messages
from cases.access import Viewer
from cases.db import create_db_engine
from cases.models import Report
from cases.queue import CaseQueue
from cases.records import CaseRecord
from ieum.emulated_stack import Chat, Turn, receive_turn
from tests.e2e_fixtures import E2E_MARKS, RunningStack
from tests.test_e2e_faults import RESTART_SECONDS, kill, restarted

pytestmark = E2E_MARKS

HWAGOK1 = "서울특별시 강서구 화곡1동"
OPENING = "옆집 할머니가 일주일째 안 보이세요. 신고하고 싶어요"
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8
RECEIPT = re.compile(r"접수번호: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})")


def reports_of(stack: RunningStack, chat: Chat) -> list[CaseRecord]:
    return [case for case in stack.escalations(chat.sender) if case.kind == "report"]


async def to_summary(chat: Chat, photo: bytes | None = None) -> Turn:
    """A neighbour in 화곡1동, not seen and with a smell, living alone; up to the summary,
    with ``photo`` sent when it is asked for."""
    consent = await chat.say(OPENING)
    assert consent.with_button(messages.REPORT_CONSENT_YES) is not None, consent.text
    region = await chat.press(consent, messages.REPORT_CONSENT_YES)
    assert messages.REPORT_ASK_REGION_OTHER in region.text, region.text
    address = await chat.say("강서구 화곡1동이요")
    signs = await chat.press(address, messages.REPORT_SKIP_BUTTON)
    signs = await chat.press(signs, messages.SIGN_BUTTONS["rubbish_smell"])
    household = await chat.press(signs, messages.REPORT_SIGNS_DONE_BUTTON)
    contact = await chat.press(household, messages.HOUSEHOLD_BUTTONS["elderly_alone"])
    assert messages.REPORT_ASK_CONTACT in contact.text, contact.text
    asked = await chat.say("010-5550-1234")
    assert messages.REPORT_ASK_PHOTO in asked.text, asked.text
    if photo is None:
        summary = await chat.press(asked, messages.REPORT_NO_PHOTO_BUTTON)
    else:
        await chat.user.send_photo(photo)
        summary = await receive_turn(chat.user)
    assert messages.REPORT_ASK_CONFIRM in summary.text, summary.text
    return summary


async def test_a_neighbour_report_reaches_the_dong_and_its_status_is_told(
    running_stack: RunningStack,
) -> None:
    chat = Chat(running_stack.emulator, 7201)
    summary = await to_summary(chat, JPEG)
    assert "강서구 화곡1동" in summary.text and "며칠째 안 보여요" in summary.text
    assert "· 사진: 1장" in summary.text
    assert reports_of(running_stack, chat) == [], "nothing is stored before 접수할게요"

    # Pressed once, then the same update delivered again (a lost acknowledgement).
    emulator = running_stack.emulator
    message = summary.with_button(messages.REPORT_CONFIRM_BUTTON)
    assert message is not None
    data = dict(message.buttons)[messages.REPORT_CONFIRM_BUTTON]
    update = await emulator.push(emulator.callback_update(7201, "순자", message, data))
    filed = await receive_turn(chat.user)
    receipt = RECEIPT.search(filed.text)
    assert receipt is not None, filed.text
    assert "화곡1동 행정복지센터" in filed.text
    await emulator.redeliver(update)
    await chat.user.expect_nothing(3.0)

    [case] = reports_of(running_stack, chat)
    assert (case.area, case.priority, case.status) == (HWAGOK1, "high", "new")
    engine = create_db_engine(running_stack.settings.database_url)
    try:
        worker = Viewer("e2e-worker", "worker", (HWAGOK1,))
        queued = CaseQueue(engine).list_cases(worker).items
        with engine.connect() as connection:
            photo = connection.execute(
                select(Report.photo_path).where(Report.case_id == case.id)
            ).scalar_one()
    finally:
        engine.dispose()
    assert receipt.group(1) in [item.receipt for item in queued]
    assert photo is not None
    saved = running_stack.settings.report_photos_dir / photo
    assert saved.read_bytes() == JPEG, "the photo is on disk, the database holds its path"
    saved.unlink()

    status = await chat.say(f"접수번호 {receipt.group(1)} 어떻게 됐어요?")
    assert "지금 단계: 접수됨" in status.text, status.text
    assert "010" not in status.text and "화곡" not in status.text


async def test_danger_words_mid_report_give_109_and_file_a_critical_report(
    running_stack: RunningStack,
) -> None:
    chat = Chat(running_stack.emulator, 7202)
    consent = await chat.say(OPENING)
    await chat.press(consent, messages.REPORT_CONSENT_YES)
    danger = await chat.say("사실 할머니가 죽고 싶다고 하셨어요")
    assert danger.messages[0].text.startswith("많이 힘드시죠"), danger.text
    assert "109" in danger.messages[0].text
    assert "긴급 신고로 접수" in danger.text, danger.text
    [case] = reports_of(running_stack, chat)
    assert case.priority == "critical"
    assert messages.REPORT_ASK_REGION_OTHER not in danger.text, "no further question"


async def test_without_consent_nothing_is_stored(running_stack: RunningStack) -> None:
    chat = Chat(running_stack.emulator, 7203)
    consent = await chat.say(OPENING)
    declined = await chat.press(consent, messages.REPORT_CONSENT_NO)
    assert messages.REPORT_DECLINED in declined.text and "129" in declined.text
    assert running_stack.escalations(chat.sender) == []


async def test_the_action_server_dies_between_the_confirmation_and_the_reply(
    running_stack: RunningStack,
) -> None:
    chat = Chat(running_stack.emulator, 7204)
    summary = await to_summary(chat)
    old = kill(running_stack, "actions")
    apology = await chat.press(summary, messages.REPORT_CONFIRM_BUTTON)
    assert bot_messages.ANSWER_LATER in apology.text, apology.text
    late = await receive_turn(chat.user, RESTART_SECONDS)
    await restarted(running_stack, "actions", old)
    # Saved once and said once, or asked again: never half-saved, never twice.
    reports = reports_of(running_stack, chat)
    receipt = RECEIPT.search(late.text)
    if receipt is None:
        assert reports == [] and messages.REPORT_ASK_CONFIRM in late.text, late.text
    else:
        [case] = reports
        assert case.receipt == receipt.group(1)
