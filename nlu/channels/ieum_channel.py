"""The `ieum` input channel: how ieum's own front ends (bot/, web chat) talk to Rasa.

POST /webhooks/ieum/webhook with `Authorization: Bearer <IEUM_RASA_TOKEN>` and JSON
{"sender": str, "message": str, "metadata": {...}} answers with the list of bot messages,
collected like Rasa's REST channel. Rasa's `--auth-token` guards only its HTTP API, not
channel webhooks, so this channel checks the same token itself and refuses every request
when the token is not configured.

GET /webhooks/ieum/ is the readiness check: 503 until the loaded model has parsed one
warm-up message. The first parse loads Kiwi's dictionary and traces DIET's TensorFlow
graph (about five seconds); warming up at start keeps that off the first citizen's turn.

When an action of the turn failed (the action server is down or broke), Rasa logs it and
goes on without that action's messages and events. The answer then carries the header
``X-Ieum-Incomplete: 1``, so the front can tell the citizen and try the message again
instead of leaving them with half an answer or none.
"""

from __future__ import annotations

import hmac
import logging
import os
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

TOKEN_ENV = "IEUM_RASA_TOKEN"
BEARER = "Bearer "
WARM_UP_TEXT = "안녕하세요 기초연금 신청하려고요"
INCOMPLETE_HEADER = "X-Ieum-Incomplete"
# What Rasa's processor logs when an action raised and its messages were lost.
ACTION_FAILED_LOG = "Encountered an exception while running action"
PROCESSOR_LOGGER = "rasa.core.processor"


class TurnFailures:
    """Whether an action failed during the turn being handled (one per request)."""

    def __init__(self) -> None:
        self.action_failed = False


_CURRENT_TURN: ContextVar[TurnFailures | None] = ContextVar("ieum_turn", default=None)


class ActionFailureWatcher(logging.Filter):
    """Notes Rasa's "action failed" log record in the turn that caused it; logs it as is.

    Each request is handled in its own task, so the context variable set by the request
    is the one current when Rasa logs during that request.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        turn = _CURRENT_TURN.get()
        if turn is not None and record.getMessage().startswith(ACTION_FAILED_LOG):
            turn.action_failed = True
        return True


class WholeMessageCollector(CollectingOutputChannel):
    """Collects replies as the actions wrote them.

    Rasa's collector splits every text at blank lines into separate messages; the
    actions already chose their message boundaries (the finder's results put several
    programs in one message, and every message costs a share of Telegram's global send
    limit), and the bot splits only what is too long for Telegram.
    """

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._persist_message(self._message(recipient_id, text=text.strip()))


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
        self._warm = False
        watcher = ActionFailureWatcher()
        processor_log = logging.getLogger(PROCESSOR_LOGGER)
        if not any(isinstance(f, ActionFailureWatcher) for f in processor_log.filters):
            processor_log.addFilter(watcher)

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        if not self._token or not header.startswith(BEARER):
            return False
        return hmac.compare_digest(header[len(BEARER) :].encode(), self._token.encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("ieum_webhook", __name__)

        @webhook.listener("after_server_start")
        async def warm_up(app: Sanic, _: Any) -> None:
            agent = getattr(app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                logger.error("No model is loaded; the ieum channel stays not ready.")
                return
            await agent.parse_message(WARM_UP_TEXT)
            self._warm = True
            logger.info("Model warmed up; the ieum channel is ready.")

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            if not self._warm:
                return response.json({"status": "warming up"}, status=503)
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
            collector = WholeMessageCollector()
            message = UserMessage(
                text, collector, sender, input_channel=self.name(), metadata=metadata
            )
            # Like the REST channel: a failure is logged and whatever was said is returned,
            # marked incomplete so the front can try again.
            turn = TurnFailures()
            _CURRENT_TURN.set(turn)
            try:
                await on_new_message(message)
            except CancelledError:
                logger.error("Message from %s timed out.", sender)
                turn.action_failed = True
            except Exception:
                logger.exception("Message from %s failed.", sender)
                turn.action_failed = True
            headers = {INCOMPLETE_HEADER: "1"} if turn.action_failed else {}
            return response.json(collector.messages, headers=headers)

        return webhook
