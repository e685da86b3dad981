"""The bot's small parts on their own: message shaping, senders, button payload storage,
the rate limiter, the Rasa client's error handling, and per-chat update order."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis
from telegram import Chat, Message, Update

from bot import messages
from bot.gateway import Gateway, intent_message, parse_sender, sender_id
from bot.keyboards import MAX_CALLBACK_BYTES, CallbackPayloads, render, split_text
from bot.nlu_parse import reading
from bot.rasa_client import BotReply, Button, RasaClient, RasaUnavailable, replies_from_rasa
from bot.rate_limit import Admission, UserRateLimiter
from bot.update_order import ChatOrderedUpdateProcessor
from ieum.emulated_stack import free_port
from tests.bot_fixtures import REDIS_URL
from tests.fake_rasa import FakeRasa


@pytest.fixture
async def redis_prefix() -> AsyncIterator[tuple[Redis, str]]:
    redis = Redis.from_url(REDIS_URL, decode_responses=True)
    prefix = f"ieum:test:{uuid.uuid4().hex}:"
    yield redis, prefix
    async for key in redis.scan_iter(match=f"{prefix}*"):
        await redis.delete(key)
    await redis.aclose()


def test_long_text_is_split_at_line_breaks() -> None:
    text = "\n".join(["가" * 30] * 10)
    pieces = split_text(text, limit=100)
    assert all(len(piece) <= 100 for piece in pieces)
    assert "\n".join(pieces) == text
    assert split_text("나" * 250, limit=100) == ["나" * 100, "나" * 100, "나" * 50]
    assert split_text("") == [""]


async def test_render_puts_buttons_under_the_last_piece(redis_prefix: tuple[Redis, str]) -> None:
    payloads = CallbackPayloads(*redis_prefix)
    reply = BotReply("가" * 5000, (Button("예", '/inform{"choice":"yes"}'),))
    first, last = await render(reply, payloads)
    assert first.reply_markup is None
    assert last.reply_markup is not None
    assert last.reply_markup.inline_keyboard[0][0].callback_data == '/inform{"choice":"yes"}'
    [only] = await render(BotReply("", (Button("예", "/affirm"),)), payloads)
    assert only.text == messages.CHOOSE_BELOW


async def test_long_payloads_are_stored_and_resolved(redis_prefix: tuple[Redis, str]) -> None:
    payloads = CallbackPayloads(*redis_prefix)
    long_payload = '/ask_program{"program":"' + "기초연금" * 20 + '"}'
    data = await payloads.callback_data(long_payload)
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert data == await payloads.callback_data(long_payload), "same payload, same key"
    assert await payloads.payload(data) == long_payload
    assert await payloads.payload("#unknown") is None
    # A short payload that looks like a stored key is stored too, so it cannot be misread.
    odd = await payloads.callback_data("#odd")
    assert odd != "#odd" and await payloads.payload(odd) == "#odd"


async def test_rate_limiter_refills_and_tells_once(redis_prefix: tuple[Redis, str]) -> None:
    limiter = UserRateLimiter(*redis_prefix, burst=2, per_minute=600, notice_seconds=5)
    verdicts = [await limiter.admit("telegram-1") for _ in range(4)]
    assert verdicts == [
        Admission.ALLOWED,
        Admission.ALLOWED,
        Admission.LIMITED,
        Admission.LIMITED_TOLD,
    ]
    assert await limiter.admit("telegram-2") is Admission.ALLOWED
    await asyncio.sleep(0.15)  # 600 a minute: a token every 0.1 s
    assert await limiter.admit("telegram-1") is Admission.ALLOWED


async def test_rate_limiter_lets_messages_through_when_redis_is_down() -> None:
    redis = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=1)
    limiter = UserRateLimiter(redis, "ieum:test:", burst=1, per_minute=1)
    assert await limiter.admit("telegram-1") is Admission.ALLOWED
    await redis.aclose()


def test_senders_and_intent_messages() -> None:
    assert sender_id("telegram", 42) == "telegram-42"
    assert parse_sender("webchat-ab-cd") == ("webchat", "ab-cd")
    assert intent_message("find_benefits") == "/find_benefits"
    assert intent_message("greet", {"start_payload": '동네 "복지"'}) == (
        '/greet{"start_payload": "동네 \\"복지\\""}'
    )


def test_rasa_messages_without_content_are_dropped() -> None:
    replies = replies_from_rasa(
        [
            {"recipient_id": "x", "text": "안녕하세요"},
            {"recipient_id": "x", "image": "https://example.org/a.png"},
            {"recipient_id": "x", "buttons": [{"title": "예", "payload": "/affirm"}]},
        ]
    )
    assert [reply.text for reply in replies] == ["안녕하세요", ""]
    assert replies[1].buttons == (Button("예", "/affirm"),)


async def test_gateway_answers_honestly_when_rasa_refuses_the_token(fake_rasa: FakeRasa) -> None:
    async with RasaClient(fake_rasa.url, "wrong-token", 5) as rasa:
        with pytest.raises(RasaUnavailable):
            await rasa.send("terminal-1", "안녕하세요")
        replies = await Gateway(rasa).text("terminal-1", "terminal", "안녕하세요")
    assert [reply.text for reply in replies] == [messages.SERVICE_UNAVAILABLE]
    assert fake_rasa.received == []


async def test_gateway_ignores_empty_text(fake_rasa: FakeRasa) -> None:
    async with RasaClient(fake_rasa.url, fake_rasa.token, 5) as rasa:
        assert await Gateway(rasa).text("terminal-1", "terminal", " / ") == []
    assert fake_rasa.received == []


def test_parse_reading_keeps_the_printed_fields() -> None:
    result = {
        "intent": {"name": "inform", "confidence": 0.8},
        "entities": [{"entity": "age", "value": 73, "start": 0, "end": 3, "extractor": "x"}],
        "intent_ranking": [],
    }
    assert reading("73세", result) == {
        "text": "73세",
        "intent": "inform",
        "confidence": 0.8,
        "entities": [{"entity": "age", "value": 73, "start": 0, "end": 3}],
    }


async def test_updates_of_one_chat_keep_their_order_others_run_alongside() -> None:
    processor = ChatOrderedUpdateProcessor(8)
    events: list[str] = []

    def update(update_id: int, chat_id: int) -> Update:
        chat = Chat(chat_id, Chat.PRIVATE)
        message = Message(update_id, datetime.now(UTC), chat)
        return Update(update_id, message=message)

    async def work(name: str, delay: float) -> None:
        events.append(f"{name} start")
        await asyncio.sleep(delay)
        events.append(f"{name} end")

    await asyncio.gather(
        processor.process_update(update(1, 7), work("a1", 0.05)),
        processor.process_update(update(2, 7), work("a2", 0)),
        processor.process_update(update(3, 8), work("b1", 0)),
    )
    assert events.index("a1 end") < events.index("a2 start")
    assert events.index("b1 end") < events.index("a1 end")
