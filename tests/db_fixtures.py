"""Case-store databases for tests: SQLite files and one PostgreSQL database per session.

The PostgreSQL database (``ieum_test_<random>`` on 127.0.0.1:5432) is created for the
session and dropped afterwards; each test gets its own schema in it, so tests never see
each other's rows (events cannot be deleted, by design).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from cases.db import create_db_engine, upgrade_database

POSTGRES_SERVER = "postgres@127.0.0.1:5432"


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """The name of a fresh PostgreSQL database, dropped when the session ends."""
    name = f"ieum_test_{secrets.token_hex(4)}"
    admin = f"postgresql://{POSTGRES_SERVER}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def case_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ieum.db'}"
    database = request.getfixturevalue("postgres_database")
    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(f"postgresql://{POSTGRES_SERVER}/{database}", autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return f"postgresql+psycopg://{POSTGRES_SERVER}/{database}?options=-csearch_path%3D{schema}"


@pytest.fixture
def case_engine(case_database_url: str) -> Iterator[Engine]:
    """An engine on a freshly migrated case store."""
    engine = create_db_engine(case_database_url)
    upgrade_database(engine)
    yield engine
    engine.dispose()
