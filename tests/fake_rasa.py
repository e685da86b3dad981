"""A stand-in for the Rasa server's HTTP interface, for the bot's own tests.

It speaks the contract (the ``ieum`` channel with its Bearer token, trigger_intent,
/model/parse) and answers with canned replies, or by echoing the message with the
number of the turn in that conversation, which keeps the only conversation state, as
the real Rasa tracker store does.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from typing import Any

from aiohttp import web

JSON = dict[str, Any]

GREETING = "안녕하세요. 무엇을 도와드릴까요?"
PARTIAL = "지금 위험하시면 119로 전화해 주세요."  # said by Rasa itself, before an action
MENU = [
    {"title": "받을 수 있는 지원 찾기", "payload": "/find_benefits"},
    {"title": "담당자와 이야기하기", "payload": "/request_human"},
]


@dataclass
class Received:
    sender: str
    message: str
    metadata: JSON


class FakeRasa:
    token = "fake-rasa-token"

    def __init__(self) -> None:
        self.port = 0
        self.received: list[Received] = []
        self.triggered: list[JSON] = []
        self.parsed: list[str] = []
        # Entities the parse endpoint finds, by the part of the text they cover (as CRF
        # would give them: the covered text as the value).
        self.entity_parts: dict[str, str] = {}
        self.canned: dict[str, list[JSON]] = {}
        self.failing = False
        # An action of every turn fails (the action server is down): Rasa answers what it
        # said before that, marked incomplete.
        self.actions_down = False
        self.thinking_seconds = 0.0  # how long each channel reply takes
        self._turns: Counter[str] = Counter()
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/", self._hello)
        app.router.add_post("/webhooks/ieum/webhook", self._channel)
        app.router.add_post("/conversations/{sender}/trigger_intent", self._trigger_intent)
        app.router.add_post("/model/parse", self._parse)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def messages_from(self, sender: str) -> list[str]:
        return [item.message for item in self.received if item.sender == sender]

    async def _hello(self, request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa: 3.6.21")

    async def _channel(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            raise web.HTTPUnauthorized()
        if self.failing:
            raise web.HTTPInternalServerError()
        body = await request.json()
        sender, message = body["sender"], body["message"]
        self.received.append(Received(sender, message, body.get("metadata") or {}))
        await asyncio.sleep(self.thinking_seconds)
        self._turns[sender] += 1
        if self.actions_down:
            said = [{"recipient_id": sender, "text": PARTIAL}]
            return web.json_response(said, headers={"X-Ieum-Incomplete": "1"})
        return web.json_response(
            [{"recipient_id": sender, **reply} for reply in self._reply(sender, message)]
        )

    def _reply(self, sender: str, message: str) -> list[JSON]:
        if message in self.canned:
            return self.canned[message]
        if message.startswith("/greet"):
            return [{"text": GREETING, "buttons": MENU}]
        return [{"text": f"{self._turns[sender]}번째 말씀: {message}"}]

    async def _trigger_intent(self, request: web.Request) -> web.Response:
        if request.query.get("token") != self.token:
            raise web.HTTPUnauthorized()
        body = await request.json()
        sender = request.match_info["sender"]
        self.triggered.append({"sender": sender, **body, "query": dict(request.query)})
        text = f"{body['name']} 안부 인사입니다. 잘 지내시지요?"
        buttons = [{"title": "잘 지내요", "payload": "/checkin_ok"}]
        messages = [{"recipient_id": sender, "text": text, "buttons": buttons}]
        return web.json_response({"tracker": None, "messages": messages})

    async def _parse(self, request: web.Request) -> web.Response:
        if request.query.get("token") != self.token:
            raise web.HTTPUnauthorized()
        text = (await request.json())["text"]
        self.parsed.append(text)
        entities = []
        if "73" in text:
            start = text.index("73")
            entities.append({"entity": "age", "value": 73, "start": start, "end": start + 3})
        for part, entity in self.entity_parts.items():
            if part in text:
                start = text.index(part)
                covered = {"start": start, "end": start + len(part)}
                entities.append({"entity": entity, "value": part, **covered})
        return web.json_response(
            {
                "text": text,
                "intent": {"name": "inform", "confidence": 0.91},
                "entities": entities,
                "intent_ranking": [],
            }
        )
