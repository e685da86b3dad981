"""Retrieval speed and memory: index build time, query latency, resident memory.

Latency is measured batch 1, one query at a time, as a conversation would ask, after a
warm-up; memory is the process's peak resident set after loading model and index.
"""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from core.settings import Settings, get_settings
from index.embedder import load_embedder
from index.search import SearchService
from index.store import build_index, embedder_identity
from knowledge.service import load_settings_catalog

DATA = Path(__file__).parent / "data"
ROUNDS = 3


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def queries() -> list[str]:
    lines = (DATA / "retrieval_test.tsv").read_text(encoding="utf-8").splitlines()
    return [line.rsplit("\t", 1)[0] for line in lines if line.strip() and not line.startswith("#")]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    settings: Settings = get_settings()
    started = time.perf_counter()
    embedder = load_embedder(settings)
    load_seconds = time.perf_counter() - started
    catalog = load_settings_catalog(settings)
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        build_index(catalog, embedder, Path(scratch), embedder_identity(settings))
        build_seconds = time.perf_counter() - started
        service = SearchService(
            Path(scratch), embedder, settings.search_lexical_weight, settings.search_candidates
        )
        report(service, load_seconds, build_seconds, len(catalog), settings.embedding_threads)
    return 0


def report(
    service: SearchService, load_seconds: float, build_seconds: float, programs: int, threads: int
) -> None:
    questions = queries()
    for question in questions[:10]:
        service.search(question, 5)
    latencies: list[float] = []
    for _ in range(ROUNDS):
        for question in questions:
            started = time.perf_counter()
            service.search(question, 5)
            latencies.append((time.perf_counter() - started) * 1000)
    passages = service.current().index.meta.passages
    print(f"embedder: {service.current().embedder.name} (threads {threads})")
    print(f"model load: {load_seconds:.1f} s")
    print(f"index build: {build_seconds:.1f} s for {programs} programs, {passages} passages")
    print(
        f"query latency over {len(latencies)} queries: p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {percentile(latencies, 0.95):.1f} ms"
    )
    print(f"peak resident memory: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
