"""Fault drills for check-ins with real processes: ``ieum checkins tick --now …`` runs as
a subprocess against PostgreSQL, the Bot API emulator (in this test's event loop) and a
private redis-server, and is SIGKILLed or has Telegram or Redis misbehave under it.

- killed between claim and send (the request hangs, nothing taken): the next tick after
  the 5-minute lease sends it, and the chat has it once;
- killed between send and record (the message taken, the answer late): the next tick
  after the lease sends once more, counted (``in_doubt_resent``, the attempt in doubt);
  the chat has it twice, never a third time;
- killed in the middle of a batch: exactly the sends it had not recorded go once more;
- 429 twice, 5xx and a hung request (past the sender's timeout): each send fails, waits
  its backoff and goes at the next tick after it; nothing is dropped;
- Redis emptied, then stopped and restarted empty while a tick sends: the tick carries
  on (the local pacer meanwhile, said once), every check-in goes once, the pace is kept
  and the shared budget is back in the new Redis; ``ieum checkins resync`` says there
  is nothing to rebuild, and writes nothing.

People are enrolled and linked through the case store's API (``Checkins.enrol``,
``redeem``), as on 2026-12-02; the tick's ``--now`` moves through 2026-12-03.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cases.checkin_messages import RESYNC_NOT_NEEDED
from cases.service import CaseServices
from ieum.telegram_emulator import BotApiEmulator
from tests.case_fixtures import SetClock
from tests.checkin_support import at, enrol_linked
from tests.redis_server import RedisServer

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.parametrize("case_database_url", ["postgresql"], indirect=True),
]
IEUM = str(Path(sys.executable).with_name("ieum"))
PROCESS_SECONDS = 60.0
STALL_SECONDS = 60.0
"""A stalled request outlives the worker it is killed with (the emulator ends it)."""
DUE = at(3, 9, 5)
"""The day's check-in (09:00) is due; its lease runs out 5 minutes after a claim."""
AFTER_LEASE = at(3, 9, 11)


@dataclass
class Drill:
    """The case store, the emulated Telegram, and the environment of a worker process."""

    services: CaseServices
    clock: SetClock
    emulator: BotApiEmulator
    redis: RedisServer
    env: dict[str, str]

    def enrol(self, chat: int) -> int:
        return enrol_linked(self.services, self.clock, chat=str(chat))

    async def start(self, *args: str, **env: str) -> asyncio.subprocess.Process:
        """``ieum ARGS`` as a process of its own; ``env``: settings of this run."""
        return await asyncio.create_subprocess_exec(
            IEUM,
            *args,
            env={**self.env, **env},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )

    async def run(self, *args: str, **env: str) -> tuple[str, str]:
        """``ieum ARGS`` to its end (which must be success): its output and its log."""
        process = await self.start(*args, **env)
        out, err = await asyncio.wait_for(process.communicate(), PROCESS_SECONDS)
        assert process.returncode == 0, err.decode()
        return out.decode(), err.decode()

    async def tick(self, now: dt.datetime, **env: str) -> dict[str, int]:
        out, _ = await self.run("checkins", "tick", "--now", now.isoformat(), **env)
        counts: dict[str, int] = json.loads(out)
        return counts

    async def status(self, person: int) -> dict[str, Any]:
        """The person's latest check-in, as ``ieum checkins status --json`` shows it."""
        out, _ = await self.run("checkins", "status", str(person), "--json")
        return latest_checkin(json.loads(out))

    def latest(self, person: int) -> dict[str, Any]:
        """The same from the case store's API (``Checkins.status``), without a process."""
        found = self.services.checkins.status(person, actor="test")
        assert found is not None
        return latest_checkin(found)

    async def kill_once_stalled(self, process: asyncio.subprocess.Process) -> None:
        """SIGKILL the worker as soon as its send hangs in the emulator."""
        stalled = await self.emulator.wait_until(
            lambda: self.emulator.stalled_sends == 1, PROCESS_SECONDS
        )
        assert stalled, "the worker never sent"
        process.kill()
        await process.wait()

    def texts(self, chat: int) -> list[str]:
        return [message.text for message in self.emulator.sent if message.chat_id == chat]


