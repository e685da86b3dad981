"""Messages ieum starts itself (check-ins, staff replies), phrased by Rasa.

The caller names an intent for a conversation; Rasa's trigger_intent runs the dialogue
as if the user had said it, and the messages it returns go to the user's chat through
the same outbox as ordinary replies. Only Telegram conversations can be reached this
way: the web chat and the terminal have no way to receive a message they did not ask
for.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis

from bot.gateway import parse_sender
from bot.keyboards import CallbackPayloads, TelegramMessage, render, split_text
from bot.outbox import Outbox
from bot.rasa_client import RasaClient
from bot.service import build_bot, build_outbox
from core.settings import Settings


class NotReachable(Exception):
    """The conversation is on a channel that cannot receive outbound messages."""


class OutboundMessenger:
    def __init__(self, rasa: RasaClient, payloads: CallbackPayloads, outbox: Outbox) -> None:
        self._rasa = rasa
        self._payloads = payloads
        self._outbox = outbox

    async def send(
        self, sender: str, intent: str, entities: Mapping[str, Any] | None = None
    ) -> int:
        """Deliver what Rasa says for ``intent`` in the conversation ``sender``.

        Returns the number of Telegram messages handed to the outbox. Raises
        NotReachable for a conversation outside Telegram, and RasaUnavailable when Rasa
        does not answer (nothing was sent then; the caller may try again).
        """
        channel, local_id = parse_sender(sender)
        if channel != "telegram":
            raise NotReachable(channel)
        replies = await self._rasa.trigger_intent(sender, intent, entities)
        outgoing: list[TelegramMessage] = []
        for reply in replies:
            outgoing.extend(await render(reply, self._payloads))
        await self._outbox.deliver(int(local_id), outgoing)
        return len(outgoing)

    async def send_text(self, sender: str, text: str) -> int:
        """Deliver ``text`` as it is (a staff reply, not phrased by Rasa) to the chat of
        the conversation ``sender``; the number of Telegram messages handed to the outbox.
        Raises NotReachable for a conversation outside Telegram."""
        channel, local_id = parse_sender(sender)
        if channel != "telegram":
            raise NotReachable(channel)
        outgoing = [TelegramMessage(piece) for piece in split_text(text)]
        await self._outbox.deliver(int(local_id), outgoing)
        return len(outgoing)


@asynccontextmanager
async def open_outbound(settings: Settings) -> AsyncIterator[OutboundMessenger]:
    """An outbound messenger for a process that does not run the Telegram front.

    Sends that fail are queued in the shared outbox; the running bot processes retry them.
    """
    bot = build_bot(settings)
    redis = Redis.from_url(settings.redis_url, decode_responses=True)
    outbox = build_outbox(bot, redis, settings)
    try:
        async with bot, RasaClient.from_settings(settings) as rasa:
            payloads = CallbackPayloads(redis, settings.bot_redis_prefix)
            yield OutboundMessenger(rasa, payloads, outbox)
    finally:
        await redis.aclose()
