"""The real embedding model and a curated-catalog index, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from index.embedder import Embedder, load_embedder
from index.store import build_index, embedder_identity
from knowledge.catalog import Catalog


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return load_embedder(Settings())


@pytest.fixture(scope="session")
def built_index_dir(
    tmp_path_factory: pytest.TempPathFactory, catalog: Catalog, embedder: Embedder
) -> Path:
    """The curated catalog indexed into a temporary folder."""
    index_dir = tmp_path_factory.mktemp("index")
    build_index(catalog, embedder, index_dir, embedder_identity(Settings()))
    return index_dir
