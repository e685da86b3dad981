"""Ordered queues in Redis, one per key (a chat, a conversation), worked through when due.

Several bot processes share them: a process claims a due queue with a lease, so two
never work the same queue at once, and a queue whose process died is taken up again
after the lease. Items are appended and scheduled in one step, and a queue is
unscheduled only once it is empty, atomically with respect to appends, so nothing added
meanwhile is forgotten. Used by the outbox (replies to send) and by the pending
messages (what citizens said while part of ieum was down).
"""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio import Redis

# KEYS: queue, due set. ARGV: queue id, due time, items… Appends and schedules the queue
# unless it is already scheduled.
_APPEND = """
for i = 3, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
redis.call('ZADD', KEYS[2], 'NX', ARGV[2], ARGV[1])
return 1
"""
# KEYS: due set. ARGV: queue id, now, lease end. Claims a due queue for this process.
_CLAIM = """
local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
if due and tonumber(due) <= tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  return 1
end
return 0
"""
# KEYS: queue, due set, attempts. ARGV: queue id. Unschedules a queue once it is empty.
_RELEASE_IF_EMPTY = """
if redis.call('LLEN', KEYS[1]) == 0 then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
  return 1
end
return 0
"""


class DueQueues:
    """The queues under one Redis key prefix; queue ids are strings (a chat id, a sender)."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix
        self._append = redis.register_script(_APPEND)
        self._claim = redis.register_script(_CLAIM)
        self._release_if_empty = redis.register_script(_RELEASE_IF_EMPTY)

    @property
    def _due_key(self) -> str:
        return f"{self._prefix}due"

    @property
    def _attempts_key(self) -> str:
        return f"{self._prefix}attempts"

    def _queue_key(self, queue: str) -> str:
        return f"{self._prefix}chat:{queue}"

    async def exists(self, queue: str) -> bool:
        return bool(await self._redis.exists(self._queue_key(queue)))

    async def append(self, queue: str, items: Sequence[str], due_at: float) -> None:
        """Add items to the end of a queue and schedule it (an earlier schedule stands)."""
        await self._append(
            keys=[self._queue_key(queue), self._due_key], args=[queue, due_at, *items]
        )

    async def due(self, now: float, limit: int = 100) -> list[str]:
        found = await self._redis.zrangebyscore(self._due_key, "-inf", now, start=0, num=limit)
        return [str(queue) for queue in found]

    async def claim(self, queue: str, now: float, lease_end: float) -> bool:
        """Take a due queue until ``lease_end``; False when another process has it."""
        return bool(await self._claim(keys=[self._due_key], args=[queue, now, lease_end]))

    async def head(self, queue: str) -> str | None:
        raw = await self._redis.lindex(self._queue_key(queue), 0)
        return None if raw is None else str(raw)

    async def pop(self, queue: str) -> None:
        """Remove the head of a queue, done with; its failed attempts are forgotten."""
        await self._redis.lpop(self._queue_key(queue))
        await self._redis.hdel(self._attempts_key, queue)

    async def drop(self, queue: str) -> None:
        await self._redis.delete(self._queue_key(queue))

    async def release_if_empty(self, queue: str) -> bool:
        """Unschedule a queue with nothing left; False when something was added meanwhile."""
        keys = [self._queue_key(queue), self._due_key, self._attempts_key]
        return bool(await self._release_if_empty(keys=keys, args=[queue]))

    async def failed(self, queue: str) -> int:
        """Count one more failed attempt at the head of a queue; the count so far."""
        return int(await self._redis.hincrby(self._attempts_key, queue, 1))

    async def retry_at(self, queue: str, when: float) -> None:
        await self._redis.zadd(self._due_key, {queue: when})
