"""Sending messages to Telegram chats so that none is lost.

A message is sent at once when the chat has nothing waiting. When a send fails for a
reason that can pass (network, Telegram's 5xx, flood control), that message and the
ones after it go to the chat's queue in Redis, and a background loop in every bot
process retries due chats with exponential backoff (or Telegram's retry_after). New
messages for a chat that has a queue join its end, so a chat never sees them out of
order. A process claims a due chat with a lease, so two processes never send the same
queue at once, and a queue whose process died is picked up after the lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import time
from collections.abc import Sequence

from redis.asyncio import Redis
from redis.exceptions import RedisError
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot.due_queues import DueQueues
from bot.keyboards import TelegramMessage
from bot.send_rate_limiter import retry_after_seconds

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 600.0


def chat_ref(chat_id: int) -> str:
    """A chat id fit for logs: stable, but not the id itself."""
    return hashlib.sha256(str(chat_id).encode()).hexdigest()[:10]


class Outbox:
    """Delivers messages to Telegram chats, retrying failed sends from Redis."""

    def __init__(
        self,
        bot: Bot,
        redis: Redis,
        prefix: str,
        *,
        retry_seconds: float,
        max_attempts: int,
        lease_seconds: float = 60.0,
    ) -> None:
        self._bot = bot
        self._queues = DueQueues(redis, f"{prefix}outbox:")
        self._retry_seconds = retry_seconds
        self._max_attempts = max_attempts
        self._lease_seconds = lease_seconds

    async def deliver(self, chat_id: int, outgoing: Sequence[TelegramMessage]) -> None:
        """Send messages to a chat in order; whatever cannot go now is queued for retry."""
        if await self._has_queue(chat_id):
            await self._enqueue(chat_id, outgoing, time.time())
            return
        for index, message in enumerate(outgoing):
            try:
                await self._send(chat_id, message)
            except (Forbidden, ChatMigrated):
                log.info("chat %s cannot receive messages; dropped", chat_ref(chat_id))
                return
            except BadRequest as exc:
                log.error("Telegram refused a message for chat %s: %s", chat_ref(chat_id), exc)
            except TelegramError as exc:
                delay = self._delay(exc, failures=1)
                log.warning("send to chat %s failed (%s), retrying", chat_ref(chat_id), exc)
                await self._enqueue(chat_id, outgoing[index:], time.time() + delay)
                return

    async def drain_due(self) -> int:
        """Retry every chat whose turn has come; the number of messages sent."""
        now = time.time()
        sent = 0
        for chat in await self._queues.due(now):
            if await self._queues.claim(chat, now, now + self._lease_seconds):
                sent += await self._drain_chat(int(chat))
        return sent

    async def run(self, stop: asyncio.Event, poll_seconds: float = 1.0) -> None:
        """Drain due chats until ``stop`` is set.

        Stopped by an event, not by cancelling: the Redis client may turn a cancellation
        in the middle of a command into a connection error.
        """
        while not stop.is_set():
            try:
                await self.drain_due()
            except RedisError as exc:
                log.warning("outbox unavailable: %s", type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), poll_seconds)

    async def _drain_chat(self, chat_id: int) -> int:
        queue = str(chat_id)
        sent = 0
        while True:
            raw = await self._queues.head(queue)
            if raw is None:
                if await self._queues.release_if_empty(queue):
                    return sent
                continue
            try:
                await self._send(chat_id, TelegramMessage.from_json(json.loads(raw)))
            except (Forbidden, ChatMigrated):
                log.info("chat %s cannot receive messages; queue dropped", chat_ref(chat_id))
                await self._queues.drop(queue)
                continue
            except BadRequest as exc:
                log.error("Telegram refused a queued message for %s: %s", chat_ref(chat_id), exc)
                await self._queues.pop(queue)
                continue
            except TelegramError as exc:
                attempts = await self._queues.failed(queue)
                if attempts < self._max_attempts:
                    retry_at = time.time() + self._delay(exc, failures=attempts + 1)
                    await self._queues.retry_at(queue, retry_at)
                    return sent
                log.error(
                    "gave up on a message for chat %s after %s tries", chat_ref(chat_id), attempts
                )
                await self._queues.pop(queue)
                continue
            await self._queues.pop(queue)
            sent += 1

    async def _has_queue(self, chat_id: int) -> bool:
        try:
            return await self._queues.exists(str(chat_id))
        except RedisError as exc:
            # Without Redis nothing can be queued either: send straight away.
            log.warning("outbox unavailable, sending directly: %s", type(exc).__name__)
            return False

    async def _enqueue(
        self, chat_id: int, outgoing: Sequence[TelegramMessage], due_at: float
    ) -> None:
        encoded = [json.dumps(message.to_json(), ensure_ascii=False) for message in outgoing]
        await self._queues.append(str(chat_id), encoded, due_at)

    async def _send(self, chat_id: int, message: TelegramMessage) -> None:
        await self._bot.send_message(chat_id, message.text, reply_markup=message.reply_markup)

    def _delay(self, exc: TelegramError, failures: int) -> float:
        """Seconds to wait after ``failures`` failed sends: Telegram's word, else backoff."""
        if isinstance(exc, RetryAfter):
            return retry_after_seconds(exc)
        backoff: float = self._retry_seconds * 2 ** (failures - 1)
        return min(backoff, MAX_BACKOFF_SECONDS)
