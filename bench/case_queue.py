"""The staff console's two queries under load: the queue page and a case page.

Seeds a scratch PostgreSQL database (created here, dropped at the end) with 10,000 open
cases spread over the seed districts' 동s and other districts, 100,000 events, a report
behind every report case and 40,000 closed cases of earlier years, then runs 20 readers
at once (threads, like a console's worker pool), each alternating a queue page (50
lines, the default filters) and the page of a case it may see, as a worker, a
supervisor or an admin. Every call writes its audit
row, as in the console. Prints p50/p95 per query and role; asserts nothing.

    .venv/bin/python bench/case_queue.py [--readers 20] [--rounds 25]
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

import psycopg
from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, select, text

from cases.access import Viewer, area_clause
from cases.db import upgrade_database
from cases.models import Case
from cases.queue import CaseFilters
from cases.service import CaseServices, case_services
from core.areas import AREAS

SERVER = "postgres@127.0.0.1:5432"
CASES = 10_000
EVENTS = 100_000
CLOSED = 40_000
"""Closed cases of earlier years: the history every query must skip."""
WORKER_DONG = "서울특별시 강서구 화곡1동"
SUPERVISOR_DISTRICT = "서울특별시 강서구"

# Half the cases in the 62 seed 동s, the rest at district level, all open; ages up to
# 30 days, so about a third are overdue.
SEED_CASES = """
INSERT INTO cases (kind, priority, status, area, due_at, receipt, channel, summary,
                   transcript, created_at, updated_at, status_changed_at)
SELECT (ARRAY['report','handoff','fallback','emergency','checkin_concern'])[1 + g % 5],
       (ARRAY['normal','normal','normal','high','critical'])[1 + (g / 5) % 5],
       (ARRAY['new','assigned','contacted','visited','linked'])[1 + (g / 25) % 5],
       areas.keys[1 + g % array_length(areas.keys, 1)],
       now() - (g % 720) * interval '1 hour' + interval '10 days',
       CASE WHEN g % 5 = 0 THEN 'B' || lpad(g::text, 11, '0') END,
       'telegram', '[신고] 이웃 · 며칠째 안 보임 · 독거노인 ' || g,
       '[{"role": "user", "text": "옆집 할머니가 안 보여요", "at": "2026-12-01T00:00:00Z"}]',
       now() - (g % 720) * interval '1 hour', now(), now()
FROM generate_series(1, :cases) AS g, (SELECT CAST(:areas AS text[]) AS keys) AS areas
"""
SEED_CLOSED = """
INSERT INTO cases (kind, priority, status, outcome, area, due_at, channel, summary, transcript,
                   created_at, updated_at, status_changed_at)
SELECT 'report', 'normal', 'closed', 'service_linked',
       areas.keys[1 + g % array_length(areas.keys, 1)], now() - interval '400 days',
       'telegram', '[신고] 종결된 사례 ' || g, '[]',
       now() - interval '403 days', now() - interval '390 days', now() - interval '390 days'
FROM generate_series(1, :closed) AS g, (SELECT CAST(:areas AS text[]) AS keys) AS areas
"""
SEED_EVENTS = """
INSERT INTO case_events (case_id, at, kind, actor, detail)
SELECT c.id, now() - (g % 500) * interval '1 minute',
       (ARRAY['opened','note','follow_up','status_changed','reply'])[1 + g % 5],
       'kim', '{"text": "전화했으나 받지 않음"}'
FROM generate_series(1, :events) AS g
JOIN cases c ON c.id = 1 + g % :cases
"""
SEED_CONSENT = """
INSERT INTO consents (purpose, subject, wording_version, channel, given_at)
VALUES ('report', 'bench', 'bench-1', 'telegram', now())
"""
SEED_REPORTS = """
INSERT INTO reports (case_id, about, relation, region_text, signs, text, household, urgent,
                     danger, anonymous, reporter_name, reporter_phone, consent_id)
SELECT id, 'other', '이웃', '강서구 화곡1동', '["not_seen"]', '옆집 할머니가 일주일째 안 보이세요.',
       'elderly_alone', false, false, false, '홍길동', '01012345678',
       (SELECT min(id) FROM consents)
