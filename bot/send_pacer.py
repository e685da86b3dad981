"""Telegram's sending limits kept by one process alone: the pacer the shared send budget
(``bot/send_budget.py``) falls back to while Redis cannot be reached.

The rules are the budget's, to the letter: at most ``per_second`` messages a second over
all chats, and in any one chat one a second with short bursts of ``CHAT_BURST`` (a reply
of a few messages goes at once). Both are token buckets. A chat's bucket must hold a
token: otherwise nothing is taken and the caller asks again when it will. The bucket of
all chats may be taken into debt: the turn is the caller's at once and it waits until
the debt is paid, so callers are served in the order they asked.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

CHAT_PER_SECOND = 1.0
"""Telegram allows about one message a second in one chat …"""
CHAT_BURST = 3
"""… and short bursts over that."""
_FORGET_AFTER = 10_000
"""Chats remembered before the full ones are forgotten (a full bucket is no bucket)."""


class Turn(NamedTuple):
    """An answer to "may I send?": ``taken`` – the turn is the caller's once ``wait``
    seconds have passed; not taken – ask again after ``wait`` seconds."""

    taken: bool
    wait: float


def wait_for_turn(ask: Callable[[str], Turn], chat_id: str, sleep: Callable[[float], None]) -> None:
    """Ask for a turn until one is taken, sleeping as told; return when the message may go."""
    while True:
        turn = ask(chat_id)
        if turn.wait > 0:
            sleep(turn.wait)
        if turn.taken:
            return


@dataclass
class _Bucket:
    tokens: float
    at: float

    def level(self, now: float, per_second: float, capacity: float) -> float:
        """The tokens at ``now``; the bucket is brought up to date."""
        self.tokens = min(capacity, self.tokens + max(0.0, now - self.at) * per_second)
        self.at = now
        return self.tokens


class SendPacer:
    """Turns to send for this process. Thread-safe; ``clock`` and ``sleep`` are
    injectable for tests."""

    def __init__(
        self,
        per_second: float,
        *,
        chat_per_second: float = CHAT_PER_SECOND,
        chat_burst: int = CHAT_BURST,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._per_second = per_second
        self._chat_per_second = chat_per_second
        self._chat_burst = chat_burst
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._all = _Bucket(1.0, clock())
        self._chats: dict[str, _Bucket] = {}
        self._held_until = 0.0

    def ask(self, chat_id: str) -> Turn:
        """Take a turn to send to ``chat_id`` if its chat allows one now."""
        with self._lock:
            now = self._clock()
            if self._held_until > now:
                return Turn(False, self._held_until - now)
            chat = self._chats.setdefault(chat_id, _Bucket(self._chat_burst, now))
            tokens = chat.level(now, self._chat_per_second, self._chat_burst)
            if tokens < 1.0:
                return Turn(False, (1.0 - tokens) / self._chat_per_second)
            chat.tokens -= 1.0
            self._all.tokens = self._all.level(now, self._per_second, 1.0) - 1.0
            if len(self._chats) > _FORGET_AFTER:
                self._forget_full(now)
            return Turn(True, max(0.0, -self._all.tokens / self._per_second))

    def wait_turn(self, chat_id: str) -> None:
        """Return when a message to ``chat_id`` may go (the turn is taken)."""
        wait_for_turn(self.ask, chat_id, self._sleep)

    def hold(self, seconds: float) -> None:
        """Telegram asked to wait (a 429's retry_after): no turn starts before then."""
        with self._lock:
            self._held_until = max(self._held_until, self._clock() + seconds)

    def _forget_full(self, now: float) -> None:
        self._chats = {
            chat: bucket
            for chat, bucket in self._chats.items()
            if bucket.level(now, self._chat_per_second, self._chat_burst) < self._chat_burst
        }
