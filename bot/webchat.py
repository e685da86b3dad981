"""The local web chat: one page and three JSON endpoints, through the same gateway as
Telegram.

``POST /api/start`` takes ``{"sender"}`` and starts the conversation (the greeting with
the main menu), as the page does whenever it opens. ``POST /api/message`` takes
``{"sender", "text"}`` for typed text or ``{"sender", "payload"}`` for a button press.
``POST /api/replies`` takes ``{"sender"}`` and returns answers that came later: to
messages kept while part of ieum was down (``bot/pending.py``). All answer
``{"messages": [{"text", "buttons": [{"title", "payload"}]}], "waiting": bool}``; while
``waiting`` is true the page asks for late replies every few seconds. The page keeps a
random sender id in localStorage, so a reload continues the same conversation (greeted
again, with the menu as the way back).
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any

from aiohttp import web
from redis.asyncio import Redis

from bot import messages
from bot.gateway import Gateway, open_gateway, sender_id
from bot.rasa_client import BotReply
from core.settings import Settings

log = logging.getLogger(__name__)

CHANNEL = "webchat"
SENDER = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_TEXT_CHARS = 2000

GATEWAY = web.AppKey("gateway", Gateway)
PAGE = web.AppKey("page", str)
LATE_KEPT_SECONDS = 24 * 3600


class LateReplies:
    """Answers to messages kept while ieum was down, held in Redis until the page asks."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = f"{prefix}late:"

    async def keep(self, sender: str, replies: Sequence[BotReply]) -> None:
        key = self._prefix + sender
        encoded = [json.dumps(reply.to_json(), ensure_ascii=False) for reply in replies]
        if encoded:
            await self._redis.rpush(key, *encoded)
            await self._redis.expire(key, LATE_KEPT_SECONDS)

    async def take(self, sender: str) -> list[dict[str, Any]]:
        """Every answer kept for this conversation, removed from Redis."""
        key = self._prefix + sender
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.lrange(key, 0, -1)
            pipe.delete(key)
            found, _ = await pipe.execute()
        return [json.loads(raw) for raw in found]


LATE = web.AppKey("late", LateReplies)


def render_page() -> str:
    """The chat page with its Korean wording filled in."""
    page = resources.files("bot").joinpath("static/index.html").read_text(encoding="utf-8")
    for name, text in messages.WEBCHAT_PAGE.items():
        page = page.replace("{{" + name + "}}", html.escape(text))
    return page


def build_webchat(gateway: Gateway, late: LateReplies) -> web.Application:
    app = web.Application(client_max_size=64 * 1024)
    app[GATEWAY] = gateway
    app[LATE] = late
    app[PAGE] = render_page()
    app.router.add_get("/", show_page)
    app.router.add_post("/api/start", post_start)
    app.router.add_post("/api/message", post_message)
    app.router.add_post("/api/replies", post_replies)
    return app


async def show_page(request: web.Request) -> web.Response:
    return web.Response(text=request.app[PAGE], content_type="text/html")


async def post_start(request: web.Request) -> web.Response:
    body = await _json_object(request)
    conversation = _conversation(body)
    replies = await request.app[GATEWAY].start(conversation, CHANNEL, "")
    return await _replies(request, conversation, replies)


async def post_message(request: web.Request) -> web.Response:
    body = await _json_object(request)
    conversation = _conversation(body)
    text, payload = body.get("text"), body.get("payload")
    said = payload if payload is not None else text
    if not isinstance(said, str) or len(said) > MAX_TEXT_CHARS:
        raise web.HTTPBadRequest(text=f"text or payload must be a string of ≤ {MAX_TEXT_CHARS}")
    gateway = request.app[GATEWAY]
    if payload is not None:
        replies = await gateway.payload(conversation, CHANNEL, said)
    else:
        replies = await gateway.text(conversation, CHANNEL, said)
    return await _replies(request, conversation, replies)


async def post_replies(request: web.Request) -> web.Response:
    """Answers that came later (to messages kept while ieum was down); the page asks for
    them while its last answer says more is ``waiting``."""
    conversation = _conversation(await _json_object(request))
    late = await request.app[LATE].take(conversation)
    return await _replies(request, conversation, [BotReply.from_rasa(item) for item in late])


def _conversation(body: dict[str, Any]) -> str:
    sender = body.get("sender")
    if not isinstance(sender, str) or not SENDER.fullmatch(sender):
        raise web.HTTPBadRequest(text="sender must be 8–64 letters, digits, - or _")
    return sender_id(CHANNEL, sender)


async def _replies(
    request: web.Request, conversation: str, replies: list[BotReply]
) -> web.Response:
    """The replies, and whether messages of this conversation still wait for an answer."""
    pending = request.app[GATEWAY].pending
    waiting = pending is not None and await pending.waiting(conversation)
    return web.json_response(
        {"messages": [reply.to_json() for reply in replies], "waiting": waiting}
    )


async def _json_object(request: web.Request) -> dict[str, Any]:
    # Demanding JSON makes browsers preflight cross-site posts, which this server refuses.
    if request.content_type != "application/json":
        raise web.HTTPUnsupportedMediaType()
    try:
        body = await request.json()
    except ValueError as exc:
        raise web.HTTPBadRequest(text="body must be JSON") from exc
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="body must be a JSON object")
    return body


async def serve(
    settings: Settings, stop: asyncio.Event, ready: asyncio.Event | None = None
) -> None:
    """Serve the web chat on 127.0.0.1:``webchat_port`` until stop; ``ready`` once serving."""
    async with open_gateway(settings, keeps_pending=CHANNEL) as (gateway, redis):
        late = LateReplies(redis, settings.bot_redis_prefix)
        runner = web.AppRunner(build_webchat(gateway, late), access_log=None)
        await runner.setup()
        answering: asyncio.Task[None] | None = None
        if gateway.pending is not None:
            answering = asyncio.create_task(
                gateway.pending.run(stop, gateway.answer, late.keep, BotReply(messages.GAVE_UP))
            )
        try:
            await web.TCPSite(runner, "127.0.0.1", settings.webchat_port).start()
            log.info("web chat serving on port %s", settings.webchat_port)
            if ready is not None:
                ready.set()
            await stop.wait()
        finally:
            stop.set()
            if answering is not None:
                await answering
            await runner.cleanup()
