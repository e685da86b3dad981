"""The whole conversation stack for end-to-end tests, and a Telegram user to talk to it.

One stack per session: the Bot API emulator on an ephemeral port, then Rasa, the action
server and ``python -m bot`` started by ``ieum.stack`` (the path ``ieum run`` takes), on
their own ports, a Redis database of their own and a fresh PostgreSQL case store. The
embedding model, the search index and the Rasa model are the checkout's, under var/.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import secrets
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
import redis

from cases.db import create_db_engine
from cases.store import CaseStore
from ieum.settings import Settings
from ieum.stack import Stack, conversation_services
from tests.bot_fixtures import bot_env, free_port
from tests.botapi_emulator import BotApiEmulator, EmulatedUser, SentMessage
from tests.db_fixtures import POSTGRES_SERVER

E2E_REDIS_URL = "redis://127.0.0.1:6379/9"
# Rasa and TensorFlow share two cores with everything else: a reply can take seconds.
REPLY_TIMEOUT = 60.0
# The replies to one message are sent together; this long a silence ends the turn.
QUIET_SECONDS = 1.5
BOT_START_TIMEOUT = 60.0


@dataclass
class RunningStack:
    """The running processes, the emulator they talk to and where they keep things."""

    emulator: BotApiEmulator
    stack: Stack
    settings: Settings
    redis: redis.Redis
    cases: CaseStore
    log_dir: Path

    async def restart(self, name: str) -> None:
        """Stop and start one process; the emulator keeps serving meanwhile."""
        await asyncio.to_thread(self.stack.restart_one, name)


def stack_env(settings: Settings) -> dict[str, str]:
    """The environment that gives every process of the stack these settings."""
    return {
        **bot_env(settings),
        "IEUM_ACTION_PORT": str(settings.action_port),
        "IEUM_DATABASE_URL": settings.database_url,
    }


def build_index(settings: Settings) -> None:
    """``ieum index build``: quick when the index already matches the catalog."""
    ieum = Path(sys.executable).with_name("ieum")
    env = {**os.environ, **stack_env(settings)}
    subprocess.run([str(ieum), "index", "build"], check=True, env=env, timeout=600)


def emulated_stack_settings(
    emulator: BotApiEmulator, *, redis_url: str, database_url: str, rasa_token: str
) -> Settings:
    """Settings for a whole stack on free local ports, its bot talking to `emulator`."""
    return Settings(
        rasa_url=f"http://127.0.0.1:{free_port()}",
        rasa_token=rasa_token,
        action_port=free_port(),
        redis_url=redis_url,
        database_url=database_url,
        telegram_token=emulator.token,
        telegram_api_url=emulator.url,
        telegram_webhook_url="",
        webchat_port=free_port(),
    )


def conversation_stack(settings: Settings, log_dir: Path) -> Stack:
    """Rasa, the action server and the bot, each given `settings` through its environment."""
    env = stack_env(settings)
    services = [
        dataclasses.replace(service, env={**env, **service.env})
        for service in conversation_services(settings)
    ]
    return Stack(services, log_dir)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def running_stack(
    postgres_database: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[RunningStack]:
    emulator = BotApiEmulator()
    await emulator.start()
    settings = emulated_stack_settings(
        emulator,
        redis_url=E2E_REDIS_URL,
        database_url=f"postgresql+psycopg://{POSTGRES_SERVER}/{postgres_database}",
        # Leading "-" as in one of 64 stored tokens: it must not pass for a Rasa option.
        rasa_token=f"-{secrets.token_urlsafe(24)}",
    )
    store = redis.Redis.from_url(E2E_REDIS_URL)
    store.flushdb()
    log_dir = tmp_path_factory.mktemp("e2e-logs")
    case_engine = create_db_engine(settings.database_url)  # the action server migrates it
    stack = conversation_stack(settings, log_dir)
    try:
        await asyncio.to_thread(build_index, settings)
        await asyncio.to_thread(stack.start)
        await emulator.wait_for_call("getUpdates", BOT_START_TIMEOUT)
        yield RunningStack(emulator, stack, settings, store, CaseStore(case_engine), log_dir)
    finally:
        await asyncio.to_thread(stack.stop)
        case_engine.dispose()
        await emulator.stop()
        store.flushdb()
        store.close()


@dataclass(frozen=True)
class Turn:
    """What the bot sent back to one message of the user."""

    messages: list[SentMessage]

    @property
    def text(self) -> str:
        return "\n".join(message.text for message in self.messages)

    def with_button(self, title: str) -> SentMessage | None:
        """The message carrying a button with this title, if any."""
        for message in self.messages:
            if title in dict(message.buttons):
                return message
        return None


class Chat:
    """A Telegram user in a private chat with the running bot, one turn at a time."""

    def __init__(self, emulator: BotApiEmulator, chat_id: int) -> None:
        self.user: EmulatedUser = emulator.user(chat_id)
        self.sender = f"telegram-{chat_id}"
        self.turns: list[Turn] = []

    async def start(self) -> Turn:
        await self.user.command("start")
        return await self._turn()

    async def say(self, text: str) -> Turn:
        await self.user.say(text)
        return await self._turn()

    async def press(self, turn: Turn, title: str) -> Turn:
        message = turn.with_button(title)
        assert message is not None, f"no button {title!r} in {turn.text!r}"
        await self.user.press(message, title)
        return await self._turn()

    async def _turn(self) -> Turn:
        received = await self.user.receive(1, REPLY_TIMEOUT)
        while True:
            try:
                received += await self.user.receive(1, QUIET_SECONDS)
            except AssertionError:
                break
        turn = Turn(received)
        self.turns.append(turn)
        return turn
