"""Alembic environment: migrate the connection handed over by ``cases.db``, or the
configured database when run from the ``alembic`` command."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from cases.db import create_db_engine
from cases.models import Base
from core.settings import get_settings


def run_on(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    given = context.config.attributes.get("connection")
    if given is not None:
        run_on(given)
        return
    engine = create_db_engine(get_settings().database_url)
    with engine.begin() as connection:
        run_on(connection)
    engine.dispose()


def run_offline() -> None:
    context.configure(
        url=get_settings().database_url,
        target_metadata=Base.metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