@pytest.fixture
def drill(
    services: CaseServices,
    clock: SetClock,
    emulator: BotApiEmulator,
    private_redis: RedisServer,
    case_database_url: str,
    tmp_path: Path,
) -> Drill:
    env = {
        **os.environ,
        "IEUM_DATA_DIR": str(tmp_path / "var"),
        "IEUM_DATABASE_URL": case_database_url,
        "IEUM_TELEGRAM_TOKEN": emulator.token,
        "IEUM_TELEGRAM_API_URL": emulator.url,
        "IEUM_REDIS_URL": private_redis.url,
        "IEUM_CHECKIN_SEND_TIMEOUT_SECONDS": "5",
    }
    return Drill(services, clock, emulator, private_redis, env)


def latest_checkin(status: dict[str, Any]) -> dict[str, Any]:
    checkin: dict[str, Any] = status["checkins"][0]
    return checkin


def most_in_a_second(times: list[float]) -> int:
    return max(sum(1 for t in times if start <= t < start + 1.0) for start in times)


def attempts(checkin: dict[str, Any]) -> list[tuple[str, int | None]]:
    return [(attempt["state"], attempt["replaces"]) for attempt in checkin["attempt_log"]]


async def test_a_worker_killed_between_claim_and_send_leaves_it_to_the_next(
    drill: Drill,
) -> None:
    person = drill.enrol(chat=7101)
    drill.emulator.stall_next_sends(1, STALL_SECONDS)  # hangs, takes nothing
    worker = await drill.start("checkins", "tick", "--now", DUE.isoformat())
    await drill.kill_once_stalled(worker)
    assert drill.texts(7101) == []

    counts = await drill.tick(AFTER_LEASE)
    assert (counts["sent"], counts["in_doubt_resent"]) == (1, 1)
    assert len(drill.texts(7101)) == 1, "exactly one message in the chat"
    checkin = drill.latest(person)
    assert (checkin["sends"], attempts(checkin)) == (1, [("in_doubt", None), ("sent", 1)])


async def test_a_worker_killed_between_send_and_record_sends_once_more_counted(
    drill: Drill,
) -> None:
    person = drill.enrol(chat=7201)
    drill.emulator.stall_next_sends(1, STALL_SECONDS, taken=True)  # the answer never comes
    worker = await drill.start("checkins", "tick", "--now", DUE.isoformat())
    await drill.kill_once_stalled(worker)
    assert len(drill.texts(7201)) == 1, "the chat has it, the worker never knew"

    counts = await drill.tick(AFTER_LEASE)
    assert (counts["sent"], counts["in_doubt_resent"], counts["resent"]) == (1, 1, 0)
    later = await drill.tick(AFTER_LEASE + dt.timedelta(minutes=1))
    assert later["sent"] == 0
    first, second = drill.texts(7201)
    assert first == second, "twice, never a third time"
    checkin = await drill.status(person)
    assert (checkin["sends"], attempts(checkin)) == (1, [("in_doubt", None), ("sent", 1)])


async def test_a_worker_killed_mid_batch_resends_exactly_what_it_had_not_recorded(
    drill: Drill,
) -> None:
    chats = [7501 + n for n in range(5)]
    people = [drill.enrol(chat) for chat in chats]
    slow = {"IEUM_CHECKIN_SEND_PER_SECOND": "5"}  # a turn every 0.2 s: time to stall the 4th
    worker = await drill.start("checkins", "tick", "--now", DUE.isoformat(), **slow)
    assert await drill.emulator.wait_until(lambda: len(drill.emulator.sent) == 3, PROCESS_SECONDS)
    drill.emulator.stall_next_sends(1, STALL_SECONDS)
    await drill.kill_once_stalled(worker)
    before = [len(drill.texts(chat)) for chat in chats]
    assert sorted(before) == [0, 0, 1, 1, 1]

    counts = await drill.tick(AFTER_LEASE)
    # Whatever the worker had not recorded as sent when it died is in doubt and goes
    # once more: twice in a chat that had it already, once in the others.
    in_doubt = [attempts(drill.latest(person))[0][0] == "in_doubt" for person in people]
    assert all(doubt for had, doubt in zip(before, in_doubt, strict=True) if not had), (
        "claimed, never sent"
    )
    assert counts["in_doubt_resent"] == counts["sent"] == sum(in_doubt)
    assert [len(drill.texts(chat)) for chat in chats] == [
        had + resent for had, resent in zip(before, in_doubt, strict=True)
    ]


