"""Fixtures of the bot tests: the Bot API emulator, the fake Rasa, and running bots.

Each test gets its own Redis key prefix, removed afterwards, so tests never share
rate-limit buckets, stored button payloads or outbox queues.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import redis

from bot import telegram_app
from core.settings import Settings
from ieum.emulated_stack import free_port
from ieum.telegram_emulator import BotApiEmulator
from tests.fake_rasa import FakeRasa

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    server = BotApiEmulator()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def fake_rasa() -> AsyncIterator[FakeRasa]:
    server = FakeRasa()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def bot_settings(
    emulator: BotApiEmulator, fake_rasa: FakeRasa, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # as python -m bot runs
    prefix = f"ieum:test:{uuid.uuid4().hex}:"
    yield Settings(
        data_dir=tmp_path,
        rasa_url=fake_rasa.url,
        rasa_token=fake_rasa.token,
        rasa_timeout_seconds=5.0,
        redis_url=REDIS_URL,
        telegram_token=emulator.token,
        telegram_api_url=emulator.url,
        telegram_webhook_url="",
        bot_redis_prefix=prefix,
        outbox_retry_seconds=0.2,
        pending_retry_seconds=0.2,
        webchat_port=free_port(),
    )
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)
    client.close()


@asynccontextmanager
async def running_bot(settings: Settings) -> AsyncIterator[None]:
    """A Telegram front serving in this event loop, as one bot process would."""
    stop, ready = asyncio.Event(), asyncio.Event()
    serving = asyncio.create_task(telegram_app.serve(settings, stop, ready))
    readiness = asyncio.create_task(ready.wait())
    await asyncio.wait({serving, readiness}, timeout=15, return_when=asyncio.FIRST_COMPLETED)
    readiness.cancel()
    if serving.done():
        serving.result()
    assert ready.is_set(), "the bot did not start"
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(serving, 15)


@pytest.fixture
async def polling_bot(bot_settings: Settings) -> AsyncIterator[Settings]:
    async with running_bot(bot_settings):
        yield bot_settings