FROM cases WHERE kind = 'report' AND status <> 'closed'
"""


@contextmanager
def scratch_database() -> Iterator[str]:
    """A fresh database on the local server, dropped afterwards whatever happens."""
    name = f"ieum_bench_{secrets.token_hex(4)}"
    admin = f"postgresql://{SERVER}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://{SERVER}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(engine: Engine) -> None:
    keys = [key for key, area in AREAS.items() if area.level == "dong"]
    keys += random.Random(1).sample([k for k in AREAS if k not in keys], len(keys))
    with engine.begin() as connection:
        connection.execute(text(SEED_CASES), {"cases": CASES, "areas": keys})
        connection.execute(text(SEED_EVENTS), {"events": EVENTS, "cases": CASES})
        connection.execute(text(SEED_CLOSED), {"closed": CLOSED, "areas": keys})
        connection.execute(text(SEED_CONSENT))
        connection.execute(text(SEED_REPORTS))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def staff(services: CaseServices) -> list[Viewer]:
    people: tuple[tuple[str, str, list[str]], ...] = (
        ("kim", "worker", [WORKER_DONG]),
        ("lee", "supervisor", [SUPERVISOR_DISTRICT]),
        ("choi", "admin", []),
    )
    return [
        services.staff.create_user(
            login, role=role, areas=areas, password="benchmark password", actor="bench"
        ).viewer
        for login, role, areas in people
    ]


def visible_cases(engine: Engine, viewer: Viewer) -> list[int]:
    query = select(Case.id).where(area_clause(viewer, Case.area), Case.status != "closed")
    with engine.connect() as connection:
        return list(connection.scalars(query))


def run_readers(
    services: CaseServices, viewers: list[Viewer], readers: int, rounds: int
) -> dict[tuple[str, str], list[float]]:
    """Latencies in ms by (query, role), from ``readers`` threads started together."""
    cases = {viewer.login: visible_cases(services.engine, viewer) for viewer in viewers}
    timings: dict[tuple[str, str], list[float]] = defaultdict(list)
    lock = threading.Lock()
    start = threading.Barrier(readers)

    def timed(name: str, viewer: Viewer, call: Callable[[], object]) -> None:
        began = time.perf_counter()
        call()
        elapsed = (time.perf_counter() - began) * 1000
        with lock:
            timings[(name, viewer.role)].append(elapsed)

    def reader(number: int) -> None:
        viewer = viewers[number % len(viewers)]
        pick = random.Random(number)
        start.wait()
        for _ in range(rounds):
            timed("queue", viewer, partial(services.queue.list_cases, viewer, CaseFilters()))
            case_id = pick.choice(cases[viewer.login])
            timed("case", viewer, partial(services.desk.detail, viewer, case_id))

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(timings: dict[tuple[str, str], list[float]], readers: int) -> None:
    print(f"{CASES:,} open cases ({CLOSED:,} closed), {EVENTS:,} events, {readers} readers at once")
    print(f"{'query':<8}{'role':<12}{'calls':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for query in ("queue", "case"):
        together: list[float] = []
        for role in ("worker", "supervisor", "admin"):
            values = timings.get((query, role), [])
            together += values
            if values:
                print(
                    f"{query:<8}{role:<12}{len(values):>7}{statistics.median(values):>9.1f}"
                    f"{percentile(values, 0.95):>9.1f}{max(values):>9.1f}"
                )
        print(
            f"{query:<8}{'all':<12}{len(together):>7}{statistics.median(together):>9.1f}"
            f"{percentile(together, 0.95):>9.1f}{max(together):>9.1f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=25, help="queue + case pages per reader")
    args = parser.parse_args()
    with scratch_database() as url:
        # One connection per reader, as a console sized for its worker pool would have.
        engine = create_engine(url, pool_size=args.readers, hide_parameters=True)
        try:
            upgrade_database(engine)
            started = time.perf_counter()
            seed(engine)
            print(f"seeded in {time.perf_counter() - started:.1f} s")
            # Sign-in speed is not measured here: the cheapest argon2id parameters.
            services = case_services(engine, password_hasher=PasswordHasher(1, 8, 1))
            viewers = staff(services)
            run_readers(services, viewers, args.readers, 2)  # warm-up
            report(run_readers(services, viewers, args.readers, args.rounds), args.readers)
        finally:
            engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
