"""Building the index component's objects from settings."""

from __future__ import annotations

from core.settings import Settings
from index.embedder import load_embedder
from index.search import SearchService


def open_search(settings: Settings) -> SearchService:
    """Search over the current index, with the configured embedder and blend."""
    return SearchService(
        settings.index_dir,
        load_embedder(settings),
        settings.search_lexical_weight,
        settings.search_candidates,
    )
