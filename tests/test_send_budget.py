"""The send budget shared in Redis (``bot/send_budget.py``), on a private redis-server:
processes sharing one budget keep its rate together, a chat gets bursts of three then
one a second, check-ins keep to their share, a 429 holds everyone, and a Redis that is
emptied, stopped or restarted never stops a send (the local pacer meanwhile, said once).
The bot's replies (PTB's rate limiter) and a check-in sender share it through the Bot
API emulator; typing and keyboard edits do not take turns."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from telegram.constants import ChatAction

from bot.checkin_sender import TelegramCheckinSender
from bot.send_budget import RETRY_SECONDS, BudgetRules, SendBudget, Share
from bot.service import build_bot
from core.settings import Settings
from ieum.telegram_emulator import BotApiEmulator
from tests.redis_server import RedisServer

PREFIX = "ieum:test:send:"
SLACK = 0.05
"""Seconds a turn may come early by the test's clock (Redis keeps the time)."""


Budget = Callable[..., SendBudget]


@pytest.fixture
def budget(private_redis: RedisServer) -> Iterator[Budget]:
    """Makes budgets on the private Redis, each with a client of its own, as processes
    have (chats refill at 5 a second, to keep the tests short)."""
    made: list[SendBudget] = []

    def make(*shares: Share, chat_per_second: float = 5.0) -> SendBudget:
        rules = BudgetRules(PREFIX, shares, chat_per_second=chat_per_second)
        made.append(SendBudget(private_redis.client(), rules))
        return made[-1]

    yield make
    for each in made:
        each.close()


def turns(budget: SendBudget, chats: Sequence[str], started: float | None = None) -> list[float]:
    """Wait for a turn for each chat in order; the seconds since ``started`` of each."""
    started = time.monotonic() if started is None else started
    taken = []
    for chat in chats:
        budget.wait_turn(chat)
        taken.append(time.monotonic() - started)
    return taken


def in_threads(*jobs: Callable[[float], list[float]]) -> list[list[float]]:
    """Run the jobs at once, each in its own thread as a process of its own would."""
    results: list[list[float]] = [[] for _ in jobs]
    started = time.monotonic()

    def run(index: int) -> None:
        results[index] = jobs[index](started)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def most_in_a_second(times: Sequence[float]) -> int:
    ordered = sorted(times)
    return max(sum(1 for t in ordered if start <= t < start + 1.0) for start in ordered)


def test_two_processes_keep_the_shared_rate_together(budget: Budget) -> None:
    every = Share("all", 20)
    first, second = budget(every), budget(every)
    chats = [[f"a{n}" for n in range(15)], [f"b{n}" for n in range(15)]]
    a, b = in_threads(
        lambda started: turns(first, chats[0], started),
        lambda started: turns(second, chats[1], started),
    )
    # Alone, each would have had its 15 turns within 0.7 s; together 30 take 1.45 s.
    assert max(a + b) >= 29 / 20 - SLACK
    assert most_in_a_second(a + b) <= 21
    assert min(max(a), max(b)) >= 1.0, "the turns were shared, not taken by one first"


def test_a_chat_gets_three_at_once_then_its_rate(budget: Budget) -> None:
    taken = turns(budget(Share("all", 100)), ["c"] * 5)
    assert taken[2] < 0.15, "a burst of three goes at once"
    assert taken[3] >= 0.2 - SLACK and taken[4] - taken[3] >= 0.2 - SLACK


def test_check_ins_keep_to_their_share_and_replies_pass_them(budget: Budget) -> None:
    every = Share("all", 50)
    checkins, replies = budget(every, Share("checkins", 10)), budget(every)
    sent, answered = in_threads(
        lambda started: turns(checkins, [f"k{n}" for n in range(10)], started),
        lambda started: turns(replies, [f"r{n}" for n in range(10)], started),
    )
    assert max(sent) >= 0.9 - SLACK, "check-ins at 10 a second"
    assert max(answered) < sorted(sent)[5], "answers were not queued behind the check-ins"


def test_telegrams_wait_holds_every_process(budget: Budget) -> None:
    told, other = budget(Share("all", 50)), budget(Share("all", 50))
    told.hold(0.5)
    assert turns(other, ["d"])[0] >= 0.5 - SLACK


