"""The whole conversation stack for end-to-end tests (``ieum.emulated_stack``), with a
fresh PostgreSQL case store and the logs kept for the tests to read."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
import redis

from cases.db import create_db_engine
from cases.store import CaseStore
from core.settings import Settings
from ieum.emulated_stack import EmulatedStack, emulated_stack
from ieum.telegram_emulator import BotApiEmulator
from tests.db_fixtures import POSTGRES_SERVER

E2E_REDIS_URL = "redis://127.0.0.1:6379/9"


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
