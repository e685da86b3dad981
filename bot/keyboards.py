"""Assistant replies as Telegram messages: text split to Telegram's size, buttons as
inline keyboards whose callback data leads back to the button's payload."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import messages
from bot.rasa_client import BotReply

MAX_CALLBACK_BYTES = 64
MAX_MESSAGE_CHARS = 4096
# Callback data starting with this names a payload kept in Redis.
STORED_MARK = "#"
# How long a pressed keyboard is remembered; its buttons are removed at the first press,
# this only covers a press that raced the removal.
PRESS_MEMORY_SECONDS = 7 * 24 * 3600


class CallbackPayloads:
    """Button payloads longer than Telegram's 64-byte callback data, kept in Redis.

    The key is a digest of the payload, so the same button always gets the same key and
    any bot process can resolve it. Keys expire after ``ttl_seconds`` without use.
    """

    def __init__(self, redis: Redis, prefix: str, ttl_seconds: int = 90 * 24 * 3600) -> None:
        self._redis = redis
        self._prefix = f"{prefix}callback:"
        self._ttl = ttl_seconds

    async def callback_data(self, payload: str) -> str:
        fits = len(payload.encode()) <= MAX_CALLBACK_BYTES and payload != ""
        if fits and not payload.startswith(STORED_MARK):
            return payload
        digest = hashlib.sha256(payload.encode()).digest()
        key = base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")
        await self._redis.set(self._prefix + key, payload, ex=self._ttl)
        return STORED_MARK + key

    async def first_press(self, chat_id: int, message_id: int) -> bool:
        """Whether this is the first press on a message's keyboard (in any bot process)."""
        key = f"{self._prefix}pressed:{chat_id}:{message_id}"
        return bool(await self._redis.set(key, 1, nx=True, ex=PRESS_MEMORY_SECONDS))

    async def payload(self, callback_data: str) -> str | None:
        """The payload behind a button's callback data; None when it has expired."""
        if not callback_data.startswith(STORED_MARK):
            return callback_data
        stored = await self._redis.getex(
            self._prefix + callback_data.removeprefix(STORED_MARK), ex=self._ttl
        )
        return None if stored is None else str(stored)


@dataclass(frozen=True)
class TelegramMessage:
    """One sendMessage call's content."""

    text: str
    reply_markup: InlineKeyboardMarkup | None = None

    def to_json(self) -> dict[str, Any]:
        markup = self.reply_markup.to_dict() if self.reply_markup else None
        return {"text": self.text, "reply_markup": markup}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TelegramMessage:
        markup = data.get("reply_markup")
        return cls(
            text=str(data["text"]),
            reply_markup=InlineKeyboardMarkup.de_json(dict(markup), None) if markup else None,
        )


def split_text(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Text cut into pieces Telegram accepts, at line breaks where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        while len(line) > limit:
            pieces.append(line[:limit])
            line = line[limit:]
        current = line
    if current or not pieces:
        pieces.append(current)
    return pieces


async def render(reply: BotReply, payloads: CallbackPayloads) -> list[TelegramMessage]:
    """A reply as Telegram messages; its buttons go under the last piece, one per row."""
    pieces = split_text(reply.text or messages.CHOOSE_BELOW)
    markup = None
    if reply.buttons:
        rows = []
        for button in reply.buttons:
            data = await payloads.callback_data(button.payload)
            rows.append([InlineKeyboardButton(button.title, callback_data=data)])
        markup = InlineKeyboardMarkup(rows)
    last = TelegramMessage(pieces[-1], markup)
    return [TelegramMessage(piece) for piece in pieces[:-1]] + [last]
