"""``ieum staff serve`` as its own process: it answers /healthz, serves the API, and its
delivery worker sends a staff reply to the citizen's Telegram chat (the emulator); the
supervisor of ``make run`` starts it like its other services."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from cases.access import Viewer
from cases.service import CaseServices
from core.paths import REPO_ROOT
from core.settings import Settings
from ieum.emulated_stack import free_port
from ieum.stack import Stack, console_service
from ieum.telegram_emulator import BotApiEmulator
from staff import messages
from tests.case_fixtures import file
from tests.staff_fixtures import PASSWORD

START_SECONDS = 30.0


@asynccontextmanager
async def running_console(settings: Settings) -> AsyncIterator[str]:
    """``ieum staff serve`` on a free port with ``settings``; its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ieum.cli", "staff", "serve", "--port", str(port)],
        cwd=REPO_ROOT,
        env={**os.environ, **settings.as_env()},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_until_healthy(url, process)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
async def console_process(
    bot_settings: Settings, case_database_url: str, services: CaseServices
) -> AsyncIterator[str]:
    """The console serving on a free port against the test's database; its base URL."""
    settings = bot_settings.model_copy(update={"database_url": case_database_url})
    async with running_console(settings) as url:
        yield url


async def wait_until_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(int(START_SECONDS / 0.2)):
            if process.poll() is not None:
                assert process.stderr is not None
                pytest.fail(f"the console exited: {process.stderr.read().decode()[-2000:]}")
            try:
                if (await client.get(f"{url}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    pytest.fail("the console did not answer /healthz")


async def test_the_console_process_serves_and_delivers_replies(
    console_process: str,
    emulator: BotApiEmulator,
    services: CaseServices,
    staff: dict[str, Viewer],
) -> None:
    case_id = file(services, conversation_id="telegram-7001").case_id
    async with httpx.AsyncClient(base_url=console_process) as client:
        health = await client.get("/healthz")
        assert health.json() == {"status": "ok"}
        assert (await client.get("/api/cases")).status_code == 401
        signed = await client.post("/api/session", json={"login": "kim", "password": PASSWORD})
        assert signed.status_code == 200
        reply = await client.post(
            f"/api/cases/{case_id}/reply",
            json={"text": "내일 찾아뵙겠습니다."},
            headers={"X-CSRF-Token": signed.json()["csrf"]},
        )
        assert reply.status_code == 200
        received = await emulator.user(7001).receive_one(timeout=15)
        assert received.text == messages.reply_to_citizen("내일 찾아뵙겠습니다.")
        for _ in range(50):
            events = (await client.get(f"/api/cases/{case_id}/events")).json()["events"]
            if events[-1]["kind"] == "reply_delivered":
                break
            await asyncio.sleep(0.1)
        assert events[-1]["kind"] == "reply_delivered"


def test_the_supervisor_starts_the_console_as_make_run_does(
    tmp_path: Path, case_database_url: str
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=case_database_url, staff_port=free_port())
    with Stack([console_service(settings)], settings.log_dir) as stack:
        assert stack.processes["staff"].poll() is None
        answer = httpx.get(f"http://127.0.0.1:{settings.staff_port}/healthz")
        assert answer.json() == {"status": "ok"}
        login = httpx.get(f"http://127.0.0.1:{settings.staff_port}/login")
        assert login.status_code == 200 and messages.LOGIN_TITLE in login.text


@pytest.mark.parametrize("case_database_url", ["postgresql"], indirect=True)
async def test_two_console_processes_on_one_database_behave_as_one(
    bot_settings: Settings,
    case_database_url: str,
    emulator: BotApiEmulator,
    services: CaseServices,
    staff: dict[str, Viewer],
) -> None:
    """A session made on one console works on the other, and replies sent through both,
    with both delivery workers claiming, reach the chat once each."""
    settings = bot_settings.model_copy(update={"database_url": case_database_url})
    case_id = file(services, conversation_id="telegram-7002").case_id
    texts = [f"{n}번째 안내입니다." for n in range(8)]
    async with (
        running_console(settings) as first,
        running_console(settings) as second,
        httpx.AsyncClient(base_url=first) as on_first,
    ):
        signed = await on_first.post("/api/session", json={"login": "kim", "password": PASSWORD})
        csrf = signed.json()["csrf"]
        async with httpx.AsyncClient(base_url=second, cookies=on_first.cookies) as on_second:
            assert (await on_second.get(f"/api/cases/{case_id}")).status_code == 200
            for number, text in enumerate(texts):
                client = on_first if number % 2 == 0 else on_second
                sent = await client.post(
                    f"/api/cases/{case_id}/reply",
                    json={"text": text},
                    headers={"X-CSRF-Token": csrf},
                )
                assert sent.status_code == 200
            chat = emulator.user(7002)
            received = [message.text for message in await chat.receive(len(texts), timeout=20)]
            assert sorted(received) == sorted(messages.reply_to_citizen(t) for t in texts)
            await chat.expect_nothing(2)
            delivered = 0
            for _ in range(50):  # a worker records delivery just after Telegram accepts
                events = (await on_second.get(f"/api/cases/{case_id}/events")).json()["events"]
                delivered = sum(e["kind"] == "reply_delivered" for e in events)
                if delivered >= len(texts):
                    break
                await asyncio.sleep(0.1)
            assert delivered == len(texts)
