"""Answering a free question with the programs it is most likely about."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.embedder import Embedder
from index.lexical import BigramBM25
from index.store import BuiltIndex, current_index_path, load_index


@dataclass(frozen=True)
class SearchHit:
    program_id: str
    name: str
    score: float

    def to_json(self) -> dict[str, object]:
        return {"id": self.program_id, "name": self.name, "score": round(self.score, 4)}


class ProgramSearch:
    """Dense passage search, pooled to programs, optionally blended with bigram BM25.

    A program's dense score is its best passage's cosine similarity. With a lexical
    weight ``w``, the score is ``(1 - w) * dense + w * bm25 / max(bm25)``.
    """

    def __init__(
        self, index: BuiltIndex, embedder: Embedder, lexical_weight: float, candidates: int
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.lexical_weight = lexical_weight
        self.candidates = min(candidates, len(index.passages))
        self._names = {p.id: p.name for p in index.programs}
        self._order = [p.id for p in index.programs]
        self._lexical = BigramBM25([p.lexical_text for p in index.programs])

    def search(self, query: str, k: int = 5) -> list[SearchHit]:
        vector = self.embedder.embed_queries([query]).astype(np.float32)
        scores, rows = self.index.vectors.search(vector, self.candidates)
        dense: dict[str, float] = {}
        for score, row in zip(scores[0], rows[0], strict=True):
            if row < 0:
                continue
            program_id = self.index.passages[int(row)].program_id
            dense[program_id] = max(dense.get(program_id, -1.0), float(score))
        combined = self._blend(query, dense)
        ranked = sorted(combined.items(), key=lambda item: -item[1])[:k]
        return [SearchHit(pid, self._names[pid], score) for pid, score in ranked]

    def _blend(self, query: str, dense: dict[str, float]) -> dict[str, float]:
        if self.lexical_weight <= 0:
            return dense
        lexical = self._lexical.scores(query)
        top = max(lexical) or 1.0
        w = self.lexical_weight
        floor = min(dense.values(), default=0.0)
        return {
            pid: (1 - w) * dense.get(pid, floor) + w * (lexical[i] / top)
            for i, pid in enumerate(self._order)
        }


class SearchService:
    """Holds the current index and swaps to a newer build when one appears."""

    def __init__(
        self, index_dir: Path, embedder: Embedder, lexical_weight: float, candidates: int
    ) -> None:
        self.index_dir = index_dir
        self._embedder = embedder
        self._weight = lexical_weight
        self._candidates = candidates
        self._search: ProgramSearch | None = None

    def current(self) -> ProgramSearch:
        """The searcher over the newest build; loads it when ``current`` has moved."""
        path = current_index_path(self.index_dir)
        if path is None:
            raise FileNotFoundError(f"no built index under {self.index_dir}")
        if self._search is None or self._search.index.path != path:
            self._search = ProgramSearch(
                load_index(path), self._embedder, self._weight, self._candidates
            )
        return self._search

    def search(self, query: str, k: int = 5) -> list[SearchHit]:
        return self.current().search(query, k)
