"""The Telegram check-in sender against the Bot API emulator (real HTTP), and its pacing.

The sender is synchronous (the check-in worker is a thread), so each send runs in a
thread while the emulator serves on the test's event loop.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.checkin_sender import SendFailed, TelegramCheckinSender
from bot.send_pacer import SendPacer
from cases.checkin_messages import BUTTONS
from cases.checkin_sender import Button, ChatBlocked, button_payload
from cases.service import CaseServices
from core.settings import Settings
from ieum.checkin_sending import as_checkin_sender
from ieum.stack import Stack, checkin_worker_service
from ieum.telegram_emulator import BotApiEmulator
from tests.case_fixtures import SetClock
from tests.checkin_support import at, enrol_linked

CHECKIN_BUTTONS = tuple(Button(label, button_payload(12, code)) for code, label in BUTTONS)


class Moment:
    """A clock that moves only when slept on: waits are counted, not waited."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def sender_for(emulator: BotApiEmulator) -> TelegramCheckinSender:
    moment = Moment()
    pacer = SendPacer(20, clock=moment, sleep=moment.sleep)
    return TelegramCheckinSender(emulator.url, emulator.token, unreachable=ChatBlocked, pacer=pacer)


async def test_a_check_in_arrives_with_one_large_button_a_row(emulator: BotApiEmulator) -> None:
    sender = sender_for(emulator)
    message_id = await asyncio.to_thread(
        sender.send, "5001", "순자님, 안녕하세요.", CHECKIN_BUTTONS
    )
    [sent] = emulator.sent
    assert message_id == str(sent.message_id)
    assert sent.chat_id == 5001 and sent.text == "순자님, 안녕하세요."
    assert sent.reply_markup == {
        "inline_keyboard": [
            [{"text": "잘 지내요", "callback_data": "ck:12:ok"}],
            [{"text": "도움이 필요해요", "callback_data": "ck:12:need_help"}],
            [{"text": "전화해 주세요", "callback_data": "ck:12:call_me"}],
        ]
    }


async def test_a_message_without_buttons_has_no_keyboard(emulator: BotApiEmulator) -> None:
    await asyncio.to_thread(sender_for(emulator).send, "5002", "알려 드려요.", ())
    assert emulator.sent[0].reply_markup is None


async def test_a_chat_that_blocked_the_bot_raises_the_blocked_error(
    emulator: BotApiEmulator,
) -> None:
    emulator.blocked_chats.add(5003)
    with pytest.raises(ChatBlocked):
        await asyncio.to_thread(sender_for(emulator).send, "5003", "안녕하세요", CHECKIN_BUTTONS)
    assert emulator.sent == []


async def test_a_short_429_is_waited_out_and_a_5xx_fails_for_a_retry(
    emulator: BotApiEmulator,
) -> None:
    sender = sender_for(emulator)
    emulator.fail_next_sends(1, status=429, retry_after=1)
    assert await asyncio.to_thread(sender.send, "5004", "안녕하세요", ())
    assert emulator.failed_sends == 1 and len(emulator.sent) == 1
    emulator.fail_next_sends(1, status=500)
    with pytest.raises(SendFailed):
        await asyncio.to_thread(sender.send, "5004", "안녕하세요", ())
    emulator.fail_next_sends(1, status=429, retry_after=60)
    with pytest.raises(SendFailed):
        await asyncio.to_thread(sender.send, "5004", "안녕하세요", ())
    assert len(emulator.sent) == 1


async def test_an_unreachable_api_fails_for_a_retry() -> None:
    sender = TelegramCheckinSender("http://127.0.0.1:9", "x:y")
    with pytest.raises(SendFailed):
        await asyncio.to_thread(sender.send, "5005", "안녕하세요", ())


def test_sends_are_spaced_over_all_chats_and_a_chat_gets_bursts_of_three() -> None:
    moment = Moment()
    pacer = SendPacer(per_second=10, clock=moment, sleep=moment.sleep)
    sent: list[tuple[str, float]] = []
    for chat in ["a", "b", "c", "a", "a", "a", "a"]:
        pacer.wait_turn(chat)
        sent.append((chat, round(moment.now, 3)))
    assert sent[:3] == [("a", 0.0), ("b", 0.1), ("c", 0.2)]  # other chats: every 1/10 s
    assert [at for chat, at in sent if chat == "a"] == [0.0, 0.3, 0.4, 1.0, 2.0]
    pacer.hold(5.0)  # a 429's retry_after
    pacer.wait_turn("d")
    assert moment.now == pytest.approx(7.0)


async def test_the_tick_sends_through_telegram_and_a_blocked_chat_becomes_an_alert(
    emulator: BotApiEmulator, services: CaseServices, clock: SetClock
) -> None:
    enrol_linked(services, clock, chat="6001")
    enrol_linked(services, clock, chat="6002", name="이영수")
    emulator.blocked_chats.add(6002)
    sender = as_checkin_sender(sender_for(emulator))
    counts = await asyncio.to_thread(services.checkins.tick, at(3, 9, 5), sender)
    assert (counts.sent, counts.blocked) == (1, 1)
    [sent] = emulator.sent
    assert sent.chat_id == 6001 and "김순자님" in sent.text
    assert [title for title, _ in sent.buttons] == ["잘 지내요", "도움이 필요해요", "전화해 주세요"]
    assert all(data.startswith("ck:") for _, data in sent.buttons)


def test_the_supervisor_runs_a_check_in_worker_as_make_run_does(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, checkin_tick_seconds=0.2)
    with Stack([checkin_worker_service(settings)], settings.log_dir) as stack:
        deadline = time.monotonic() + 30
        log = settings.log_dir / "checkins.log"
        while time.monotonic() < deadline and "check-in tick" not in _text(log):
            time.sleep(0.2)
        assert stack.processes["checkins"].poll() is None
    assert "check-in tick" in _text(log)


def _text(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""
