"""Retrieval quality: Recall@1, Recall@5 and MRR on colloquial Korean questions, and
how well the score threshold tells a catalog topic from one ieum does not know.

``bench/data/retrieval_test.tsv`` (question, expected program id) is the held-out set:
nothing is tuned on it. ``bench/data/retrieval_dev.tsv`` is a separate, smaller set on
which the lexical blend weight is chosen; both are reported, for dense-only search and
for each candidate weight, so the choice in settings can be checked.

``retrieval_unknown_{dev,test}.tsv`` hold questions about topics outside the catalog
(driving licences, passports …). Below ``program_min_score`` ieum says it does not know;
the threshold is chosen on the dev sets (keep every catalog question, turn away as many
unknown ones as possible) and reported on the test sets.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from core.settings import get_settings
from index.search import SearchService
from index.service import open_search

DATA = Path(__file__).parent / "data"
WEIGHTS = (0.0, 0.2, 0.3, 0.4, 0.5)
THRESHOLDS = (0.86, 0.865, 0.87, 0.875, 0.88, 0.885)


@dataclass(frozen=True)
class Quality:
    recall_at_1: float
    recall_at_5: float
    mrr: float
    misses: tuple[tuple[str, str, str], ...]  # question, expected, got


def read_questions(path: Path) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        question, program_id = line.rsplit("\t", 1)
        rows.append((question.strip(), program_id.strip()))
    return rows


def measure(service: SearchService, questions: list[tuple[str, str]]) -> Quality:
    hits1 = hits5 = 0
    reciprocal = 0.0
    misses: list[tuple[str, str, str]] = []
    for question, expected in questions:
        ranked = [h.program_id for h in service.search(question, 10)]
        if expected in ranked:
            rank = ranked.index(expected) + 1
            reciprocal += 1 / rank
            hits1 += rank == 1
            hits5 += rank <= 5
        if not ranked or ranked[0] != expected:
            misses.append((question, expected, ranked[0] if ranked else "-"))
    n = len(questions)
    return Quality(hits1 / n, hits5 / n, reciprocal / n, tuple(misses))


def main() -> int:
    settings = get_settings()
    service = open_search(settings)
    known = {p.id for p in service.current().index.programs}
    sets = {name: read_questions(DATA / f"retrieval_{name}.tsv") for name in ("dev", "test")}
    for name, questions in sets.items():
        unknown = sorted({pid for _, pid in questions if pid not in known})
        if unknown:
            print(f"{name}: unknown program ids {unknown}", file=sys.stderr)
            return 1
    print(f"embedder: {service.current().index.meta.embedder}")
    print(f"configured lexical weight: {settings.search_lexical_weight}")
    print("set   weight  n    R@1    R@5    MRR")
    results: dict[tuple[str, float], Quality] = {}
    for weight in WEIGHTS:
        service.current().lexical_weight = weight
        for name, questions in sets.items():
            quality = measure(service, questions)
            results[(name, weight)] = quality
            print(
                f"{name:5} {weight:6.1f}  {len(questions):3}  {quality.recall_at_1:.3f}  "
                f"{quality.recall_at_5:.3f}  {quality.mrr:.3f}"
            )
    chosen = results[("test", settings.search_lexical_weight)]
    print(
        f"\ntest set with configured weight: R@1 {chosen.recall_at_1:.3f} "
        f"R@5 {chosen.recall_at_5:.3f} MRR {chosen.mrr:.3f}"
    )
    print("misses at rank 1 (question → expected / got):")
    for question, expected, got in chosen.misses:
        print(f"  {question} → {expected} / {got}")
    service.current().lexical_weight = settings.search_lexical_weight
    report_threshold(service, sets, settings.program_min_score)
    return 0


def report_threshold(
    service: SearchService, known: dict[str, list[tuple[str, str]]], configured: float
) -> None:
    """Catalog questions kept and unknown ones turned away, at each candidate threshold."""
    unknown = {
        name: read_questions(DATA / f"retrieval_unknown_{name}.tsv") for name in ("dev", "test")
    }

    def top_scores(questions: list[tuple[str, str]]) -> list[float]:
        return [service.search(question, 1)[0].score for question, _ in questions]

    scores = {
        (kind, name): top_scores(qs)
        for kind, sets in (("known", known), ("unknown", unknown))
        for name, qs in sets.items()
    }
    print(
        f"\nunknown-topic threshold (configured {configured}): catalog kept / unknown turned away"
    )
    print("threshold  dev kept  dev away  test kept  test away")
    for threshold in sorted({*THRESHOLDS, configured}):
        cells = []
        for name in ("dev", "test"):
            kept = sum(s >= threshold for s in scores[("known", name)])
            away = sum(s < threshold for s in scores[("unknown", name)])
            cells += [
                f"{kept}/{len(scores[('known', name)])}",
                f"{away}/{len(scores[('unknown', name)])}",
            ]
        print(f"{threshold:9.3f}  " + "  ".join(f"{cell:>8}" for cell in cells))


if __name__ == "__main__":
    sys.exit(main())
