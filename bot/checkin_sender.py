"""Check-ins to Telegram chats: the sender the check-in worker hands each message to.

The worker (``ieum checkins worker|tick``) is a plain thread that ticks the case store,
so this sender is synchronous: one small httpx client on the settings' Bot API. It has
the shape of ``cases.checkin_sender.CheckinSender`` without importing it (bot/ sits
beside cases/, not above it): buttons are anything with a ``label`` and a ``payload``,
and a chat that cannot receive messages raises the error class it was built with, which
the command line (``ieum/``) sets to the case store's ``ChatBlocked``.

Telegram's limits are kept here, for every message this process sends: at most
``per_second`` messages a second over all chats and one a second in any one chat (the
check-in worker's share of the bot's ~30 a second; the bot's answers keep their own
in-process limiter, ``bot/service.py``). A 429 is waited out once when its
``retry_after`` is short; otherwise the send fails and the case store retries it with
backoff, so nothing is dropped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import httpx

from core.settings import Settings

log = logging.getLogger(__name__)

PER_CHAT_SECONDS = 1.0
"""Telegram allows about one message a second in one chat."""
MAX_WAIT_RETRY_AFTER = 10.0
"""A 429 asking to wait longer than this fails the send; the case store retries later."""
REQUEST_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
# Descriptions Telegram gives for a chat that can never receive the bot's messages.
_UNREACHABLE = (
    "bot was blocked by the user",
    "chat not found",
    "user is deactivated",
    "bot can't initiate conversation",
    "bot was kicked",
)


class CheckinButton(Protocol):
    """A check-in button as the case store describes it (``cases.checkin_sender.Button``)."""

    @property
    def label(self) -> str: ...

    @property
    def payload(self) -> str: ...


class ChatUnreachable(Exception):
    """The chat cannot receive messages from the bot (blocked, deleted, deactivated)."""


class SendFailed(Exception):
    """Telegram did not take the message for a reason that may pass (5xx, 429, network)."""


class SendPacer:
    """Spaces sends: ``per_second`` over all chats, one per ``per_chat_seconds`` a chat.

    Thread-safe; a caller waits (sleeps) for its turn. ``clock`` and ``sleep`` are
    injectable for tests.
    """

    def __init__(
        self,
        per_second: float,
        per_chat_seconds: float = PER_CHAT_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = 1.0 / per_second
        self._per_chat = per_chat_seconds
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_global = 0.0
        self._next_chat: dict[str, float] = {}

    def wait_turn(self, chat_id: str) -> None:
        """Return when a message to ``chat_id`` may go now (the turn is taken)."""
        with self._lock:
            now = self._clock()
            at = max(now, self._next_global, self._next_chat.get(chat_id, 0.0))
            self._next_global = at + self._interval
            self._next_chat[chat_id] = at + self._per_chat
            # Forget chats whose spacing has passed, so the map stays small.
            if len(self._next_chat) > 10_000:
                self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
        if at > now:
            self._sleep(at - now)


class TelegramCheckinSender:
    """Sends a check-in (text and one large button a row) with the Bot API's sendMessage."""

    def __init__(
        self,
        api_url: str,
        token: str,
        *,
        unreachable: type[Exception] = ChatUnreachable,
        per_second: float = 20.0,
        pacer: SendPacer | None = None,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._url = f"{api_url.rstrip('/')}/bot{token}/sendMessage"
        self._unreachable = unreachable
        self._pacer = pacer or SendPacer(per_second)
        self._client = client or httpx.Client(timeout=REQUEST_TIMEOUT)
        self._sleep = sleep

    @classmethod
    def from_settings(
        cls, settings: Settings, unreachable: type[Exception] = ChatUnreachable
    ) -> TelegramCheckinSender:
        return cls(
            settings.telegram_api_url,
            settings.telegram_token,
            unreachable=unreachable,
            per_second=settings.checkin_send_per_second,
        )

    def close(self) -> None:
        self._client.close()

    def send(self, chat_id: str, text: str, buttons: Sequence[CheckinButton]) -> str:
        """Deliver ``text`` with ``buttons`` to ``chat_id``; Telegram's message id.

        Raises the ``unreachable`` error for a chat that blocked the bot or no longer
        exists, and ``SendFailed`` for anything that may pass.
        """
        body: dict[str, Any] = {"chat_id": chat_id, "text": text}
        if buttons:
            body["reply_markup"] = keyboard(buttons)
        for attempt in (1, 2):
            self._pacer.wait_turn(chat_id)
            wait = self._post(chat_id, body)
            if isinstance(wait, str):
                return wait
            if attempt == 2 or wait > MAX_WAIT_RETRY_AFTER:
                break
            self._sleep(wait)
        raise SendFailed("Telegram asked to wait (429)")

    def _post(self, chat_id: str, body: dict[str, Any]) -> str | float:
        """The message id, or the seconds Telegram asked to wait (429)."""
        try:
            response = self._client.post(self._url, json=body)
            answer = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise SendFailed(type(error).__name__) from error
        if not isinstance(answer, dict):
            raise SendFailed(f"HTTP {response.status_code}")
        if answer.get("ok"):
            return str(answer["result"]["message_id"])
        description = str(answer.get("description", ""))
        status = int(answer.get("error_code", response.status_code))
        if status == 429:
            parameters = answer.get("parameters") or {}
            return float(parameters.get("retry_after", MAX_WAIT_RETRY_AFTER + 1))
        if status == 403 or any(words in description.lower() for words in _UNREACHABLE):
            log.info("a chat cannot receive check-ins (HTTP %s)", status)
            raise self._unreachable(description)
        raise SendFailed(f"HTTP {status}")


def keyboard(buttons: Sequence[CheckinButton]) -> dict[str, Any]:
    """An inline keyboard with one button a row (wide, easy to press)."""
    return {
        "inline_keyboard": [
            [{"text": button.label, "callback_data": button.payload}] for button in buttons
        ]
    }
