"""The `ieum` input channel: how ieum's own front ends (bot/, web chat) talk to Rasa.

POST /webhooks/ieum/webhook with `Authorization: Bearer <IEUM_RASA_TOKEN>` and JSON
{"sender": str, "message": str, "metadata": {...}} answers with the list of bot messages,
collected like Rasa's REST channel. Rasa's `--auth-token` guards only its HTTP API, not
channel webhooks, so this channel checks the same token itself and refuses every request
when the token is not configured.
"""

from __future__ import annotations

import hmac
import logging
import os
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

TOKEN_ENV = "IEUM_RASA_TOKEN"
BEARER = "Bearer "


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class IeumInput(InputChannel):
    """Authenticated REST-style channel used by every ieum front end."""

    @classmethod
    def name(cls) -> str:
        return "ieum"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(os.environ.get(TOKEN_ENV, ""))

    def __init__(self, token: str) -> None:
        self._token = token

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        if not self._token or not header.startswith(BEARER):
            return False
        return hmac.compare_digest(header[len(BEARER) :].encode(), self._token.encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("ieum_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self._authorised(request):
                return _error(401, "unauthorized")
            body = request.json if request.body else None
            if not isinstance(body, dict):
                return _error(400, "a JSON object is required")
            sender, text = body.get("sender"), body.get("message")
            metadata = body.get("metadata") or {}
            if not isinstance(sender, str) or not sender or not isinstance(text, str):
                return _error(400, "'sender' and 'message' must be strings")
            if not isinstance(metadata, dict):
                return _error(400, "'metadata' must be an object")
            collector = CollectingOutputChannel()
            message = UserMessage(
                text, collector, sender, input_channel=self.name(), metadata=metadata
            )
            # Like the REST channel: a failure is logged and whatever was said is returned.
            try:
                await on_new_message(message)
            except CancelledError:
                logger.error("Message from %s timed out.", sender)
            except Exception:
                logger.exception("Message from %s failed.", sender)
            return response.json(collector.messages)

        return webhook
