"""Conversation latency and memory: the whole stack under 20 concurrent Telegram users.

The Bot API emulator of the end-to-end tests, then Rasa, the action server and
``python -m bot`` started by ``ieum.stack`` (as ``ieum run`` does) on free ports, with
Redis database 10 (flushed before and after) and a SQLite case store in a temporary
directory. Each simulated user greets, asks where to apply for 기초연금, asks what their
mother can receive and answers the finder's questions (typed answers, or the
"잘 모르겠어요" button when offered), then thanks the bot; each waits for the reply and
a think time before the next message.

Users act independently: each starts within the first few seconds and thinks 1–4 s
(uniform, seeded) between a reply and the next message, as load tests usually model
people. ``--lockstep`` is the worst case instead: all twenty start at the same instant
and think exactly 1.5 s, so every message arrives in a burst of twenty.

Round trip: from injecting the update into the emulator until the bot's first
sendMessage to that chat reaches the emulator; "last" is until the last message of the
turn (the turn ends after a quiet period). Memory is VmRSS of each process and its
descendants, sampled after the run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot import messages as bot_messages
from core.settings import Settings
from ieum.emulated_stack import (
    ANSWER_BUTTONS,
    DONT_KNOW,
    TYPED_ANSWERS,
    Turn,
    emulated_stack,
    receive_turn,
)
from ieum.telegram_emulator import JSON, BotApiEmulator, EmulatedUser, Params, SentMessage

REDIS_URL = "redis://127.0.0.1:6379/10"
USERS = 20
FIRST_CHAT_ID = 810_000
TURN_TIMEOUT = 30.0  # no first reply within this: a timeout, and that user stops
THINK_SECONDS = (1.0, 4.0)  # between reading a reply and sending the next message
LOCKSTEP_THINK_SECONDS = 1.5
START_SPREAD_SECONDS = 3.0  # independent users start at random times within this
SEED = 20261123
MAX_ANSWERS = 8  # finder questions answered per user at most
RUN_TIMEOUT = 200.0  # all conversations together
TARGET_P95_MS = 500.0
ERROR_REPLIES = (
    bot_messages.SERVICE_UNAVAILABLE,
    bot_messages.RATE_LIMITED,
    bot_messages.BUTTON_EXPIRED,
)


class TimedEmulator(BotApiEmulator):
    """The emulator, noting when each sendMessage arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[int, float] = {}

    async def _send_message(self, params: Params) -> JSON:
        result = await super()._send_message(params)
        self.arrived[int(result["message_id"])] = time.perf_counter()
        return result


@dataclass
class Results:
    last_ms: list[float] = field(default_factory=list)
    first_ms_by_message: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    timeouts: int = 0
    error_notes: list[str] = field(default_factory=list)

    @property
    def first_ms(self) -> list[float]:
        """Every turn's first-reply time, whatever was sent."""
        return [ms for times in self.first_ms_by_message.values() for ms in times]


@dataclass(frozen=True)
class Pacing:
    """When a simulated user starts and how long they think between messages."""

    lockstep: bool

    def start_delay(self, rng: random.Random) -> float:
        return 0.0 if self.lockstep else rng.uniform(0.0, START_SPREAD_SECONDS)

    def think(self, rng: random.Random) -> float:
        return LOCKSTEP_THINK_SECONDS if self.lockstep else rng.uniform(*THINK_SECONDS)


class TimedUser:
    """One simulated user: sends, waits for the whole reply, records the timings."""

    def __init__(
        self, emulator: TimedEmulator, chat_id: int, results: Results, pacing: Pacing
    ) -> None:
        self.emulator = emulator
        self.user: EmulatedUser = emulator.user(chat_id)
        self.results = results
        self.pacing = pacing
        self.rng = random.Random(SEED + chat_id)

    async def say(self, text: str) -> Turn | None:
        started = time.perf_counter()
        await self.user.say(text)
        return await self._turn(started, text)

    async def press(self, message: SentMessage, title: str) -> Turn | None:
        started = time.perf_counter()
        await self.user.press(message, title)
        return await self._turn(started, f"[{title}]")

    async def _turn(self, started: float, sent: str) -> Turn | None:
        try:
            turn = await receive_turn(self.user, TURN_TIMEOUT)
        except AssertionError:
            self.results.timeouts += 1
            self.results.error_notes.append(f"chat {self.user.chat_id}: no reply to {sent!r}")
            return None
        received = turn.messages
        arrived = self.emulator.arrived
        first_ms = (arrived[received[0].message_id] - started) * 1000
        self.results.first_ms_by_message.setdefault(sent, []).append(first_ms)
        self.results.last_ms.append((arrived[received[-1].message_id] - started) * 1000)
        if any(error in turn.text for error in ERROR_REPLIES):
            self.results.errors += 1
            self.results.error_notes.append(f"chat {self.user.chat_id}: {turn.text[:60]!r}")
        await asyncio.sleep(self.pacing.think(self.rng))
        return turn


