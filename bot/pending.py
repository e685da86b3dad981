"""What citizens said while part of ieum was down, kept until it is answered.

When Rasa cannot be reached, or a turn comes back incomplete because an action failed,
the gateway tells the citizen so and puts the message here. A loop in every bot process
sends each due conversation's messages to Rasa again, in order, with backoff, and hands
the answers to the channel (Telegram sends them; the web chat keeps them for the page).
A conversation with messages waiting queues its new ones behind them, so answers never
come out of order. Nothing is lost when a bot process dies: the queue is in Redis and
another process takes it up after the lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.due_queues import DueQueues
from bot.rasa_client import BotReply, RasaUnavailable

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 60.0


@dataclass(frozen=True)
class PendingMessage:
    """One message a citizen sent that has not been answered yet (text already masked)."""

    sender: str
    message: str
    metadata: Mapping[str, Any]

    def to_json(self) -> str:
        data = {"sender": self.sender, "message": self.message, "metadata": dict(self.metadata)}
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> PendingMessage:
        data = json.loads(raw)
        return cls(str(data["sender"]), str(data["message"]), dict(data.get("metadata") or {}))


Answer = Callable[[PendingMessage], Awaitable[list[BotReply]]]
"""Sends a pending message to Rasa again; raises RasaUnavailable when it still fails."""
Deliver = Callable[[str, Sequence[BotReply]], Awaitable[None]]
"""Gives the answers to a conversation through its channel."""


class PendingMessages:
    """The waiting messages of one channel's conversations."""

    def __init__(
        self,
        redis: Redis,
        prefix: str,
        channel: str,
        *,
        retry_seconds: float,
        max_attempts: int,
        lease_seconds: float = 120.0,
    ) -> None:
        self._queues = DueQueues(redis, f"{prefix}pending:{channel}:")
        self._retry_seconds = retry_seconds
        self._max_attempts = max_attempts
        self._lease_seconds = lease_seconds

    async def waiting(self, sender: str) -> bool:
        """Whether earlier messages of this conversation still wait for an answer."""
        try:
            return await self._queues.exists(sender)
        except RedisError:
            return False

    async def keep(self, pending: PendingMessage, *, first_try_in: float | None = None) -> None:
        """Keep a message to be answered later (after earlier ones of its conversation)."""
        delay = self._retry_seconds if first_try_in is None else first_try_in
        await self._queues.append(pending.sender, [pending.to_json()], time.time() + delay)

    async def answer_due(self, answer: Answer, deliver: Deliver, give_up: BotReply) -> int:
        """Answer every conversation whose turn has come; the number of messages answered."""
        now = time.time()
        answered = 0
        for sender in await self._queues.due(now):
            if await self._queues.claim(sender, now, now + self._lease_seconds):
                answered += await self._answer_conversation(sender, answer, deliver, give_up)
        return answered

    async def run(
        self,
        stop: asyncio.Event,
        answer: Answer,
        deliver: Deliver,
        give_up: BotReply,
        poll_seconds: float = 1.0,
    ) -> None:
        """Answer due conversations until ``stop`` is set (an event, not a cancellation)."""
        while not stop.is_set():
            try:
                await self.answer_due(answer, deliver, give_up)
            except RedisError as exc:
                log.warning("pending messages unavailable: %s", type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), poll_seconds)

    async def _answer_conversation(
        self, sender: str, answer: Answer, deliver: Deliver, give_up: BotReply
    ) -> int:
        answered = 0
        while True:
            raw = await self._queues.head(sender)
            if raw is None:
                if await self._queues.release_if_empty(sender):
                    return answered
                continue
            try:
                replies = await answer(PendingMessage.from_json(raw))
            except RasaUnavailable:
                attempts = await self._queues.failed(sender)
                if attempts < self._max_attempts:
                    backoff = min(self._retry_seconds * 2**attempts, MAX_BACKOFF_SECONDS)
                    await self._queues.retry_at(sender, time.time() + backoff)
                    return answered
                log.error("gave up answering a message after %s tries", attempts)
                replies = [give_up]
            await deliver(sender, replies)
            await self._queues.pop(sender)
            answered += 1
