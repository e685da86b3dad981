"""Check-ins (안부확인) at city scale: claim throughput, nothing lost or doubled, answers,
and real sends at the configured pace.

Seeds a scratch PostgreSQL database (created here, dropped at the end) with 100,000
enrolled, linked people (a consent each, the three tiers in turn, every day with a
09:00–11:00 window) and creates one morning's check-ins, spread over the window. Then,
as of 11:00 when all are due, ``Checkins.tick`` sends them with a sender that does
nothing but return message ids: once with one worker, and once more (the morning reset
in SQL) with two workers at once, each a process of its own with its own engine, as
``ieum checkins worker`` runs. Claims per second count every check-in claimed,
recorded, sent and recorded as sent, over the ticks' wall time. After each run the SQL
record is checked: every due person has exactly one check-in and exactly one sent
attempt (lost and duplicates are printed). Then 1,000 of them press 잘 지내요
(``answer_button`` with ``ck:<id>:ok``) from 20 threads at once: latency of each answer
recorded, p50/p95, and the seconds for all. Last, end to end: 200 more people in a
second scratch database get their check-in through the real
``bot.checkin_sender.TelegramCheckinSender`` (built from the settings, as the worker
builds it) to the Bot API emulator (``ieum/telegram_emulator.py``, in this process):
the measured send rate against ``IEUM_CHECKIN_SEND_PER_SECOND``, and whether each
arrived exactly once. Redis holds nothing for check-ins (SQL is the only store), so its
memory per person is 0. Prints figures; asserts nothing.

    .venv/bin/python -m bench.checkin_scale [--people 100000] [--sends 200]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import multiprocessing
import secrets
import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, create_engine, text

from bench.case_queue import percentile, scratch_database
from bot.checkin_sender import TelegramCheckinSender
from cases.checkin_schedule import create_due_checkins
from cases.checkin_sender import Button, ChatBlocked
from cases.checkin_service import Checkins
from cases.db import session_factory, upgrade_database
from core.areas import AREAS
from core.settings import Settings
from ieum.telegram_emulator import BotApiEmulator

SEOUL = ZoneInfo("Asia/Seoul")
MORNING = dt.date(2026, 12, 8)
"""A Tuesday, not a public holiday."""
ENROLLED = dt.datetime(2026, 12, 7, 18, 0, tzinfo=SEOUL)
ALL_DUE = dt.datetime.combine(MORNING, dt.time(11, 0), SEOUL)
ANSWERED_AT = ALL_DUE + dt.timedelta(minutes=5)
ANSWERERS = 1_000
ANSWER_THREADS = 20
WORKER_TIMEOUT = 600.0
"""Seconds a worker process may take to start or to tick before the bench gives up."""
FIRST_CHAT = 7_000_000_000
"""A person's chat id is this plus their consent's id (``SEED_PEOPLE``)."""

SEED_CONSENTS = """
INSERT INTO consents (purpose, subject, wording_version, channel, given_at)
SELECT 'checkin', 'self', 'bench-1', 'visit', :enrolled
FROM generate_series(1, :people) AS g
"""
SEED_PEOPLE = """
INSERT INTO checkin_people (display_name, area, tier, weekday_mask, window_start, window_end,
                            timezone, status, chat_id, consent_id, created_by, created_at,
                            updated_at)
SELECT '어르신' || c.id, areas.keys[1 + c.id % array_length(areas.keys, 1)],
       (ARRAY['danger','caution','watch'])[1 + c.id % 3], 127, '09:00', '11:00',
       'Asia/Seoul', 'active', (:first_chat + c.id)::text, c.id, 'bench', :enrolled, :enrolled
FROM consents c, (SELECT CAST(:areas AS text[]) AS keys) AS areas
WHERE c.purpose = 'checkin'
"""
RESET_MORNING = (
    "DELETE FROM checkin_attempts",
    """UPDATE checkins SET state = 'due', sends = 0, attempts = 0, failures = 0,
                          next_action_at = due_at, updated_at = created_at""",
)
CHECK_RECORD = """
SELECT count(*) FILTER (WHERE slots = 0 OR sent = 0) AS lost,
       coalesce(sum(greatest(slots - 1, 0) + greatest(sent - 1, 0)), 0) AS duplicates
