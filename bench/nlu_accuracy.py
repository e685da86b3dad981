"""NLU accuracy of candidate Rasa pipelines on the held-out set.

Runs in the Rasa venv: ``.venv-rasa/bin/python bench/nlu_accuracy.py``. Each candidate
pipeline is trained as an NLU-only model on nlu/data (cached by a hash of its inputs, like
nlu/train_model.py) and evaluated on bench/data/nlu_heldout.yml, which never enters
training. Intent accuracy counts an `nlu_fallback` as a miss (the user sees a "please
rephrase"); entity F1 needs the exact type and character span. Candidates:

- kiwi+crf+net: nlu/config.yml, the pipeline ieum runs (Kiwi morphemes, DIET for intents,
  CRF for entities, the emergency-phrase safety net);
- kiwi+diet-entities: the first design, DIET for intents and entities, no safety net;
- whitespace+crf+net: as production but with Rasa's whitespace tokenizer.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import logging
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
NLU_DIR = REPO_ROOT / "nlu"
HELDOUT = REPO_ROOT / "bench" / "data" / "nlu_heldout.yml"
BENCH_MODELS = REPO_ROOT / "var" / "rasa" / "bench"
FALLBACK_INTENT = "nlu_fallback"
EMERGENCY_INTENT = "emergency"

sys.path.insert(0, str(NLU_DIR))  # train_model, and `components.*` named by the configs
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# Rasa's component cache would reuse parts trained for another candidate or for
# nlu/train_model.py, and the training times would mean nothing.
os.environ["RASA_MAX_CACHE_SIZE"] = "0"

import yaml  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from train_model import ensure_model  # noqa: E402


@dataclass(frozen=True)
class Scores:
    name: str
    intent_accuracy: float
    intent_macro_f1: float
    fallback_rate: float
    emergency_recall: float
    entity_precision: float
    entity_recall: float
    entity_f1: float
    train_seconds: float
    parse_ms: float


KIWI = "components.kiwi_tokenizer.KiwiTokenizer"
SAFETY_NET = "components.emergency_phrases.EmergencyPhraseClassifier"


def _replace(pipeline: list[dict[str, Any]], name: str, new: dict[str, Any]) -> None:
    index = next(i for i, step in enumerate(pipeline) if step["name"] == name)
    pipeline[index] = new


def candidates() -> dict[str, dict[str, Any]]:
    """Candidate configs: the production one and variations of it, by name."""
    production = yaml.safe_load((NLU_DIR / "config.yml").read_text(encoding="utf-8"))
    production.pop("policies", None)

    # The first design: DIET also extracts entities, no CRF, no emergency safety net.
    diet_entities = copy.deepcopy(production)
    diet_entities["pipeline"] = [
        {**step, "entity_recognition": True} if step["name"] == "DIETClassifier" else step
        for step in diet_entities["pipeline"]
        if step["name"] not in {"CRFEntityExtractor", SAFETY_NET}
    ]

    # Whitespace tokens have no part-of-speech tags: Rasa's default lexical features.
    whitespace = copy.deepcopy(production)
    pipeline = whitespace["pipeline"]
    _replace(pipeline, KIWI, {"name": "WhitespaceTokenizer"})
    _replace(pipeline, "LexicalSyntacticFeaturizer", {"name": "LexicalSyntacticFeaturizer"})
    _replace(pipeline, "CRFEntityExtractor", {"name": "CRFEntityExtractor"})
    return {
        "kiwi+crf+net": production,
        "kiwi+diet-entities": diet_entities,
        "whitespace+crf+net": whitespace,
    }


def heldout() -> list[tuple[str, str, set[tuple[str, int, int]]]]:
    """(text, intent, {(entity, start, end)}) for every held-out utterance."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(HELDOUT))
    return [
        (
            example.get("text"),
            example.get("intent"),
            {(e["entity"], e["start"], e["end"]) for e in example.get("entities") or []},
        )
        for example in data.training_examples
    ]


