"""The whole conversation stack for end-to-end tests (``ieum.emulated_stack``), with a
fresh PostgreSQL case store and the logs kept for the tests to read."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
import redis

from cases.db import create_db_engine
from cases.store import CaseStore, EscalationRecord
from core.settings import Settings
from ieum.emulated_stack import EmulatedStack, emulated_stack
from ieum.telegram_emulator import BotApiEmulator
from tests.db_fixtures import POSTGRES_SERVER

E2E_REDIS_URL = "redis://127.0.0.1:6379/9"
RASA_MODEL = Settings().rasa_model
E2E_MARKS = [
    pytest.mark.e2e,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.skipif(
        not RASA_MODEL.exists(), reason=f"no trained Rasa model at {RASA_MODEL} (make rasa-model)"
    ),
]
"""The marks of every test module that talks to the running stack."""


@dataclass
class RunningStack:
    """The emulated stack, the case store it writes to and the folder of its logs."""

    running: EmulatedStack
    cases: CaseStore
    log_dir: Path

    @property
    def emulator(self) -> BotApiEmulator:
        return self.running.emulator

    @property
    def settings(self) -> Settings:
        return self.running.settings

    @property
    def redis(self) -> redis.Redis:
        return self.running.redis

    async def restart(self, name: str) -> None:
        await self.running.restart(name)

    def escalations(self, sender: str) -> list[EscalationRecord]:
        """Every escalation of one conversation, closed ones too."""
        return [
            record
            for record in self.cases.list_open(include_closed=True)
            if record.conversation_id == sender
        ]

    def tracker(self, sender: str) -> dict[str, Any]:
        """The conversation as the Rasa server keeps it (in the stack's Redis)."""
        response = httpx.get(
            f"{self.settings.rasa_url}/conversations/{sender}/tracker",
            params={"token": self.settings.rasa_token},
            timeout=30,
        )
        response.raise_for_status()
        state: dict[str, Any] = response.json()
        return state

    def redis_keys_holding(self, needle: str) -> list[bytes]:
        """The keys of the stack's Redis database with ``needle`` anywhere in their value."""
        client = self.redis
        return [key for key in client.scan_iter() if needle in repr(stored_value(client, key))]

    def logs_holding(self, needle: str) -> list[str]:
        """The names of the stack's log files that contain ``needle``."""
        return [p.name for p in self.log_dir.iterdir() if needle in p.read_text(errors="replace")]


def user_texts(state: dict[str, Any]) -> list[str]:
    """What the user said in a tracker, in order."""
    return [event.get("text") or "" for event in state["events"] if event["event"] == "user"]


def stored_value(client: redis.Redis, key: bytes) -> object:
    kind = client.type(key)
    if kind == b"string":
        return client.get(key)
    if kind == b"list":
        return client.lrange(key, 0, -1)
    if kind == b"hash":
        return client.hgetall(key)
    if kind == b"set":
        return client.smembers(key)
    if kind == b"zset":
        return client.zrange(key, 0, -1)
    if kind == b"none":
        return None  # gone between the scan and this look (a lock released, a key expired)
    raise AssertionError(f"unexpected Redis type {kind!r} of {key!r}")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def running_stack(
    postgres_database: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[RunningStack]:
    database_url = f"postgresql+psycopg://{POSTGRES_SERVER}/{postgres_database}"
    log_dir = tmp_path_factory.mktemp("e2e-logs")
    case_engine = create_db_engine(database_url)  # the action server migrates it
    try:
        async with emulated_stack(
            redis_url=E2E_REDIS_URL,
            database_url=database_url,
            # Leading "-" as in one of 64 stored tokens: it must not pass for a Rasa option.
            rasa_token=f"-{secrets.token_urlsafe(24)}",
            log_dir=log_dir,
        ) as running:
            yield RunningStack(running, CaseStore(case_engine), log_dir)
    finally:
        case_engine.dispose()