FROM (
  SELECT p.id,
         (SELECT count(*) FROM checkins c WHERE c.person_id = p.id AND c.slot_date = :day)
           AS slots,
         (SELECT count(*) FROM checkins c JOIN checkin_attempts a ON a.checkin_id = c.id
          WHERE c.person_id = p.id AND c.slot_date = :day AND a.state = 'sent') AS sent
  FROM checkin_people p WHERE p.status = 'active'
) AS per_person
"""


class NoSender:
    """Sends nothing; every message is accepted with a fresh id."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    def send(self, chat_id: str, text: str, buttons: tuple[Button, ...]) -> str:
        return str(next(self._ids))


def seed(engine: Engine, people: int) -> int:
    """The people, and the morning's check-ins; how many check-ins were created."""
    keys = [key for key, area in AREAS.items() if area.level == "dong"]
    with engine.begin() as connection:
        connection.execute(text(SEED_CONSENTS), {"people": people, "enrolled": ENROLLED})
        connection.execute(
            text(SEED_PEOPLE), {"enrolled": ENROLLED, "areas": keys, "first_chat": FIRST_CHAT}
        )
    checkins = Checkins(engine)
    with session_factory(engine).begin() as session:
        created = create_due_checkins(session, ALL_DUE, checkins.policy).created
    vacuum(engine)
    return created


def vacuum(engine: Engine) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def reset_morning(engine: Engine) -> None:
    with engine.begin() as connection:
        for statement in RESET_MORNING:
            connection.execute(text(statement))
    vacuum(engine)


def run_workers(url: str, workers: int) -> tuple[int, float]:
    """Check-ins sent and wall seconds: ``workers`` processes, each with its own engine,
    ticking at once (from when all are ready until the last one's tick returned)."""
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(workers + 1)
    results: Queue[int] = context.Queue()
    processes = [
        context.Process(target=tick_worker, args=(url, ready, results)) for _ in range(workers)
    ]
    for process in processes:
        process.start()
    ready.wait(WORKER_TIMEOUT)
    began = time.perf_counter()
    sent = sum(results.get(timeout=WORKER_TIMEOUT) for _ in processes)
    seconds = time.perf_counter() - began
    for process in processes:
        process.join()
    return sent, seconds


def tick_worker(url: str, ready: Barrier, results: Queue[int]) -> None:
    """One worker process: connect, wait for the others, tick; put the count sent."""
    engine = create_engine(url, hide_parameters=True)
    try:
        checkins = Checkins(engine)
        with engine.connect():
            pass  # the connection is made before the clock starts
        ready.wait(WORKER_TIMEOUT)
        results.put(checkins.tick(ALL_DUE, NoSender()).sent)
    finally:
        engine.dispose()


def check_record(engine: Engine) -> tuple[int, int]:
    """Lost and duplicated check-ins of the morning, from the SQL record."""
    with engine.connect() as connection:
        row = connection.execute(text(CHECK_RECORD), {"day": MORNING}).one()
    return int(row.lost), int(row.duplicates)


