"""HTTP client of the Rasa server: the custom ``ieum`` channel, trigger_intent and parse.

The bot never imports rasa; this module is the whole interface between the two.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

import httpx

from core.settings import Settings

log = logging.getLogger(__name__)

CHANNEL_PATH = "/webhooks/ieum/webhook"
# The name of the custom input channel; trigger_intent collects its messages for us.
OUTPUT_CHANNEL = "ieum"


INCOMPLETE_HEADER = "X-Ieum-Incomplete"


class RasaUnavailable(Exception):
    """Rasa could not be reached or did not answer properly."""


class TurnIncomplete(RasaUnavailable):
    """Rasa answered, but an action of the turn failed (the action server is down):
    ``replies`` is what was said before it failed."""

    def __init__(self, replies: list[BotReply]) -> None:
        super().__init__("an action of the turn failed")
        self.replies = replies


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class BotReply:
    """One message from the assistant: text and the buttons shown under it."""

    text: str
    buttons: tuple[Button, ...] = ()
    custom: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_rasa(cls, message: Mapping[str, Any]) -> BotReply:
        buttons = tuple(
            Button(title=str(button.get("title", "")), payload=str(button.get("payload", "")))
            for button in message.get("buttons") or ()
        )
        custom = message.get("custom")
        return cls(
            text=str(message.get("text") or ""),
            buttons=buttons,
            custom=custom if isinstance(custom, Mapping) else {},
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "buttons": [{"title": b.title, "payload": b.payload} for b in self.buttons],
        }


def replies_from_rasa(messages: Sequence[Mapping[str, Any]]) -> list[BotReply]:
    """Rasa's bot messages as replies, leaving out the ones with nothing to show."""
    replies = [BotReply.from_rasa(message) for message in messages]
    return [reply for reply in replies if reply.text or reply.buttons]


class RasaClient:
    """Talks to one Rasa server; safe to share between concurrent conversations."""

    def __init__(
        self,
        base_url: str,
        token: str,
        timeout: float,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._token = token
        self._http = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            transport=transport,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> RasaClient:
        return cls(settings.rasa_url, settings.rasa_token, settings.rasa_timeout_seconds)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def send(
        self, sender: str, message: str, metadata: Mapping[str, Any] | None = None
    ) -> list[BotReply]:
        """Send one user message to the ``ieum`` channel and return the assistant's replies.

        Raises TurnIncomplete when an action of the turn failed, RasaUnavailable when
        Rasa did not answer.
        """
        response = await self._post_for_response(
            "channel",
            CHANNEL_PATH,
            json={"sender": sender, "message": message, "metadata": dict(metadata or {})},
            headers={"Authorization": f"Bearer {self._token}"},
        )
        body = _json_of(response)
        if not isinstance(body, list):
            raise RasaUnavailable("channel answered with something other than a list")
        replies = replies_from_rasa(body)
        if response.headers.get(INCOMPLETE_HEADER) == "1":
            raise TurnIncomplete(replies)
        return replies

    async def trigger_intent(
        self, sender: str, intent: str, entities: Mapping[str, Any] | None = None
    ) -> list[BotReply]:
        """Have Rasa phrase an outbound message (check-in, staff reply) for a conversation."""
        body = await self._post(
            "trigger_intent",
            f"/conversations/{quote(sender, safe='')}/trigger_intent",
            params={
                "token": self._token,
                "output_channel": OUTPUT_CHANNEL,
                "include_events": "NONE",
            },
            json={"name": intent, "entities": dict(entities or {})},
        )
        if not isinstance(body, dict):
            raise RasaUnavailable("trigger_intent answered with something other than an object")
        return replies_from_rasa(body.get("messages") or [])

    async def parse(self, text: str) -> dict[str, Any]:
        """Rasa's NLU result for a text, without touching any conversation."""
        body = await self._post(
            "parse", "/model/parse", params={"token": self._token}, json={"text": text}
        )
        if not isinstance(body, dict):
            raise RasaUnavailable("parse answered with something other than an object")
        return body

    async def _post(
        self,
        what: str,
        path: str,
        *,
        json: Any,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        response = await self._post_for_response(
            what, path, json=json, params=params, headers=headers
        )
        return _json_of(response)

    async def _post_for_response(
        self,
        what: str,
        path: str,
        *,
        json: Any,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        try:
            response = await self._http.post(path, json=json, params=params, headers=headers)
        except httpx.HTTPError as exc:
            # The path may hold a sender id and the query the token: name the call only.
            log.warning("Rasa %s request failed: %s", what, type(exc).__name__)
            raise RasaUnavailable(type(exc).__name__) from exc
        if response.status_code != httpx.codes.OK:
            log.warning("Rasa answered HTTP %s to a %s request", response.status_code, what)
            raise RasaUnavailable(f"HTTP {response.status_code}")
        return response


def _json_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise RasaUnavailable("answer was not JSON") from exc
