"""Building the case store from settings."""

from __future__ import annotations

from cases.db import create_db_engine, upgrade_database
from cases.store import CaseStore
from core.settings import Settings


def open_store(settings: Settings) -> CaseStore:
    """The configured case store, migrated to the current schema."""
    engine = create_db_engine(settings.database_url)
    upgrade_database(engine)
    return CaseStore(engine)
