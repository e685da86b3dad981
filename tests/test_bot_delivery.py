"""Replies that fail to send are retried from the Redis outbox, in order, not dropped."""

from __future__ import annotations

import time

from core.settings import Settings
from ieum.telegram_emulator import BotApiEmulator
from tests.fake_rasa import FakeRasa


async def test_reply_that_fails_to_send_arrives_later(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    emulator.fail_next_sends(2, status=500)
    user = emulator.user(2001)
    await user.say("안녕하세요")
    reply = await user.receive_one(timeout=10)
    assert reply.text == "1번째 말씀: 안녕하세요"
    assert emulator.failed_sends == 2


async def test_flood_control_is_waited_out(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    emulator.fail_next_sends(2, status=429, retry_after=1)
    user = emulator.user(2002)
    started = time.monotonic()
    await user.say("안녕하세요")
    reply = await user.receive_one(timeout=10)
    assert reply.text == "1번째 말씀: 안녕하세요"
    assert emulator.failed_sends == 2
    assert time.monotonic() - started >= 2.0, "retry_after was not respected"


async def test_messages_keep_their_order_while_a_chat_waits(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    emulator.fail_next_sends(1, status=502)
    user = emulator.user(2003)
    await user.say("하나")
    await user.say("둘")
    first, second = await user.receive(2, timeout=10)
    assert (first.text, second.text) == ("1번째 말씀: 하나", "2번째 말씀: 둘")
