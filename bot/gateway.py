"""The one path from every channel (Telegram, web chat, terminal) to the assistant.

Every message passes here: the rate limit, the 주민등록번호 mask (before anything
leaves the process), the call to Rasa, and the notices the channel adds itself. The
gateway keeps no conversation state: Rasa's tracker store holds it, keyed by sender,
so any bot process can carry on any conversation.

When Rasa or the action server is down, the citizen is told so at once (with 129) and,
on channels that can receive a later message, the message is kept in the pending
queue and answered once ieum is back (``bot/pending.py``).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis

from bot import messages
from bot.pending import PendingMessage, PendingMessages
from bot.rasa_client import BotReply, RasaClient, RasaUnavailable, TurnIncomplete
from bot.rate_limit import Admission, UserRateLimiter
from core.privacy import mask_rrn
from core.settings import Settings


def sender_id(channel: str, local_id: str | int) -> str:
    """The Rasa conversation id of a user of a channel, e.g. ``telegram-12345``."""
    return f"{channel}-{local_id}"


def parse_sender(sender: str) -> tuple[str, str]:
    """The channel and the channel's own id of a Rasa conversation id."""
    channel, _, local_id = sender.partition("-")
    return channel, local_id


def intent_message(intent: str, entities: Mapping[str, Any] | None = None) -> str:
    """A message that names its intent directly, as Rasa reads ``/intent{"entity": …}``."""
    if not entities:
        return f"/{intent}"
    return f"/{intent}{json.dumps(dict(entities), ensure_ascii=False)}"


CHECKIN_PAYLOAD_PREFIX = "ck:"
"""Callback data of a check-in button (``cases.checkin_sender.button_payload``)."""


def checkin_answer_message(payload: str) -> str | None:
    """The Rasa message of a check-in button's payload; None when it is not one."""
    if not payload.startswith(CHECKIN_PAYLOAD_PREFIX):
        return None
    intent = "checkin_ok" if payload.endswith(":ok") else "checkin_need_help"
    return intent_message(intent, {"checkin_payload": payload})


class Gateway:
    """Forwards user input of any channel to Rasa and returns what to show the user."""

    def __init__(
        self,
        rasa: RasaClient,
        limiter: UserRateLimiter | None = None,
        pending: PendingMessages | None = None,
    ) -> None:
        self._rasa = rasa
        self._limiter = limiter
        self._pending = pending

    async def text(self, sender: str, channel: str, text: str) -> list[BotReply]:
        """Something the user typed.

        A leading slash is dropped so typed text cannot pose as a button payload.
        """
        return await self._forward(sender, channel, text.strip().lstrip("/").strip())

    async def payload(self, sender: str, channel: str, payload: str) -> list[BotReply]:
        """The payload of a button the assistant offered.

        A check-in's buttons carry the case store's ``ck:<check-in>:<answer>``: Rasa gets
        it as the check-in answer it is (``checkin_ok``, or ``checkin_need_help`` for
        도움이 필요해요 and 전화해 주세요) with the payload as an entity, so the press needs
        no language model and the action records exactly which button it was.
        """
        return await self._forward(sender, channel, checkin_answer_message(payload) or payload)

    async def start(self, sender: str, channel: str, start_payload: str) -> list[BotReply]:
        """The start of a conversation, with the deep-link payload it came with (may be empty)."""
        message = intent_message("greet", {"start_payload": start_payload})
        return await self._forward(sender, channel, message)

    async def location(
        self, sender: str, channel: str, latitude: float, longitude: float
    ) -> list[BotReply]:
        """A shared location, given to Rasa as the region ``"<lat>,<lon>"``."""
        region = f"{latitude:.6f},{longitude:.6f}"
        location = {"latitude": latitude, "longitude": longitude}
        return await self._forward(
            sender, channel, intent_message("inform", {"region": region}), {"location": location}
        )

    async def photo(self, sender: str, channel: str, path: str) -> list[BotReply]:
        """A photo the bot has saved (``bot/photos.py``), given to Rasa as the answer
        ``photo:<path>``: only the report form takes it."""
        return await self._forward(
            sender, channel, intent_message("inform", {"choice": f"photo:{path}"})
        )

    async def _forward(
        self,
        sender: str,
        channel: str,
        message: str,
        metadata: Mapping[str, Any] | None = None,
    ) -> list[BotReply]:
        if not message:
            return []
        if self._limiter is not None:
            admission = await self._limiter.admit(sender)
            if admission is Admission.LIMITED:
                return [BotReply(messages.RATE_LIMITED)]
            if admission is Admission.LIMITED_TOLD:
                return []
        masked, had_rrn = mask_rrn(message)
        notices = [BotReply(messages.RRN_NOTICE)] if had_rrn else []
        held = PendingMessage(
            sender, masked, {"channel": channel, "rrn_masked": had_rrn, **(metadata or {})}
        )
        if self._pending is not None and await self._pending.waiting(sender):
            # Earlier messages wait for an answer: this one goes after them, in order.
            await self._pending.keep(held, first_try_in=0.0)
            return [*notices, BotReply(messages.STILL_ANSWERING)]
        try:
            return notices + await self.answer(held)
        except RasaUnavailable as failure:
            said = failure.replies if isinstance(failure, TurnIncomplete) else []
            if self._pending is None:
                return [*notices, *said, BotReply(messages.SERVICE_UNAVAILABLE)]
            await self._pending.keep(held)
            return [*notices, *said, BotReply(messages.ANSWER_LATER)]

    @property
    def pending(self) -> PendingMessages | None:
        return self._pending

    async def answer(self, held: PendingMessage) -> list[BotReply]:
        """Rasa's answer to a (masked) message; raises RasaUnavailable when it cannot."""
        return await self._rasa.send(held.sender, held.message, held.metadata)


@asynccontextmanager
async def open_gateway(
    settings: Settings, *, rate_limited: bool = True, keeps_pending: str | None = None
) -> AsyncIterator[tuple[Gateway, Redis]]:
    """A gateway to the configured Rasa server, and the Redis connection it shares.

    ``keeps_pending`` names the channel whose unanswered messages are kept for later
    (a channel that can receive a message later); None: the citizen is told to try again.
    """
    redis = Redis.from_url(settings.redis_url, decode_responses=True)
    limiter = None
    if rate_limited:
        limiter = UserRateLimiter(
            redis,
            settings.bot_redis_prefix,
            burst=settings.user_rate_burst,
            per_minute=settings.user_rate_per_minute,
        )
    pending = None
    if keeps_pending is not None:
        pending = PendingMessages(
            redis,
            settings.bot_redis_prefix,
            keeps_pending,
            retry_seconds=settings.pending_retry_seconds,
            max_attempts=settings.pending_max_attempts,
        )
    try:
        async with RasaClient.from_settings(settings) as rasa:
            yield Gateway(rasa, limiter, pending), redis
    finally:
        await redis.aclose()
