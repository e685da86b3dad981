"""A minimal Telegram Bot API server for tests, benchmarks and drills: the real
python-telegram-bot talks to it over HTTP exactly as it would to api.telegram.org.

It implements the methods the ieum bot calls, keeps what the bot sent, and lets a test
act as Telegram users (text, commands with a deep-link payload, button presses,
locations). Updates are handed out by getUpdates long polling, or, once the bot has set
a webhook, posted to the webhook with the secret-token header the bot registered.
``fail_next_sends`` makes the next sendMessage calls fail with a 500 or a 429
(retry_after), to test that replies are retried; ``stall_next_sends`` leaves the next
ones unanswered for a while, the message not taken (a server that hangs) or taken and
only the answer late (the sender cannot know it arrived); a chat in ``blocked_chats``
answers 403 "bot was blocked by the user", as Telegram does.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

JSON = dict[str, Any]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class SentMessage:
    """A message the bot sent, as the emulator stored it."""

    message_id: int
    chat_id: int
    text: str
    reply_markup: JSON | None
    at: float = field(default_factory=time.monotonic)
    """When the emulator took it (``time.monotonic``), to see how sends were spaced."""

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(title, callback_data) of every inline button, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(button["text"], button["callback_data"]) for row in rows for button in row]

    def as_update_message(self, bot_user: JSON, chat: JSON) -> JSON:
        message: JSON = {
            "message_id": self.message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": bot_user,
            "text": self.text,
        }
        if self.reply_markup:
            message["reply_markup"] = self.reply_markup
        return message


class ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


class Params:
    """A request's parameters; PTB sends form fields whose non-string values are JSON."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values

    def text(self, name: str, default: str = "") -> str:
        value = self._values.get(name)
        return default if value is None else str(value)

    def integer(self, name: str, default: int = 0) -> int:
        value = self._values.get(name)
        return default if value in (None, "") else int(value)

    def number(self, name: str, default: float = 0.0) -> float:
        value = self._values.get(name)
        return default if value in (None, "") else float(value)

    def json(self, name: str) -> Any:
        value = self._values.get(name)
        return json.loads(value) if isinstance(value, str) else value


