"""python-telegram-bot's rate limiter on the bot's shared send budget
(``bot/send_budget.py``), so the bot's replies and the check-in workers together keep
Telegram's limits. It is PTB's extension point for this (``BaseRateLimiter``), given to
the bot in ``bot/service.py``.

Every request that puts a message in a chat waits for its turn; other requests (typing,
a keyboard taken away, a button's answer, getUpdates) go at once. A ``RetryAfter`` is
waited out ``max_retries`` times (once by default), holding every process's sends
meanwhile; after that it is raised, and the outbox retries the message later.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.send_budget import SendBudget

log = logging.getLogger(__name__)

Result = bool | dict[str, Any] | list[dict[str, Any]]
"""What a Bot API request returns (PTB's ``JSONDict`` forms)."""

_NOT_MESSAGES = frozenset({"sendChatAction"})
_MESSAGES = frozenset({"forwardMessage", "forwardMessages", "copyMessage", "copyMessages"})


def puts_a_message(endpoint: str) -> bool:
    """Whether a Bot API method sends a message into a chat (sendMessage, sendPhoto …)."""
    if endpoint in _NOT_MESSAGES:
        return False
    return endpoint.startswith("send") or endpoint in _MESSAGES


def retry_after_seconds(error: RetryAfter) -> float:
    """The seconds Telegram asked to wait, whichever form PTB gives them in."""
    with warnings.catch_warnings():
        # PTB 22 warns that retry_after becomes a timedelta; both forms are handled.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)


class SharedRateLimiter(BaseRateLimiter[int]):
    """Takes the bot's turns from the shared budget; ``rate_limit_args`` is the number of
    ``RetryAfter`` to wait out for one request, as with PTB's ``AIORateLimiter``.

    The budget is synchronous: its Redis call (a fraction of a millisecond) runs in a
    worker thread, and waiting for a turn is an ``asyncio.sleep``.
    """

    def __init__(self, budget: SendBudget, max_retries: int = 1) -> None:
        self._budget = budget
        self._max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up: the budget's Redis client connects when first asked."""

    async def shutdown(self) -> None:
        await asyncio.to_thread(self._budget.close)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        chat_id = data.get("chat_id")
        counted = chat_id is not None and puts_a_message(endpoint)
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        waited = 0
        while True:
            if counted:
                await self._wait_turn(str(chat_id))
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if waited == retries:
                    raise
                waited += 1
                seconds = retry_after_seconds(error)
                log.info("Telegram asked to wait %.1f s (%s)", seconds, endpoint)
                await asyncio.to_thread(self._budget.hold, seconds)
                await asyncio.sleep(seconds)

    async def _wait_turn(self, chat_id: str) -> None:
        while True:
            turn = await asyncio.to_thread(self._budget.ask, chat_id)
            if turn.wait > 0:
                await asyncio.sleep(turn.wait)
            if turn.taken:
                return
