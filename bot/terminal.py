"""``ieum chat``: the assistant in the terminal, through the same gateway as Telegram.

Buttons are shown numbered; typing a shown number presses that button.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Sequence

from bot import messages
from bot.gateway import Gateway, open_gateway, sender_id
from bot.rasa_client import BotReply, Button
from core.settings import Settings

CHANNEL = "terminal"


class TerminalChat:
    """One conversation: turns typed lines into gateway calls and prints the replies."""

    def __init__(self, gateway: Gateway, sender: str, write: Callable[[str], None]) -> None:
        self._gateway = gateway
        self._sender = sender
        self._write = write
        self._offered: list[Button] = []

    async def begin(self) -> None:
        self._show(await self._gateway.start(self._sender, CHANNEL, ""))

    async def say(self, line: str) -> None:
        choice = line.strip()
        if choice.isdigit() and 1 <= int(choice) <= len(self._offered):
            button = self._offered[int(choice) - 1]
            replies = await self._gateway.payload(self._sender, CHANNEL, button.payload)
        else:
            replies = await self._gateway.text(self._sender, CHANNEL, line)
        self._show(replies)

    def _show(self, replies: Sequence[BotReply]) -> None:
        self._offered = []
        for reply in replies:
            if reply.text:
                self._write(messages.TERMINAL_SPEAKER + reply.text)
            for button in reply.buttons:
                self._offered.append(button)
                self._write(f"    {len(self._offered)}) {button.title}")


async def chat(settings: Settings) -> int:
    """Chat until an empty line or end of input."""
    sender = sender_id(CHANNEL, secrets.token_hex(8))
    print(messages.TERMINAL_BANNER, flush=True)
    async with open_gateway(settings, rate_limited=False) as (gateway, _):
        conversation = TerminalChat(gateway, sender, lambda text: print(text, flush=True))
        await conversation.begin()
        while True:
            try:
                line = await asyncio.to_thread(input, messages.TERMINAL_PROMPT)
            except EOFError:
                break
            if not line.strip():
                break
            await conversation.say(line)
    print(messages.TERMINAL_BYE)
    return 0