class BotApiEmulator:
    token = "424242:emulated-bot-token"
    bot_user: JSON = {  # noqa: RUF012 - read-only test constant
        "id": 424242,
        "is_bot": True,
        "first_name": "이음",
        "username": "ieum_test_bot",
        "can_join_groups": False,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }

    def __init__(self) -> None:
        self.port = 0
        self.sent: list[SentMessage] = []
        self.calls: list[str] = []
        self.answered_callbacks: list[str] = []
        self.edited_markups: list[tuple[int, int, JSON | None]] = []
        self.commands: list[JSON] = []
        self.webhook_url = ""
        self.webhook_secret = ""
        self.webhook_statuses: list[int] = []
        self.failed_sends = 0
        self.stalled_sends = 0  # sendMessage calls held unanswered so far
        self.blocked_chats: set[int] = set()  # chats whose user blocked the bot (403)
        self._pending: list[JSON] = []
        self.files: dict[str, bytes] = {}  # file_id → content, for getFile and downloads
        self._again: list[JSON] = []  # redelivered updates, returned once whatever the offset
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._callback_ids = itertools.count(1)
        self._failures: deque[tuple[int, int]] = deque()
        self._stalls: deque[tuple[float, bool]] = deque()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self._methods: dict[str, Callable[[Params], Awaitable[Any]]] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "editmessagereplymarkup": self._edit_reply_markup,
            "answercallbackquery": self._answer_callback_query,
            "sendchataction": self._true,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "getfile": self._get_file,
            "deletemycommands": self._true,
            "close": self._true,
            "logout": self._true,
        }

    # --- server -----------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The API root, as for ``telegram_api_url`` (the bot appends ``/bot<token>``)."""
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self._closing = True  # ends long polls still waiting for updates
        await self._notify()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.calls.append(method)
        # Waiters for a call learn of it now: a getUpdates long poll may not answer for
        # its whole timeout.
        await self._notify()
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            handler = self._methods.get(method.lower())
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            result = await handler(await self._params(request))
        except ApiError as error:
            body: JSON = {"ok": False, "error_code": error.status, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
            return web.json_response(body, status=error.status)
        finally:
            await self._notify()
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.Response:
        """A file the bot downloads after getFile (``file_path`` is ``files/<file_id>``)."""
        file_id = request.match_info["path"].removeprefix("files/")
        if request.match_info["token"] != self.token or file_id not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[file_id])

    @staticmethod
    async def _params(request: web.Request) -> Params:
        if request.content_type == "application/json":
            return Params(await request.json())
        if request.method == "POST":
            return Params(dict(await request.post()))
        return Params(dict(request.query))

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(self, ready: Callable[[], bool], timeout: float) -> bool:
        """Wait until ``ready()`` holds after some API call or update; False on timeout."""
        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: self._closing or ready()), timeout
                )
            except TimeoutError:
                return False
        return True

    # --- Bot API methods ----------------------------------------------------------------

    async def _true(self, params: Params) -> bool:
        return True

    async def _get_me(self, params: Params) -> JSON:
        return self.bot_user

    async def _get_updates(self, params: Params) -> list[JSON]:
        if self.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = params.integer("offset")
        if offset:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        await self.wait_until(lambda: bool(self._pending or self._again), params.number("timeout"))
        again, self._again = self._again, []
        return [*again, *self._pending][: params.integer("limit", 100)]

    async def _send_message(self, params: Params) -> JSON:
        if self._failures:
            status, retry_after = self._failures.popleft()
            self.failed_sends += 1
            if status == 429:
                raise ApiError(
                    429,
                    f"Too Many Requests: retry after {retry_after}",
                    {"retry_after": retry_after},
                )
            raise ApiError(status, "Internal Server Error")
        chat_id = params.integer("chat_id")
        if chat_id in self.blocked_chats:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        stall = self._stalls.popleft() if self._stalls else None
        if stall is not None and not stall[1]:
            await self._stall(stall[0])
            raise ApiError(504, "Gateway Timeout")
        message = SentMessage(
            next(self._message_ids), chat_id, params.text("text"), params.json("reply_markup")
        )
        self.sent.append(message)
        if stall is not None:
            await self._stall(stall[0])
        return message.as_update_message(self.bot_user, self._private_chat(chat_id))

    async def _stall(self, seconds: float) -> None:
        """Hold the request ``seconds`` (or until the emulator stops)."""
        self.stalled_sends += 1
        await self._notify()
        await self.wait_until(lambda: False, seconds)

    async def _edit_reply_markup(self, params: Params) -> JSON:
        chat_id, message_id = params.integer("chat_id"), params.integer("message_id")
        markup = params.json("reply_markup")
        for message in self.sent:
            if message.chat_id == chat_id and message.message_id == message_id:
                message.reply_markup = markup or None
                self.edited_markups.append((chat_id, message_id, markup))
                return message.as_update_message(self.bot_user, self._private_chat(chat_id))
        raise ApiError(400, "Bad Request: message to edit not found")

    async def _answer_callback_query(self, params: Params) -> bool:
        self.answered_callbacks.append(params.text("callback_query_id"))
        return True

    async def _get_file(self, params: Params) -> JSON:
        file_id = params.text("file_id")
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        size = len(self.files[file_id])
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": size,
            "file_path": f"files/{file_id}",
        }

    async def _set_webhook(self, params: Params) -> bool:
        self.webhook_url = params.text("url")
        self.webhook_secret = params.text("secret_token")
        if params.json("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _delete_webhook(self, params: Params) -> bool:
        self.webhook_url = ""
        self.webhook_secret = ""
        if params.json("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _get_webhook_info(self, params: Params) -> JSON:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    async def _set_my_commands(self, params: Params) -> bool:
        self.commands = params.json("commands") or []
        return True

    async def _get_my_commands(self, params: Params) -> list[JSON]:
        return self.commands

    # --- test controls ----------------------------------------------------------------

    def user(self, chat_id: int, first_name: str = "순자") -> EmulatedUser:
        return EmulatedUser(self, chat_id, first_name)

    def fail_next_sends(self, count: int, status: int = 500, retry_after: int = 1) -> None:
        """The next ``count`` sendMessage calls fail with ``status`` (429 carries retry_after)."""
        self._failures.extend([(status, retry_after)] * count)

    def stall_next_sends(self, count: int, seconds: float, *, taken: bool = False) -> None:
        """The next ``count`` sendMessage calls get no answer for ``seconds``. Not
        ``taken``: the message is not stored and the late answer is a 504, as from a
        server that hung. ``taken``: the message is stored at once (the chat has it) and
        only the answer is late, as when the connection breaks on the way back."""
        self._stalls.extend([(seconds, taken)] * count)

    async def wait_for_call(self, method: str, timeout: float = 10.0) -> None:
        if not await self.wait_until(lambda: method in self.calls, timeout):
            raise AssertionError(f"the bot never called {method}")

    async def push(self, update_body: JSON) -> JSON:
        """Deliver an update the way Telegram would: polling queue, or webhook post."""
        update = {"update_id": next(self._update_ids), **update_body}
        await self._deliver(update, self._pending)
        return update

    async def redeliver(self, update: JSON) -> None:
        """Deliver an update again with its update_id, as Telegram does when the bot's
        acknowledgement was lost (a webhook reply that never came, a getUpdates offset
        never sent): polling returns it once more whatever the offset."""
        await self._deliver(update, self._again)

    async def _deliver(self, update: JSON, queue: list[JSON]) -> None:
        if self.webhook_url:
            async with aiohttp.ClientSession() as session:
                headers = {SECRET_HEADER: self.webhook_secret} if self.webhook_secret else {}
                async with session.post(self.webhook_url, json=update, headers=headers) as reply:
                    self.webhook_statuses.append(reply.status)
            return
        queue.append(update)
        await self._notify()

    def _private_chat(self, chat_id: int, first_name: str = "순자") -> JSON:
        return {"id": chat_id, "type": "private", "first_name": first_name}

    def _user(self, chat_id: int, first_name: str) -> JSON:
        return {"id": chat_id, "is_bot": False, "first_name": first_name, "language_code": "ko"}

    def message_update(self, chat_id: int, first_name: str, **content: Any) -> JSON:
        return {
            "message": {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": self._private_chat(chat_id, first_name),
                "from": self._user(chat_id, first_name),
                **content,
            }
        }

    def callback_update(
        self, chat_id: int, first_name: str, message: SentMessage, data: str
    ) -> JSON:
        return {
            "callback_query": {
                "id": str(next(self._callback_ids)),
                "from": self._user(chat_id, first_name),
                "message": message.as_update_message(
                    self.bot_user, self._private_chat(chat_id, first_name)
                ),
                "chat_instance": f"instance-{chat_id}",
                "data": data,
            }
        }

    async def wait_for_messages(
        self, chat_id: int, count: int, timeout: float
    ) -> list[SentMessage]:
        def mine() -> list[SentMessage]:
            return [message for message in self.sent if message.chat_id == chat_id]

        await self.wait_until(lambda: len(mine()) >= count, timeout)
        return mine()


class EmulatedUser:
    """A Telegram user in a private chat with the bot; reads the chat in order."""

    def __init__(self, emulator: BotApiEmulator, chat_id: int, first_name: str) -> None:
        self.emulator = emulator
        self.chat_id = chat_id
        self.first_name = first_name
        self._read = 0

    async def say(self, text: str) -> None:
        await self.emulator.push(
            self.emulator.message_update(self.chat_id, self.first_name, text=text)
        )

    async def command(self, command: str, argument: str = "") -> None:
        """``/start ref`` as Telegram sends it after a t.me/<bot>?start=ref link."""
        text = f"/{command} {argument}".strip()
        entity = {"type": "bot_command", "offset": 0, "length": len(command) + 1}
        await self.emulator.push(
            self.emulator.message_update(
                self.chat_id, self.first_name, text=text, entities=[entity]
            )
        )

    async def share_location(self, latitude: float, longitude: float) -> None:
        location = {"latitude": latitude, "longitude": longitude}
        await self.emulator.push(
            self.emulator.message_update(self.chat_id, self.first_name, location=location)
        )

    async def send_photo(self, content: bytes) -> None:
        """A photo from the phone's gallery, as Telegram delivers it (one size here)."""
        file_id = f"photo-{self.chat_id}-{len(self.emulator.files)}"
        self.emulator.files[file_id] = content
        size = {"file_id": file_id, "file_unique_id": file_id, "width": 640, "height": 480}
        await self.emulator.push(
            self.emulator.message_update(
                self.chat_id, self.first_name, photo=[{**size, "file_size": len(content)}]
            )
        )

    async def press(self, message: SentMessage, title: str) -> None:
        """Press the button labelled ``title`` under ``message``."""
        await self.press_data(message, dict(message.buttons)[title])

    async def press_data(self, message: SentMessage, data: str) -> None:
        """Press a button by its callback data (also one the bot has since removed)."""
        await self.emulator.push(
            self.emulator.callback_update(self.chat_id, self.first_name, message, data)
        )

    async def receive(self, count: int = 1, timeout: float = 10.0) -> list[SentMessage]:
        """The next ``count`` messages the bot sent to this chat."""
        wanted = self._read + count
        mine = await self.emulator.wait_for_messages(self.chat_id, wanted, timeout)
        if len(mine) < wanted:
            got = [m.text for m in mine[self._read :]]
            raise AssertionError(f"expected {count} messages, got {len(got)}: {got}")
        new, self._read = mine[self._read : wanted], wanted
        return new

    async def receive_one(self, timeout: float = 10.0) -> SentMessage:
        return (await self.receive(1, timeout))[0]

    async def expect_nothing(self, seconds: float = 0.5) -> None:
        mine = await self.emulator.wait_for_messages(self.chat_id, self._read + 1, seconds)
        if len(mine) > self._read:
            raise AssertionError(f"unexpected messages: {[m.text for m in mine[self._read :]]}")
