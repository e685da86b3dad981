"""Staff replies: written on the case page, delivered to the citizen's Telegram chat by the
console's delivery worker through the bot's outbound path (the real python-telegram-bot
against the local Bot API emulator), and shown on the case page."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI
from sqlalchemy import select

from bot.outbound import open_outbound
from cases.access import Viewer
from cases.models import OutboundReply
from cases.service import CaseServices
from core.settings import Settings
from ieum.emulated_stack import free_port
from ieum.telegram_emulator import BotApiEmulator
from staff import messages
from staff.app import create_app
from staff.reply_delivery import ReplyDelivery, deliver_replies
from tests.case_fixtures import SetClock, file
from tests.staff_fixtures import form_csrf, signed_in

REPLY = "안녕하세요, 화곡1동 행정복지센터입니다. 내일 오전에 찾아뵙겠습니다."


async def test_a_reply_reaches_the_citizens_chat_and_shows_on_the_case_page(
    bot_settings: Settings,
    emulator: BotApiEmulator,
    services: CaseServices,
    staff: dict[str, Viewer],
    clock: SetClock,
) -> None:
    case_id = file(services, conversation_id="telegram-5001").case_id
    app = create_app(bot_settings, services, clock)
    kim, _ = signed_in(app, "kim")
    csrf = form_csrf(kim.get(f"/cases/{case_id}").text)
    sent = kim.post(f"/cases/{case_id}/reply", data={"csrf": csrf, "text": REPLY})
    assert sent.status_code == 200 and messages.DONE in sent.text
    assert REPLY in sent.text, "the reply is in the transcript at once"

    async with open_outbound(bot_settings) as outbound:
        assert await ReplyDelivery(services.replies, outbound).deliver_due() == 1
    received = await emulator.user(5001).receive_one()
    assert received.text == messages.reply_to_citizen(REPLY)

    page = kim.get(f"/cases/{case_id}").text
    assert messages.EVENT_LABELS["reply_delivered"] in page
    events = kim.get(f"/api/cases/{case_id}/events").json()["events"]
    assert [event["kind"] for event in events][-2:] == ["reply", "reply_delivered"]
    transcript = kim.get(f"/api/cases/{case_id}").json()["transcript"]
    assert transcript[-1]["role"] == "staff" and transcript[-1]["text"] == REPLY
    async with open_outbound(bot_settings) as outbound:
        assert await ReplyDelivery(services.replies, outbound).deliver_due() == 0, "once"


async def test_a_reply_that_cannot_be_sent_waits_for_another_try(
    bot_settings: Settings,
    emulator: BotApiEmulator,
    services: CaseServices,
    staff: dict[str, Viewer],
    clock: SetClock,
) -> None:
    # A Telegram case whose conversation id the bot cannot read as a chat.
    case_id = file(services, conversation_id="telegram:not-a-chat").case_id
    kim, csrf = signed_in(create_app(bot_settings, services, clock), "kim")
    answer = kim.post(
        f"/api/cases/{case_id}/reply", json={"text": REPLY}, headers={"X-CSRF-Token": csrf}
    )
    assert answer.status_code == 200
    async with open_outbound(bot_settings) as outbound:
        assert await ReplyDelivery(services.replies, outbound).deliver_due() == 0
    with services.engine.connect() as connection:
        row = connection.execute(select(OutboundReply)).one()
    assert row.delivered_at is None and row.failed_at is None
    assert row.attempts == 1 and row.last_error == "NotReachable"
    assert row.next_attempt_at > clock.now
    await emulator.user(5001).expect_nothing()


async def test_delivery_keeps_trying_while_telegram_cannot_be_reached(
    bot_settings: Settings, services: CaseServices
) -> None:
    away = bot_settings.model_copy(update={"telegram_api_url": f"http://127.0.0.1:{free_port()}"})
    stop = asyncio.Event()
    worker = asyncio.create_task(
        deliver_replies(away, services.replies, stop, reconnect_seconds=0.05)
    )
    await asyncio.sleep(0.5)
    assert not worker.done(), "the worker waits and tries again"
    stop.set()
    await asyncio.wait_for(worker, 5)


def test_a_reply_is_refused_where_it_cannot_reach_anyone(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer]
) -> None:
    case_id = file(services, channel="phone", conversation_id=None).case_id
    kim, csrf = signed_in(console_app, "kim")
    page = kim.get(f"/cases/{case_id}").text
    assert messages.REPLY_NOT_POSSIBLE in page and 'id="reply-text"' not in page
    answer = kim.post(
        f"/api/cases/{case_id}/reply", json={"text": REPLY}, headers={"X-CSRF-Token": csrf}
    )
    assert answer.status_code == 409
    assert "전화해 주세요" in answer.json()["detail"]
    with services.engine.connect() as connection:
        assert connection.execute(select(OutboundReply)).first() is None