def run_answers(engine: Engine) -> tuple[list[float], float, int]:
    """Latencies in ms, total seconds and answers recorded: ``ANSWERERS`` people pressing
    잘 지내요 from ``ANSWER_THREADS`` threads at once."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT c.id, p.chat_id FROM checkins c JOIN checkin_people p"
                " ON p.id = c.person_id WHERE c.state = 'sent' ORDER BY c.id"
            )
        ).all()
    step = max(1, len(rows) // ANSWERERS)
    chosen = [(int(row.id), str(row.chat_id)) for row in rows[::step][:ANSWERERS]]
    timings: list[float] = []
    recorded: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(ANSWER_THREADS + 1)

    def answerer(number: int) -> None:
        checkins = Checkins(engine, clock=lambda: ANSWERED_AT)
        mine = chosen[number::ANSWER_THREADS]
        start.wait()
        for checkin_id, chat_id in mine:
            began = time.perf_counter()
            outcome = checkins.answer_button(chat_id, f"ck:{checkin_id}:ok")
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                timings.append(elapsed)
                recorded.append(outcome is not None)

    threads = [threading.Thread(target=answerer, args=(n,)) for n in range(ANSWER_THREADS)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return timings, time.perf_counter() - began, sum(recorded)


@contextmanager
def running_emulator() -> Iterator[BotApiEmulator]:
    """The Bot API emulator serving on a free port, from an event loop in a thread."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    emulator = BotApiEmulator()
    try:
        asyncio.run_coroutine_threadsafe(emulator.start(), loop).result(WORKER_TIMEOUT)
        yield emulator
    finally:
        asyncio.run_coroutine_threadsafe(emulator.stop(), loop).result(WORKER_TIMEOUT)
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


def run_sends(people: int) -> None:
    """``people`` check-ins sent for real: ``Checkins.tick`` with the worker's Telegram
    sender, to the emulator; prints the rate and what arrived."""
    with scratch_database() as url, running_emulator() as emulator:
        engine = create_engine(url, hide_parameters=True)
        try:
            upgrade_database(engine)
            seed(engine, people)
            settings = Settings(
                telegram_api_url=emulator.url,
                telegram_token=emulator.token,
                bot_redis_prefix=f"ieum:bench:{secrets.token_hex(4)}:",
            )
            sender = TelegramCheckinSender.from_settings(settings, unreachable=ChatBlocked)
            began = time.perf_counter()
            try:
                sent = Checkins(engine).tick(ALL_DUE, sender).sent
            finally:
                sender.close()
            seconds = time.perf_counter() - began
            lost, duplicates = check_record(engine)
        finally:
            engine.dispose()
        arrived = Counter(message.chat_id for message in emulator.sent)
        expected = {FIRST_CHAT + n for n in range(1, people + 1)}
        missing = len(expected - set(arrived))
        twice = sum(1 for chat in expected if arrived[chat] > 1)
        print(
            f"{sent:,} check-ins through TelegramCheckinSender to the Bot API emulator in "
            f"{seconds:.1f} s: {sent / seconds:.1f} sends/s (configured "
            f"{settings.checkin_send_per_second:g}/s); {len(emulator.sent):,} arrived, "
            f"{missing} missing, {twice} twice, {len(set(arrived) - expected)} elsewhere; "
            f"SQL record {lost} lost / {duplicates} duplicates"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--sends", type=int, default=200, help="check-ins sent for real")
    args = parser.parse_args()
    bench_began = time.perf_counter()
    with scratch_database() as url:
        engine = create_engine(url, pool_size=ANSWER_THREADS, hide_parameters=True)
        try:
            upgrade_database(engine)
            started = time.perf_counter()
            created = seed(engine, args.people)
            print(
                f"{args.people:,} people enrolled and linked, {created:,} check-ins of one "
                f"morning (09:00–11:00), seeded in {time.perf_counter() - started:.1f} s"
            )
            print(f"{'workers':<9}{'sent':>9}{'seconds':>9}{'claims/s':>10}{'lost':>6}{'dups':>6}")
            for workers in (1, 2):
                if workers > 1:
                    reset_morning(engine)
                sent, seconds = run_workers(url, workers)
                lost, duplicates = check_record(engine)
                print(
                    f"{workers:<9}{sent:>9,}{seconds:>9.1f}{sent / seconds:>10,.0f}"
                    f"{lost:>6}{duplicates:>6}"
                )
            timings, seconds, recorded = run_answers(engine)
            print(
                f"{len(timings):,} button answers from {ANSWER_THREADS} threads: "
                f"{recorded:,} recorded in {seconds:.1f} s, p50 {statistics.median(timings):.1f}"
                f" ms, p95 {percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms"
            )
            print("Redis memory per enrolled person: 0 (SQL only)")
        finally:
            engine.dispose()
    run_sends(args.sends)
    print(f"whole bench: {time.perf_counter() - bench_began:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
