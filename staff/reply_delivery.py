"""Delivering staff replies to citizens' Telegram chats.

Replies are rows (``cases.replies``): this worker claims due ones in small batches (SKIP
LOCKED on PostgreSQL, so any number of console processes share the work), hands each to
the bot's outbound path (``bot.outbound``: the bot's rate limiter, and its Redis outbox
that keeps retrying a send that failed for a passing reason), and records the result. A
reply that cannot be handed over (Redis or the Bot API down, a conversation outside
Telegram) is tried again with the queue's backoff, and after the last attempt shows on
the case as 'reply_failed'. Logs carry job and case ids, never the text.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

from bot.outbound import open_outbound
from cases.replies import ReplyJob, ReplyQueue
from core.settings import Settings
from staff import messages

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0
RECONNECT_SECONDS = 30.0
BATCH = 10


class TextSender(Protocol):
    async def send_text(self, sender: str, text: str) -> int: ...


class ReplyDelivery:
    def __init__(self, replies: ReplyQueue, sender: TextSender) -> None:
        self._replies = replies
        self._sender = sender

    async def deliver_due(self) -> int:
        """Deliver the replies due now; how many reached the bot's outbound path."""
        delivered = 0
        while jobs := await asyncio.to_thread(self._replies.claim, BATCH):
            for job in jobs:
                delivered += await self._deliver(job)
            if len(jobs) < BATCH:
                break
        return delivered

    async def run(self, stop: asyncio.Event, poll_seconds: float = POLL_SECONDS) -> None:
        """Deliver due replies every ``poll_seconds`` until ``stop`` is set."""
        while not stop.is_set():
            try:
                await self.deliver_due()
            except Exception as error:  # the database away for a moment must not end it
                log.warning("reply delivery paused: %s", type(error).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), poll_seconds)

    async def _deliver(self, job: ReplyJob) -> int:
        try:
            await self._sender.send_text(job.conversation_id, messages.reply_to_citizen(job.text))
        except Exception as error:  # recorded on the job; the queue decides when to retry
            log.warning(
                "reply %s of case %s not sent: %s", job.id, job.case_id, type(error).__name__
            )
            await asyncio.to_thread(self._replies.failed, job.id, type(error).__name__)
            return 0
        await asyncio.to_thread(self._replies.delivered, job.id)
        log.info("reply %s of case %s handed to the bot", job.id, job.case_id)
        return 1


async def deliver_replies(
    settings: Settings,
    replies: ReplyQueue,
    stop: asyncio.Event,
    *,
    reconnect_seconds: float = RECONNECT_SECONDS,
) -> None:
    """Run the delivery worker on the configured Telegram bot until ``stop`` is set; a
    Bot API that cannot be reached at start (or later) is tried again, the console keeps
    serving meanwhile."""
    while not stop.is_set():
        try:
            async with open_outbound(settings) as outbound:
                await ReplyDelivery(replies, outbound).run(stop)
        except Exception as error:  # Telegram or Redis away: wait, then open again
            log.warning("reply delivery cannot start: %s", type(error).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), reconnect_seconds)
