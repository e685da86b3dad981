"""Per-user rate limit, a token bucket in Redis shared by every bot process."""

from __future__ import annotations

import enum
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# KEYS: bucket, notice flag. ARGV: capacity, tokens per second, notice interval (ms).
# Returns 1 when allowed, 0 when limited and the user should be told, -1 when limited
# and already told. Redis' clock is used so processes on several hosts agree.
_TAKE_TOKEN = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or capacity
local at = tonumber(bucket[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local allowed = tokens >= 1
if allowed then tokens = tokens - 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
if allowed then return 1 end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[3]) then return 0 end
return -1
"""


class Admission(enum.Enum):
    ALLOWED = "allowed"
    LIMITED = "limited"  # over the limit: tell the user once
    LIMITED_TOLD = "limited_told"  # over the limit again shortly after being told


class UserRateLimiter:
    """At most ``burst`` messages at once, refilled at ``per_minute`` a minute, per sender.

    A user over the limit is told so once per ``notice_seconds``; the messages sent while
    limited are not forwarded. When Redis is down the limiter lets everything through:
    answering matters more than limiting.
    """

    def __init__(
        self,
        redis: Redis,
        prefix: str,
        *,
        burst: int,
        per_minute: float,
        notice_seconds: float = 10.0,
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self._burst = burst
        self._per_second = per_minute / 60.0
        self._notice_ms = int(notice_seconds * 1000)
        self._take = redis.register_script(_TAKE_TOKEN)

    async def admit(self, sender: str) -> Admission:
        keys = [f"{self._prefix}rate:{sender}", f"{self._prefix}rate-notice:{sender}"]
        try:
            verdict = await self._take(
                keys=keys, args=[self._burst, self._per_second, self._notice_ms]
            )
        except RedisError as exc:
            log.warning("rate limiter unavailable, admitting: %s", type(exc).__name__)
            return Admission.ALLOWED
        if verdict == 1:
            return Admission.ALLOWED
        return Admission.LIMITED if verdict == 0 else Admission.LIMITED_TOLD
