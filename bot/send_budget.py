"""Telegram's sending limits kept for the whole bot: a send budget in Redis that every
process sending as the bot takes its turns from (the bot's replies through
``bot/send_rate_limiter.py``, the check-in workers through ``bot/checkin_sender.py``).

The rules are the local pacer's (``bot/send_pacer.py``): token buckets, one a chat (one
message a second, bursts of three) and one or more shared ones — every message takes
from the bucket of all the bot's messages, and a check-in also from the check-in
workers' share, so the morning's check-ins leave room for answers. A 429 from Telegram
holds every process's sends for its ``retry_after``. One Lua script takes a turn
atomically on Redis' clock, so processes on several hosts agree.

The budget is disposable state: keys expire once their bucket is full again, and a
Redis emptied or restarted is a full budget — nothing to rebuild. While Redis cannot be
reached each process paces its own sends with the local pacer (said once in the log,
without chat ids), and asks Redis again every ``RETRY_SECONDS``: when it answers, the
budget is shared again (said once too).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from bot.send_pacer import CHAT_BURST, CHAT_PER_SECOND, SendPacer, Turn, wait_for_turn
from core.settings import Settings

log = logging.getLogger(__name__)

RETRY_SECONDS = 2.0
"""How long a process paces alone after Redis failed before asking it again."""
REDIS_TIMEOUT_SECONDS = 0.5
"""A budget that does not answer within this is treated as unreachable."""

# KEYS[1]: the hold (Telegram asked everyone to wait), KEYS[2]: the chat's bucket,
# KEYS[3..]: shared buckets. ARGV[1], ARGV[2]: the chat's rate (a second) and capacity;
# ARGV[2i-3], ARGV[2i-2]: those of KEYS[i]. Returns {taken, milliseconds}: taken 1, the
# turn is the caller's once they have passed; taken 0, nothing was taken: ask again then.
_TAKE_TURN = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local held = redis.call('PTTL', KEYS[1])
if held > 0 then return {0, held} end
local function level(key, rate, capacity)
  local bucket = redis.call('HMGET', key, 'tokens', 'at')
  local tokens = tonumber(bucket[1]) or capacity
  local at = tonumber(bucket[2]) or now
  return math.min(capacity, tokens + math.max(0, now - at) * rate)
end
local function store(key, tokens, rate, capacity)
  local shown = string.format('%.6f', tokens)
  redis.call('HSET', key, 'tokens', shown, 'at', string.format('%.6f', now))
  redis.call('PEXPIRE', key, math.ceil((capacity - tokens) / rate * 1000) + 1000)
end
local chat_rate, chat_capacity = tonumber(ARGV[1]), tonumber(ARGV[2])
local chat = level(KEYS[2], chat_rate, chat_capacity)
if chat < 1 then return {0, math.ceil((1 - chat) / chat_rate * 1000)} end
store(KEYS[2], chat - 1, chat_rate, chat_capacity)
local wait = 0
for i = 3, #KEYS do
  local rate = tonumber(ARGV[2 * i - 3])
  local tokens = level(KEYS[i], rate, tonumber(ARGV[2 * i - 2])) - 1
  store(KEYS[i], tokens, rate, tonumber(ARGV[2 * i - 2]))
  if tokens < 0 then wait = math.max(wait, -tokens / rate) end
end
return {1, math.ceil(wait * 1000)}
"""


@dataclass(frozen=True)
class Share:
    """A shared bucket: ``per_second`` messages a second over every process taking from
    it (no burst: turns are spaced evenly)."""

    name: str
    per_second: float


