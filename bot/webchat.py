"""The local web chat: one page and one JSON endpoint, through the same gateway as Telegram.

``POST /api/message`` takes ``{"sender", "text"}`` for typed text or ``{"sender",
"payload"}`` for a button press, and answers ``{"messages": [{"text", "buttons":
[{"title", "payload"}]}]}``. The page keeps a random sender id in localStorage, so a
reload continues the same conversation.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from importlib import resources
from typing import Any

from aiohttp import web

from bot import messages
from bot.gateway import Gateway, open_gateway, sender_id
from core.settings import Settings

log = logging.getLogger(__name__)

CHANNEL = "webchat"
SENDER = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_TEXT_CHARS = 2000

GATEWAY = web.AppKey("gateway", Gateway)
PAGE = web.AppKey("page", str)


def render_page() -> str:
    """The chat page with its Korean wording filled in."""
    page = resources.files("bot").joinpath("static/index.html").read_text(encoding="utf-8")
    for name, text in messages.WEBCHAT_PAGE.items():
        page = page.replace("{{" + name + "}}", html.escape(text))
    return page


def build_webchat(gateway: Gateway) -> web.Application:
    app = web.Application(client_max_size=64 * 1024)
    app[GATEWAY] = gateway
    app[PAGE] = render_page()
    app.router.add_get("/", show_page)
    app.router.add_post("/api/message", post_message)
    return app


async def show_page(request: web.Request) -> web.Response:
    return web.Response(text=request.app[PAGE], content_type="text/html")


async def post_message(request: web.Request) -> web.Response:
    # Demanding JSON makes browsers preflight cross-site posts, which this server refuses.
    if request.content_type != "application/json":
        raise web.HTTPUnsupportedMediaType()
    body = await _json_object(request)
    sender, text, payload = body.get("sender"), body.get("text"), body.get("payload")
    if not isinstance(sender, str) or not SENDER.fullmatch(sender):
        raise web.HTTPBadRequest(text="sender must be 8–64 letters, digits, - or _")
    said = payload if payload is not None else text
    if not isinstance(said, str) or len(said) > MAX_TEXT_CHARS:
        raise web.HTTPBadRequest(text=f"text or payload must be a string of ≤ {MAX_TEXT_CHARS}")
    gateway = request.app[GATEWAY]
    conversation = sender_id(CHANNEL, sender)
    if payload is not None:
        replies = await gateway.payload(conversation, CHANNEL, said)
    else:
        replies = await gateway.text(conversation, CHANNEL, said)
    return web.json_response({"messages": [reply.to_json() for reply in replies]})


async def _json_object(request: web.Request) -> dict[str, Any]:
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
    async with open_gateway(settings) as (gateway, _):
        runner = web.AppRunner(build_webchat(gateway), access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, "127.0.0.1", settings.webchat_port).start()
            log.info("web chat serving on port %s", settings.webchat_port)
            if ready is not None:
                ready.set()
            await stop.wait()
        finally:
            await runner.cleanup()