async def answer(user: TimedUser, turn: Turn, field_name: str) -> Turn | None:
    """Typed answers for age, income and region; otherwise "잘 모르겠어요" if offered."""
    if field_name in TYPED_ANSWERS:
        return await user.say(TYPED_ANSWERS[field_name])
    for title in (DONT_KNOW, ANSWER_BUTTONS.get(field_name, DONT_KNOW)):
        message = turn.with_button(title)
        if message is not None:
            return await user.press(message, title)
    return await user.say(DONT_KNOW)


async def conversation(
    emulator: TimedEmulator, chat_id: int, results: Results, pacing: Pacing
) -> None:
    user = TimedUser(emulator, chat_id, results, pacing)
    await asyncio.sleep(pacing.start_delay(user.rng))
    for text in ("안녕하세요", "기초연금은 어디서 신청해요"):
        if await user.say(text) is None:
            return
    turn = await user.say("어머니가 받을 수 있는 지원 있나요")
    for _ in range(MAX_ANSWERS):
        if turn is None:
            return
        fields = turn.asked()
        if not fields:
            break
        turn = await answer(user, turn, fields[0])
    await user.say("고마워요")


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        ppid = int(text.rpartition(")")[2].split()[1])
        children.setdefault(ppid, []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def rss_mb(pid: int) -> float:
    """VmRSS of a process and all its descendants, in MB."""
    total_kb = 0
    for member in process_tree(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far by a process and its descendants."""
    ticks = 0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(
    results: Results, seconds: float, memory: dict[str, float], cpu: dict[str, float]
) -> None:
    turns = len(results.first_ms)
    print(f"users: {USERS}, turns answered: {turns}, conversation time: {seconds:.1f} s")
    for label, values in (("first reply", results.first_ms), ("last reply", results.last_ms)):
        if values:
            print(
                f"round trip to {label}: p50 {percentile(values, 0.5):.0f} ms, "
                f"p95 {percentile(values, 0.95):.0f} ms, max {max(values):.0f} ms"
            )
    if results.first_ms:
        p95 = percentile(results.first_ms, 0.95)
        verdict = "met" if p95 < TARGET_P95_MS else "NOT met"
        print(f"target p95 < {TARGET_P95_MS:.0f} ms (first reply): {verdict}")
    print("first reply by message sent:")
    for sent, values in results.first_ms_by_message.items():
        print(
            f"  {sent}: n {len(values)}, p50 {percentile(values, 0.5):.0f} ms, "
            f"p95 {percentile(values, 0.95):.0f} ms"
        )
    print(f"errors: {results.errors}, timeouts: {results.timeouts}")
    for note in results.error_notes[:10]:
        print(f"  {note}")
    print("per process (with children): resident memory after the run, CPU used during it")
    for name, megabytes in memory.items():
        print(f"  {name}: {megabytes:.0f} MB, {cpu[name]:.1f} CPU s")


async def run(scratch: Path, pacing: Pacing) -> int:
    emulator = TimedEmulator()
    results = Results()
    started = time.perf_counter()
    async with emulated_stack(
        redis_url=REDIS_URL,
        database_url=f"sqlite:///{scratch / 'ieum.db'}",
        rasa_token=secrets.token_urlsafe(24),
        log_dir=scratch / "logs",
        emulator=emulator,
    ) as running:
        print(f"stack started in {time.perf_counter() - started:.1f} s")
        processes = running.stack.processes
        cpu_before = {name: cpu_seconds(p.pid) for name, p in processes.items()}
        started = time.perf_counter()
        chats = [conversation(emulator, FIRST_CHAT_ID + n, results, pacing) for n in range(USERS)]
        try:
            await asyncio.wait_for(asyncio.gather(*chats), RUN_TIMEOUT)
        except TimeoutError:
            results.timeouts += 1
            results.error_notes.append(f"conversations cut off after {RUN_TIMEOUT:.0f} s")
        seconds = time.perf_counter() - started
        memory = {name: rss_mb(process.pid) for name, process in processes.items()}
        cpu = {name: cpu_seconds(p.pid) - cpu_before[name] for name, p in processes.items()}
        report(results, seconds, memory, cpu)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lockstep", action="store_true", help="all users send at the same instants"
    )
    args = parser.parse_args(argv)
    model = Settings().rasa_model
    if not model.exists():
        print(f"no trained Rasa model at {model} (make rasa-model)", file=sys.stderr)
        return 1
    pacing = Pacing(lockstep=args.lockstep)
    print("pacing: " + ("lockstep" if args.lockstep else "independent users"))
    with tempfile.TemporaryDirectory(prefix="ieum-latency-") as scratch:
        return asyncio.run(run(Path(scratch), pacing))


if __name__ == "__main__":
    sys.exit(main())
