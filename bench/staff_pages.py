"""The staff console's pages over HTTP, as 20 members of staff use it at once.

The same scratch PostgreSQL database as ``bench/case_queue.py`` (10,000 open cases,
100,000 events, 40,000 closed cases), served by a real ``ieum staff serve`` process.
Twenty clients sign in (a worker, a supervisor and an admin, in turn) and each alternates
the queue page ``/`` and the page of a case it may see, ``/cases/{id}``: server-side
rendering, session and audit writes included, as a browser would get them. Prints
p50/p95 per page; asserts nothing.

    .venv/bin/python -m bench.staff_pages [--clients 20] [--rounds 25]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from argon2 import PasswordHasher
from sqlalchemy import create_engine

from bench.case_queue import percentile, scratch_database, seed, staff, visible_cases
from cases.access import Viewer
from cases.db import upgrade_database
from cases.service import case_services
from core.paths import REPO_ROOT

PASSWORD = "benchmark password"  # the password bench.case_queue.staff gives every account
PAGES = ("queue", "case")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def console(database_url: str, port: int) -> Iterator[str]:
    """``ieum staff serve`` on the scratch database until the block ends."""
    environment = {
        **os.environ,
        "IEUM_DATABASE_URL": database_url,
        # Twenty people sign in from one address here; a 동 centre behind one NAT does too.
        "IEUM_STAFF_SIGNIN_MAX_PER_ADDRESS": "1000",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "ieum.cli", "staff", "serve", "--port", str(port)],
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the console did not answer /healthz within 60 s")
        yield url
    finally:
        process.terminate()
        process.wait(10)


async def signed_in(url: str, login: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=url, timeout=30)
    answer = await client.post("/api/session", json={"login": login, "password": PASSWORD})
    answer.raise_for_status()
    return client


async def run_clients(
    url: str, viewers: list[Viewer], cases: dict[str, list[int]], clients: int, rounds: int
) -> dict[str, list[float]]:
    """Latencies in ms by page, from ``clients`` signed-in clients started together."""
    sessions = [await signed_in(url, viewers[n % len(viewers)].login) for n in range(clients)]
    timings: dict[str, list[float]] = defaultdict(list)

    async def timed(page: str, client: httpx.AsyncClient, path: str) -> None:
        began = time.perf_counter()
        answer = await client.get(path)
        timings[page].append((time.perf_counter() - began) * 1000)
        answer.raise_for_status()

    async def one(number: int) -> None:
        client, viewer = sessions[number], viewers[number % len(viewers)]
        pick = random.Random(number)
        for _ in range(rounds):
            await timed("queue", client, "/")
            await timed("case", client, f"/cases/{pick.choice(cases[viewer.login])}")

    try:
        await asyncio.gather(*(one(n) for n in range(clients)))
    finally:
        for client in sessions:
            await client.aclose()
    return timings


def report(timings: dict[str, list[float]], clients: int) -> None:
    print(f"{clients} signed-in clients at once, one console process")
    print(f"{'page':<8}{'calls':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for page in PAGES:
        values = timings[page]
        print(
            f"{page:<8}{len(values):>7}{statistics.median(values):>9.1f}"
            f"{percentile(values, 0.95):>9.1f}{max(values):>9.1f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=25, help="queue + case pages per client")
    args = parser.parse_args()
    with scratch_database() as database_url:
        engine = create_engine(database_url, hide_parameters=True)
        try:
            upgrade_database(engine)
            seed(engine)
            services = case_services(engine, password_hasher=PasswordHasher(1, 8, 1))
            viewers = staff(services)
            cases = {viewer.login: visible_cases(engine, viewer) for viewer in viewers}
        finally:
            engine.dispose()
        with console(database_url, free_port()) as url:
            asyncio.run(run_clients(url, viewers, cases, args.clients, 2))  # warm-up
            timings = asyncio.run(run_clients(url, viewers, cases, args.clients, args.rounds))
        report(timings, args.clients)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
