"""The one path from every channel (Telegram, web chat, terminal) to the assistant.

Every message passes here: the rate limit, the 주민등록번호 mask (before anything
leaves the process), the call to Rasa, and the notices the channel adds itself. The
gateway keeps no conversation state: Rasa's tracker store holds it, keyed by sender,
so any bot process can carry on any conversation.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis

from bot import messages
from bot.rasa_client import BotReply, RasaClient, RasaUnavailable
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


class Gateway:
    """Forwards user input of any channel to Rasa and returns what to show the user."""

    def __init__(self, rasa: RasaClient, limiter: UserRateLimiter | None = None) -> None:
        self._rasa = rasa
        self._limiter = limiter

    async def text(self, sender: str, channel: str, text: str) -> list[BotReply]:
        """Something the user typed.

        A leading slash is dropped so typed text cannot pose as a button payload.
        """
        return await self._forward(sender, channel, text.strip().lstrip("/").strip())

    async def payload(self, sender: str, channel: str, payload: str) -> list[BotReply]:
        """The payload of a button the assistant offered."""
        return await self._forward(sender, channel, payload)

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
        try:
            replies = await self._rasa.send(
                sender, masked, {"channel": channel, "rrn_masked": had_rrn, **(metadata or {})}
            )
        except RasaUnavailable:
            replies = [BotReply(messages.SERVICE_UNAVAILABLE)]
        return notices + replies


@asynccontextmanager
async def open_gateway(
    settings: Settings, *, rate_limited: bool = True
) -> AsyncIterator[tuple[Gateway, Redis]]:
    """A gateway to the configured Rasa server, and the Redis connection it shares."""
    redis = Redis.from_url(settings.redis_url, decode_responses=True)
    limiter = None
    if rate_limited:
        limiter = UserRateLimiter(
            redis,
            settings.bot_redis_prefix,
            burst=settings.user_rate_burst,
            per_minute=settings.user_rate_per_minute,
        )
    try:
        async with RasaClient.from_settings(settings) as rasa:
            yield Gateway(rasa, limiter), redis
    finally:
        await redis.aclose()
