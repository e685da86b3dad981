"""Command-line handlers of the retrieval index (wired up in ``ieum.cli``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from core.settings import Settings
from index import messages
from index.embedder import load_embedder
from index.search import SearchHit
from index.service import open_search
from index.store import build_index, embedder_identity, index_key, is_current, load_index
from knowledge.service import load_settings_catalog


def build_command(settings: Settings, force: bool) -> int:
    """Build the index unless the current one already matches the catalog and model."""
    catalog = load_settings_catalog(settings)
    identity = embedder_identity(settings)
    key = index_key(catalog.digest, identity)
    if not force and is_current(settings.index_dir, key):
        print(messages.INDEX_CURRENT.format(digest=catalog.digest[:12]))
        return 0
    path = build_index(catalog, load_embedder(settings), settings.index_dir, identity)
    meta = load_index(path).meta
    print(
        messages.INDEX_BUILT.format(
            passages=meta.passages, programs=meta.programs, seconds=meta.build_seconds
        )
    )
    return 0


def search_command(
    settings: Settings, query: str | None, k: int, as_json: bool, queries_file: Path | None
) -> int:
    service = open_search(settings)
    if queries_file is not None:
        for line in queries_file.read_text(encoding="utf-8").splitlines():
            hits = service.search(line, k) if line.strip() else []
            print(json.dumps([h.to_json() for h in hits], ensure_ascii=False))
        return 0
    if not query or not query.strip():
        print(messages.EMPTY_QUERY, file=sys.stderr)
        return 2
    hits = service.search(query, k)
    if as_json:
        print(json.dumps([h.to_json() for h in hits], ensure_ascii=False))
    else:
        print(render_hits(hits))
    return 0


def render_hits(hits: list[SearchHit]) -> str:
    if not hits:
        return messages.NO_RESULTS
    return "\n".join(f"{rank}. {h.name} ({h.score:.3f})" for rank, h in enumerate(hits, 1))