async def test_flood_control_server_errors_and_unanswered_sends_are_retried(
    drill: Drill,
) -> None:
    chats = [7301, 7302, 7303, 7304]
    people = [drill.enrol(chat) for chat in chats]
    # The first chat's send meets a 429 twice (waited out once, then it fails), the
    # second a 500; the third goes to a server that hangs and takes nothing, the fourth
    # is taken but its answer comes only after the sender gave up.
    drill.emulator.fail_next_sends(2, status=429, retry_after=1)
    drill.emulator.fail_next_sends(1, status=500)
    drill.emulator.stall_next_sends(1, 3.0)
    drill.emulator.stall_next_sends(1, 3.0, taken=True)
    fast = {"IEUM_CHECKIN_SEND_TIMEOUT_SECONDS": "1"}

    failing = await drill.tick(DUE, **fast)
    assert (failing["failed"], failing["unanswered"], failing["sent"]) == (4, 2, 0)
    assert drill.emulator.failed_sends == 3 and drill.emulator.stalled_sends == 2
    waiting = await drill.tick(DUE + dt.timedelta(seconds=30), **fast)
    assert waiting["sent"] == 0, "each waits its backoff (a minute)"
    delivered = await drill.tick(DUE + dt.timedelta(minutes=1), **fast)
    assert (delivered["sent"], delivered["failed"]) == (4, 0)
    # An unanswered send may have arrived: its repeat is counted as a possible duplicate.
    assert delivered["in_doubt_resent"] == 2

    assert [len(drill.texts(chat)) for chat in chats] == [1, 1, 1, 2]
    logs = [attempts(drill.latest(person)) for person in people]
    assert logs[:2] == [[("failed", None), ("sent", None)]] * 2
    assert logs[2:] == [[("in_doubt", None), ("sent", 1)]] * 2


async def test_redis_emptied_and_restarted_under_a_sending_worker_loses_nothing(
    drill: Drill,
) -> None:
    chats = [7400 + n for n in range(40)]
    for chat in chats:
        drill.enrol(chat)
    pace = {"IEUM_TELEGRAM_SEND_PER_SECOND": "8", "IEUM_CHECKIN_SEND_PER_SECOND": "8"}
    worker = await drill.start("checkins", "tick", "--now", DUE.isoformat(), **pace)
    sent = drill.emulator.sent

    async def after(count: int) -> None:
        assert await drill.emulator.wait_until(lambda: len(sent) >= count, PROCESS_SECONDS)

    with drill.redis.client() as client:
        await after(6)
        client.flushall()
        client.script_flush()
        await after(12)
        drill.redis.stop()
        await after(18)
        await asyncio.to_thread(drill.redis.restart)  # empty
        await after(len(chats))
        assert client.exists("ieum:bot:send:all"), "the budget rebuilt itself"
    out, err = await asyncio.wait_for(worker.communicate(), PROCESS_SECONDS)
    assert worker.returncode == 0, err.decode()

    assert json.loads(out)["sent"] == len(chats)
    assert sorted(message.chat_id for message in sent) == chats, "each check-in once"
    # 8 a second throughout; each start afresh (emptied, local, restarted) gives one more.
    times = sorted(message.at for message in sent)
    assert times[-1] - times[0] >= (len(chats) - 1 - 3) / 8 - 0.1
    assert most_in_a_second(times) <= 8 + 3
    log = err.decode().splitlines()
    assert len([line for line in log if "send budget in Redis unavailable" in line]) == 1
    assert len([line for line in log if "send budget in Redis reachable again" in line]) == 1
    assert not any(str(chat) in line for line in log for chat in chats)


async def test_resync_says_there_is_nothing_to_rebuild_and_writes_nothing(
    drill: Drill,
) -> None:
    with drill.redis.client() as client:
        client.set("ieum:bot:send:all", "kept")
        said, _ = await drill.run("checkins", "resync")
        assert said.strip() == RESYNC_NOT_NEEDED
        assert client.keys() == [b"ieum:bot:send:all"]