def train(name: str, config: dict[str, Any]) -> tuple[Path, float]:
    """The candidate's model and how long training took (measured once, then recorded)."""
    BENCH_MODELS.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", suffix=".yml", dir=BENCH_MODELS, prefix=".candidate-", delete=False
    ) as handle:
        yaml.safe_dump(config, handle, allow_unicode=True, sort_keys=False)
        config_path = Path(handle.name)
    try:
        started = time.monotonic()
        model, cached = ensure_model(config_path, BENCH_MODELS, nlu_only=True)
        elapsed = time.monotonic() - started
    finally:
        config_path.unlink()
    timing = model.with_suffix("").with_suffix(".json")
    if not cached or not timing.exists():
        timing.write_text(json.dumps({"train_seconds": round(elapsed, 1)}))
    return model, float(json.loads(timing.read_text())["train_seconds"])


def _recall(gold: list[str], predicted: list[str], intent: str) -> float:
    pairs = [(g, p) for g, p in zip(gold, predicted, strict=True) if g == intent]
    return sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0


async def evaluate(name: str, model: Path, train_seconds: float) -> Scores:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    gold_intents: list[str] = []
    predicted_intents: list[str] = []
    true_positive = predicted_count = gold_count = 0
    examples = heldout()
    await agent.parse_message(examples[0][0])  # warm-up: Kiwi and TensorFlow load lazily
    started = time.monotonic()
    for text, intent, entities in examples:
        parsed = await agent.parse_message(text)
        gold_intents.append(intent)
        predicted_intents.append(parsed["intent"]["name"])
        predicted = {(e["entity"], e["start"], e["end"]) for e in parsed.get("entities", [])}
        true_positive += len(predicted & entities)
        predicted_count += len(predicted)
        gold_count += len(entities)
    parse_ms = (time.monotonic() - started) * 1000 / len(examples)
    hits = sum(g == p for g, p in zip(gold_intents, predicted_intents, strict=True))
    labels = sorted(set(gold_intents))
    precision = true_positive / predicted_count if predicted_count else 0.0
    recall = true_positive / gold_count if gold_count else 0.0
    return Scores(
        name=name,
        intent_accuracy=hits / len(examples),
        intent_macro_f1=float(
            f1_score(gold_intents, predicted_intents, labels=labels, average="macro")
        ),
        fallback_rate=predicted_intents.count(FALLBACK_INTENT) / len(examples),
        emergency_recall=_recall(gold_intents, predicted_intents, EMERGENCY_INTENT),
        entity_precision=precision,
        entity_recall=recall,
        entity_f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        train_seconds=train_seconds,
        parse_ms=parse_ms,
    )


def table(rows: list[Scores], size: int) -> str:
    header = (
        "| pipeline | intent acc | intent macro-F1 | fallback | emergency recall "
        "| entity P | entity R | entity F1 | train s | parse ms |"
    )
    lines = [f"NLU held-out set: {size} utterances ({HELDOUT.relative_to(REPO_ROOT)})", header]
    lines.append("|" + " --- |" * 10)
    for r in rows:
        lines.append(
            f"| {r.name} | {r.intent_accuracy:.3f} | {r.intent_macro_f1:.3f} "
            f"| {r.fallback_rate:.3f} | {r.emergency_recall:.3f} "
            f"| {r.entity_precision:.3f} | {r.entity_recall:.3f} "
            f"| {r.entity_f1:.3f} | {r.train_seconds:.0f} | {r.parse_ms:.1f} |"
        )
    return "\n".join(lines)


async def run(names: list[str]) -> list[Scores]:
    configs = candidates()
    rows: list[Scores] = []
    for name in names:
        model, seconds = train(name, configs[name])
        rows.append(await evaluate(name, model, seconds))
    return rows


def main(argv: list[str] | None = None) -> int:
    available = list(candidates())
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"candidates to run (default: {available})")
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(available)
    if unknown:
        parser.error(f"unknown candidates {sorted(unknown)}; choose from {available}")
    logging.disable(logging.WARNING)
    rows = asyncio.run(run(args.names or available))
    print(table(rows, len(heldout())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
