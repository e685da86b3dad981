"""Shared access to the curated catalog for tests (loaded once per session)."""

from __future__ import annotations

from functools import lru_cache

from core.settings import Settings
from knowledge.catalog import Catalog, load_catalog


@lru_cache(maxsize=1)
def curated_catalog() -> Catalog:
    return load_catalog([Settings().catalog_dir])
