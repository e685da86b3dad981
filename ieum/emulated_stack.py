"""The whole conversation stack against a local Telegram: for end-to-end tests and benchmarks.

One sequence, used by both: the Bot API emulator on an ephemeral port, then the action
server, Rasa and ``python -m bot`` started by ``ieum.stack`` (the path ``ieum run``
takes) on free local ports, with a Redis database of their own (flushed before and
after) and the given case store. The embedding model, the search index and the Rasa
model are the checkout's. ``Chat`` is a Telegram user talking to it one turn at a time.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

from core.settings import Settings
from ieum.stack import Stack, conversation_services
from ieum.telegram_emulator import BotApiEmulator, EmulatedUser, SentMessage
from knowledge.fields import FIELDS

BOT_START_TIMEOUT = 60.0
# Rasa and TensorFlow share two cores with everything else: a reply can take seconds.
REPLY_TIMEOUT = 60.0
# The replies to one message are sent together; this long a silence ends the turn.
QUIET_SECONDS = 1.5


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def emulated_settings(
    emulator: BotApiEmulator, *, redis_url: str, database_url: str, rasa_token: str
) -> Settings:
    """Settings for a whole stack on free local ports, its bot talking to ``emulator``."""
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
        # Scripted users answer faster than people type: the per-user flood limit is for
        # people, and is tested on its own (tests/test_bot_telegram.py).
        user_rate_burst=60,
        user_rate_per_minute=600.0,
    )


def build_index(settings: Settings) -> None:
    """``ieum index build``: quick when the index already matches the catalog."""
    ieum = Path(sys.executable).with_name("ieum")
    env = {**os.environ, **settings.as_env()}
    subprocess.run([str(ieum), "index", "build"], check=True, env=env, timeout=600)


@dataclass
class EmulatedStack:
    """The running processes, the emulator they talk to, and their Redis database."""

    emulator: BotApiEmulator
    stack: Stack
    settings: Settings
    redis: redis.Redis

    async def restart(self, name: str) -> None:
        """Stop and start one process; the emulator keeps serving meanwhile."""
        await asyncio.to_thread(self.stack.restart_one, name)


@asynccontextmanager
async def emulated_stack(
    *,
    redis_url: str,
    database_url: str,
    rasa_token: str,
    log_dir: Path,
    emulator: BotApiEmulator | None = None,
) -> AsyncIterator[EmulatedStack]:
    """Start everything, yield it once the bot polls the emulator, then stop everything."""
    emulator = emulator or BotApiEmulator()
    await emulator.start()
    settings = emulated_settings(
        emulator, redis_url=redis_url, database_url=database_url, rasa_token=rasa_token
    )
    store = redis.Redis.from_url(redis_url)
    store.flushdb()
    stack = Stack(conversation_services(settings), log_dir)
    try:
        await asyncio.to_thread(build_index, settings)
        await asyncio.to_thread(stack.start)
        await emulator.wait_for_call("getUpdates", BOT_START_TIMEOUT)
        yield EmulatedStack(emulator, stack, settings, store)
    finally:
        await asyncio.to_thread(stack.stop)
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

    def asked(self) -> list[str]:
        """The profile fields the benefit finder asks about in this turn."""
        return sorted(
            {field for wording, field in QUESTION_WORDING.items() if wording in self.text}
        )


# How a scripted citizen (73, living alone in 서울 강서구 on 50만 원 a month, no property)
# answers the
# benefit finder: typed, or by pressing the button of ANSWER_BUTTONS; anything else is
# answered with "잘 모르겠어요".
DONT_KNOW = "잘 모르겠어요"
TYPED_ANSWERS = {"age": "일흔셋이요", "monthly_income": "월 50만원", "region": "서울 강서구"}
ANSWER_BUTTONS = {
    "has_assets": "없어요",
    "household_size": "1명",
    "lives_alone": "예",
    "married": "아니요",
    "sex": "여성",
    "disability": "없음",
    "crisis": "없음",
    "situations": "없음",
    "receives": "없음",
    "employment": "일하지 않음",
}

# The wording of every benefit question, about the user and about someone else.
QUESTION_WORDING = {
    wording: field.name
    for field in FIELDS.values()
    for wording in (field.about_self, field.about_other)
}


async def receive_turn(user: EmulatedUser, first_timeout: float = REPLY_TIMEOUT) -> Turn:
    """Every message of the bot's answer: the first within ``first_timeout``, the rest
    until ``QUIET_SECONDS`` pass without one. Raises AssertionError when nothing came."""
    received = await user.receive(1, first_timeout)
    while True:
        try:
            received += await user.receive(1, QUIET_SECONDS)
        except AssertionError:
            break
    return Turn(received)


class Chat:
    """A Telegram user in a private chat with the running bot, one turn at a time."""

    def __init__(self, emulator: BotApiEmulator, chat_id: int) -> None:
        self.user: EmulatedUser = emulator.user(chat_id)
        self.sender = f"telegram-{chat_id}"
        self.turns: list[Turn] = []

    async def start(self, payload: str = "") -> Turn:
        await self.user.command("start", payload)
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
        turn = await receive_turn(self.user)
        self.turns.append(turn)
        return turn