@dataclass(frozen=True)
class BudgetRules:
    """Which buckets a process takes from, under which Redis key prefix."""

    prefix: str
    shares: tuple[Share, ...]
    chat_per_second: float = CHAT_PER_SECOND
    chat_burst: int = CHAT_BURST

    def keys(self, chat_id: str) -> list[str]:
        buckets = [f"{self.prefix}{share.name}" for share in self.shares]
        return [self.hold_key, f"{self.prefix}chat:{chat_id}", *buckets]

    @property
    def args(self) -> list[float]:
        rates = [self.chat_per_second, float(self.chat_burst)]
        for share in self.shares:
            rates.extend((share.per_second, 1.0))
        return rates

    @property
    def hold_key(self) -> str:
        return f"{self.prefix}hold"

    def local_pacer(self, sleep: Callable[[float], None] = time.sleep) -> SendPacer:
        """The pacer for this process alone, at the strictest shared rate."""
        return SendPacer(
            min(share.per_second for share in self.shares),
            chat_per_second=self.chat_per_second,
            chat_burst=self.chat_burst,
            sleep=sleep,
        )


def budget_rules(settings: Settings, *, checkins: bool) -> BudgetRules:
    """The rules of the bot's replies, or (``checkins``) of a check-in worker."""
    shares = [Share("all", settings.telegram_send_per_second)]
    if checkins:
        shares.append(Share("checkins", settings.checkin_send_per_second))
    return BudgetRules(f"{settings.bot_redis_prefix}send:", tuple(shares))


class _Outage:
    """Whether Redis is worth asking; says once when it is not, and once when it is again.
    Thread-safe: each change is said by one thread only."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._down = False
        self._ask_again = 0.0

    def worth_asking(self) -> bool:
        return not self._down or self._clock() >= self._ask_again

    def failed(self, error: RedisError) -> None:
        with self._lock:
            if not self._down:
                log.warning(
                    "send budget in Redis unavailable (%s): this process paces its own sends",
                    type(error).__name__,
                )
            self._down = True
            self._ask_again = self._clock() + RETRY_SECONDS

    def answered(self) -> None:
        if not self._down:
            return
        with self._lock:
            if self._down:
                log.warning("send budget in Redis reachable again: sends are paced together")
            self._down = False


def _turn(answer: Sequence[int]) -> Turn:
    taken, milliseconds = answer
    return Turn(bool(taken), milliseconds / 1000)


class SendBudget:
    """Turns to send from the shared budget. Synchronous and thread-safe: the check-in
    worker waits for its turns in its own thread; the bot's event loop asks in a worker
    thread (``asyncio.to_thread``) and waits with ``asyncio.sleep``."""

    def __init__(
        self,
        client: redis.Redis,
        rules: BudgetRules,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._redis = client
        self._rules = rules
        self._take = client.register_script(_TAKE_TURN)
        self._local = rules.local_pacer(sleep)
        self._sleep = sleep
        self._outage = _Outage()

    @classmethod
    def from_settings(cls, settings: Settings, *, checkins: bool) -> SendBudget:
        # No retries and short timeouts: a budget that does not answer at once is left
        # for the local pacer.
        client = redis.Redis.from_url(
            settings.redis_url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), 0),
        )
        return cls(client, budget_rules(settings, checkins=checkins))

    def close(self) -> None:
        self._redis.close()

    def wait_turn(self, chat_id: str) -> None:
        """Return when a message to ``chat_id`` may go (the turn is taken)."""
        wait_for_turn(self.ask, chat_id, self._sleep)

    def hold(self, seconds: float) -> None:
        """Telegram asked to wait: every process's turns wait ``seconds``."""
        self._local.hold(seconds)
        if self._outage.worth_asking():
            try:
                self._redis.set(self._rules.hold_key, "1", px=max(1, int(seconds * 1000)))
            except RedisError as error:
                self._outage.failed(error)

    def ask(self, chat_id: str) -> Turn:
        """Take a turn to send to ``chat_id`` if its chat allows one now (a call to Redis,
        or to the local pacer while Redis is unreachable)."""
        if self._outage.worth_asking():
            try:
                answer = self._take(keys=self._rules.keys(chat_id), args=self._rules.args)
            except RedisError as error:
                self._outage.failed(error)
            else:
                self._outage.answered()
                return _turn(answer)
        return self._local.ask(chat_id)
