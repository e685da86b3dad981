"""Check-ins to Telegram chats: the sender the check-in worker hands each message to.

The worker (``ieum checkins worker|tick``) is a plain thread that ticks the case store,
so this sender is synchronous: one small httpx client on the settings' Bot API. It has
the shape of ``cases.checkin_sender.CheckinSender`` without importing it (bot/ sits
beside cases/, not above it): buttons are anything with a ``label`` and a ``payload``,
and a chat that cannot receive messages raises the error class it was built with, which
the command line (``ieum/``) sets to the case store's ``ChatBlocked``.

Telegram's limits are kept with every other process sending as the bot: each send waits
for its turn from the send budget shared in Redis (``bot/send_budget.py``: the bot's
messages a second, the check-in workers' share of them, one a second in any one chat).
A 429 holds every process's sends for its ``retry_after``, and the send is tried once
more after a short one; otherwise it fails and the case store retries it with backoff,
so nothing is dropped. A request Telegram does not answer within the timeout
(``IEUM_CHECKIN_SEND_TIMEOUT_SECONDS``) fails the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Protocol

import httpx

from bot.send_budget import SendBudget
from bot.send_pacer import SendPacer
from core.settings import Settings

log = logging.getLogger(__name__)

MAX_WAIT_RETRY_AFTER = 10.0
"""A 429 asking to wait longer than this fails the send; the case store retries later."""
CONNECT_TIMEOUT = 5.0
ALONE_PER_SECOND = 20.0
"""The pace of a sender built without a shared budget (one process alone)."""
# Descriptions Telegram gives for a chat that can never receive the bot's messages.
_UNREACHABLE = (
    "bot was blocked by the user",
    "chat not found",
    "user is deactivated",
    "bot can't initiate conversation",
    "bot was kicked",
)


_SENT_UNANSWERED = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError)
"""The request was written, no answer read: Telegram may have taken the message. (A
connect error or a write timeout never reached it.)"""


class CheckinButton(Protocol):
    """A check-in button as the case store describes it (``cases.checkin_sender.Button``)."""

    @property
    def label(self) -> str: ...

    @property
    def payload(self) -> str: ...


class ChatUnreachable(Exception):
    """The chat cannot receive messages from the bot (blocked, deleted, deactivated)."""


class SendUnanswered(Exception):
    """The request went out but no answer came: Telegram may have taken the message."""


class SendFailed(Exception):
    """Telegram did not take the message for a reason that may pass (5xx, 429, network)."""


class Pacer(Protocol):
    """Whose turn it is to send (``SendBudget``, or ``SendPacer`` for one process)."""

    def wait_turn(self, chat_id: str) -> None: ...

    def hold(self, seconds: float) -> None: ...


class TelegramCheckinSender:
    """Sends a check-in (text and one large button a row) with the Bot API's sendMessage."""

    def __init__(
        self,
        api_url: str,
        token: str,
        *,
        unreachable: type[Exception] = ChatUnreachable,
        unanswered: type[Exception] = SendUnanswered,
        pacer: Pacer | None = None,
        timeout_seconds: float = 10.0,
    ) -> None:
        self._url = f"{api_url.rstrip('/')}/bot{token}/sendMessage"
        self._unreachable = unreachable
        self._unanswered = unanswered
        self._pacer = pacer or SendPacer(ALONE_PER_SECOND)
        timeout = httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, CONNECT_TIMEOUT))
        self._client = httpx.Client(timeout=timeout)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        unreachable: type[Exception] = ChatUnreachable,
        unanswered: type[Exception] = SendUnanswered,
    ) -> TelegramCheckinSender:
        """The sender of a check-in worker, taking its turns from the shared budget."""
        return cls(
            settings.telegram_api_url,
            settings.telegram_token,
            unreachable=unreachable,
            unanswered=unanswered,
            pacer=SendBudget.from_settings(settings, checkins=True),
            timeout_seconds=settings.checkin_send_timeout_seconds,
        )

    def close(self) -> None:
        """Close the HTTP client, and the shared budget's Redis connection."""
        self._client.close()
        if isinstance(self._pacer, SendBudget):
            self._pacer.close()

    def send(self, chat_id: str, text: str, buttons: Sequence[CheckinButton]) -> str:
        """Deliver ``text`` with ``buttons`` to ``chat_id``; Telegram's message id.

        Raises the ``unreachable`` error for a chat that blocked the bot or no longer
        exists, and ``SendFailed`` for anything that may pass.
        """
        body: dict[str, Any] = {"chat_id": chat_id, "text": text}
        if buttons:
            body["reply_markup"] = keyboard(buttons)
        for _ in range(2):
            self._pacer.wait_turn(chat_id)
            wait = self._post(chat_id, body)
            if isinstance(wait, str):
                return wait
            self._pacer.hold(wait)  # every process of the bot waits, this one too
            if wait > MAX_WAIT_RETRY_AFTER:
                break
        raise SendFailed("Telegram asked to wait (429)")

    def _post(self, chat_id: str, body: dict[str, Any]) -> str | float:
        """The message id, or the seconds Telegram asked to wait (429)."""
        try:
            response = self._client.post(self._url, json=body)
            answer = response.json()
        except _SENT_UNANSWERED as error:
            raise self._unanswered(type(error).__name__) from error
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