def test_an_emptied_redis_is_a_full_budget(
    budget: Budget, private_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    slow = budget(Share("all", 2))
    turns(slow, ["e1", "e2"])  # the bucket is in debt now: a third would wait 0.5 s
    with private_redis.client() as client:
        client.flushall()
        client.script_flush()  # as a restarted Redis has no script either
        assert turns(slow, ["e3"])[0] < 0.2
        assert client.exists(f"{PREFIX}all"), "the budget is in Redis again"
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_a_redis_that_went_away_falls_back_to_local_pacing_and_comes_back(
    budget: Budget, private_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    shared = budget(Share("all", 20))
    shared.wait_turn("before")
    private_redis.stop()
    taken = turns(shared, [f"chat-{n}" for n in range(5)])
    assert taken[-1] >= 4 / 20 - SLACK, "paced by the local pacer meanwhile"
    private_redis.restart()  # empty
    time.sleep(RETRY_SECONDS)
    turns(shared, ["after"])
    with private_redis.client() as client:
        assert client.exists(f"{PREFIX}all"), "shared again"
    said = [r.getMessage() for r in caplog.records if r.name == "bot.send_budget"]
    assert len(said) == 2, said
    assert "unavailable (ConnectionError)" in said[0] and "reachable again" in said[1]
    assert not any("chat-" in line for line in said), "no chat ids in the log"


@pytest.fixture
def shared_settings(
    private_redis: RedisServer,
    emulator: BotApiEmulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Settings:
    """The bot and a check-in worker on the emulator, sharing 20 messages a second."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # as python -m bot runs
    return Settings(
        data_dir=tmp_path,
        redis_url=private_redis.url,
        bot_redis_prefix="ieum:test:",  # the budget's keys: PREFIX
        telegram_token=emulator.token,
        telegram_api_url=emulator.url,
        telegram_send_per_second=20,
        checkin_send_per_second=20,
    )


async def test_the_bots_replies_and_check_ins_share_one_budget(
    shared_settings: Settings, private_redis: RedisServer, emulator: BotApiEmulator
) -> None:
    settings = shared_settings
    sender = TelegramCheckinSender.from_settings(settings)

    def check_ins() -> None:
        for n in range(10):
            sender.send(str(9100 + n), "안녕하세요", ())

    async with build_bot(settings) as bot:
        await asyncio.gather(
            asyncio.to_thread(check_ins),
            *(bot.send_message(9200 + n, "답이에요") for n in range(10)),
        )
        emulator.fail_next_sends(1, status=429, retry_after=1)
        told = asyncio.create_task(bot.send_message(9300, "기다렸어요"))
        with private_redis.client() as client:
            for _ in range(500):  # until the bot's limiter has passed the 429 on
                if client.exists(f"{PREFIX}hold"):
                    break
                await asyncio.sleep(0.01)
        asked = time.monotonic()
        await asyncio.to_thread(sender.send, "9301", "안녕하세요", ())
        await told
    sender.close()
    first = sorted(message.at for message in emulator.sent[:20])
    assert first[-1] - first[0] >= 19 / 20 - SLACK, "20 messages at 20 a second"
    held = [m.at for m in emulator.sent if m.chat_id == 9301]
    assert held[0] - asked >= 0.8, "the check-in waited out the bot's 429"


async def test_typing_and_a_keyboard_taken_away_do_not_wait_for_a_turn(
    shared_settings: Settings, emulator: BotApiEmulator
) -> None:
    async with build_bot(shared_settings) as bot:
        began = time.monotonic()
        sent = [await bot.send_message(9400, f"{n}번째") for n in range(3)]  # the chat's burst
        started = time.monotonic()
        await bot.send_chat_action(9400, ChatAction.TYPING)
        await bot.edit_message_reply_markup(9400, sent[0].message_id, reply_markup=None)
        assert time.monotonic() - started < 0.5
        await bot.send_message(9400, "네 번째")
        assert time.monotonic() - began >= 1.0 - SLACK, "a fourth message waits its turn"
