"""NLU accuracy of candidate Rasa pipelines on an evaluation set never trained on.

Runs in the Rasa venv from the checkout: ``.venv-rasa/bin/python -m bench.nlu_accuracy``.
Each candidate pipeline is trained as an NLU-only model on nlu/data (cached by a hash of
its inputs, like nlu/train_model.py) and evaluated on bench/data/nlu_heldout.yml (or, with
``--set natural``, on bench/data/nlu_natural.yml), which never enter training. Intent
accuracy counts an `nlu_fallback` as a miss (the user sees a "please rephrase"); entity
F1 needs the exact type and character span. Candidates:

- kiwi+e5+crf+net: nlu/config.yml, the pipeline ieum runs (Kiwi morphemes, character
  n-grams and e5 sentence embeddings, DIET for intents, CRF for entities, the
  emergency-phrase safety net);
- kiwi+crf+net: the same without the e5 sentence embeddings;
- kiwi+diet-entities: the first design, DIET for intents and entities, no safety net,
  no e5;
- whitespace+crf+net: as kiwi+crf+net but with Rasa's whitespace tokenizer.

``--dev`` measures on a development split instead: a fifth of each intent's training
examples (seeded) is held back and the candidates are trained on the rest. Choices such
as the fallback threshold are made there, so the held-out set stays a clean test. Both
modes also print the intent accuracy the candidate would have at other fallback
thresholds and ambiguity thresholds (recomputed from the intent ranking, no retraining).
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.paths import DEFAULT_DATA_DIR, NLU_DIR, REPO_ROOT

EVALUATION_SETS = {
    # Written with the first training data, 15 intents.
    "heldout": REPO_ROOT / "bench" / "data" / "nlu_heldout.yml",
    # Written later by another writer: elderly phrasing, dialect, misspellings, every intent.
    "natural": REPO_ROOT / "bench" / "data" / "nlu_natural.yml",
}
BENCH_MODELS = DEFAULT_DATA_DIR / "rasa" / "bench"
FALLBACK_INTENT = "nlu_fallback"
DEV_SHARE = 0.2
DEV_SEED = 7
THRESHOLDS = (0.3, 0.4, 0.5)
AMBIGUITIES = (0.0, 0.05, 0.1)
SETTINGS = tuple((t, a) for t in THRESHOLDS for a in AMBIGUITIES)
EMERGENCY_INTENT = "emergency"
TRAINED_NAME = "kiwi+e5+crf+net (the assistant's trained model)"

sys.path.insert(0, str(NLU_DIR))  # train_model, and `components.*` named by the configs
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# Rasa's component cache would reuse parts trained for another candidate or for
# nlu/train_model.py, and the training times would mean nothing.
os.environ["RASA_MAX_CACHE_SIZE"] = "0"

import yaml  # noqa: E402
from rasa.utils.log_utils import configure_structlog  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from train_model import cache_dir_for, ensure_model, rasa  # noqa: E402

Example = tuple[str, str, set[tuple[str, int, int]]]


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
    # Counts only, never the utterances: reading held-out text would leak it into training.
    intent_support: Counter[str] = field(default_factory=Counter)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    accuracy_at_setting: dict[tuple[float, float], float] = field(default_factory=dict)


KIWI = "components.kiwi_tokenizer.KiwiTokenizer"
SAFETY_NET = "components.emergency_phrases.EmergencyPhraseClassifier"
E5 = "components.e5_sentence_featurizer.E5SentenceFeaturizer"
LOGREG = {"name": "LogisticRegressionClassifier", "max_iter": 1000}


def _replace(pipeline: list[dict[str, Any]], name: str, new: dict[str, Any]) -> None:
    index = next(i for i, step in enumerate(pipeline) if step["name"] == name)
    pipeline[index] = new


def candidates() -> dict[str, dict[str, Any]]:
    """Candidate configs: the production one and variations of it, by name."""
    production = yaml.safe_load((NLU_DIR / "config.yml").read_text(encoding="utf-8"))
    production.pop("policies", None)

    without_e5 = copy.deepcopy(production)
    without_e5["pipeline"] = [step for step in production["pipeline"] if step["name"] != E5]

    # Logistic regression on the sentence-level features instead of DIET.
    logreg = copy.deepcopy(production)
    _replace(logreg["pipeline"], "DIETClassifier", LOGREG)
    logreg_without_e5 = copy.deepcopy(without_e5)
    _replace(logreg_without_e5["pipeline"], "DIETClassifier", LOGREG)

    # The first design: DIET also extracts entities, no CRF, no emergency safety net.
    diet_entities = copy.deepcopy(without_e5)
    diet_entities["pipeline"] = [
        {**step, "entity_recognition": True} if step["name"] == "DIETClassifier" else step
        for step in diet_entities["pipeline"]
        if step["name"] not in {"CRFEntityExtractor", SAFETY_NET}
    ]

    # Whitespace tokens have no part-of-speech tags: Rasa's default lexical features.
    whitespace = copy.deepcopy(without_e5)
    pipeline = whitespace["pipeline"]
    _replace(pipeline, KIWI, {"name": "WhitespaceTokenizer"})
    _replace(pipeline, "LexicalSyntacticFeaturizer", {"name": "LexicalSyntacticFeaturizer"})
    _replace(pipeline, "CRFEntityExtractor", {"name": "CRFEntityExtractor"})
    return {
        "kiwi+e5+crf+net": production,
        "kiwi+crf+net": without_e5,
        "kiwi+e5+logreg+crf+net": logreg,
        "kiwi+logreg+crf+net": logreg_without_e5,
        "kiwi+diet-entities": diet_entities,
        "whitespace+crf+net": whitespace,
    }


def examples_of(data: Any) -> list[Example]:
    """(text, intent, {(entity, start, end)}) for every example of Rasa training data."""
    return [
        (
            example.get("text"),
            example.get("intent"),
            {(e["entity"], e["start"], e["end"]) for e in example.get("entities") or []},
        )
        for example in data.training_examples
    ]


def evaluation_set(name: str) -> list[Example]:
    from rasa.shared.nlu.training_data.loading import load_data

    return examples_of(load_data(str(EVALUATION_SETS[name])))


def dev_split() -> tuple[Path, list[Example]]:
    """The training file without the development fifth, and that fifth's examples."""
    from rasa.shared.nlu.training_data.loading import load_data

    nlu_files = ("nlu.yml", "lookups.yml")  # rules and stories are not NLU data
    first, *others = (load_data(str(NLU_DIR / "data" / name)) for name in nlu_files)
    data = first.merge(*others)
    train_part, dev_part = data.train_test_split(1 - DEV_SHARE, random_seed=DEV_SEED)
    text = train_part.nlu_as_yaml()
    folder = BENCH_MODELS / "dev" / hashlib.sha256(text.encode()).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nlu.yml").write_text(text, encoding="utf-8")
    return folder / "nlu.yml", examples_of(dev_part)


def train_on_split(config_path: Path, data: Path) -> tuple[Path, bool]:
    """An NLU model of `config_path` trained on `data`, cached next to the data."""
    digest = hashlib.sha256(config_path.read_bytes() + data.read_bytes()).hexdigest()
    model = data.parent / f"{digest}.tar.gz"
    if model.exists():
        return model, True
    with tempfile.TemporaryDirectory(dir=data.parent, prefix=".training-") as scratch:
        rasa("train", "nlu", "--nlu", str(data), "--config", str(config_path),
             "--out", scratch, "--fixed-model-name", digest,
             cache_dir=cache_dir_for(BENCH_MODELS))  # fmt: skip
        shutil.move(str(Path(scratch) / model.name), model)
    return model, False


def train(name: str, config: dict[str, Any], data: Path | None) -> tuple[Path, float]:
    """The candidate's model and how long training took (measured once, then recorded).

    Trained on nlu/data, or on `data` (the development split) when given.
    """
    BENCH_MODELS.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", suffix=".yml", dir=BENCH_MODELS, prefix=".candidate-", delete=False
    ) as handle:
        yaml.safe_dump(config, handle, allow_unicode=True, sort_keys=False)
        config_path = Path(handle.name)
    try:
        started = time.monotonic()
        if data is None:
            model, cached = ensure_model(config_path, BENCH_MODELS, nlu_only=True)
        else:
            model, cached = train_on_split(config_path, data)
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


def intent_at_threshold(parsed: dict[str, Any], threshold: float, ambiguity: float) -> str:
    """The intent FallbackClassifier would give with another threshold."""
    ranking = [r for r in parsed.get("intent_ranking") or [] if r["name"] != FALLBACK_INTENT]
    if not ranking:
        return str(parsed["intent"]["name"])
    top, second = ranking[0], (ranking[1] if len(ranking) > 1 else None)
    too_close = second is not None and top["confidence"] - second["confidence"] < ambiguity
    return FALLBACK_INTENT if top["confidence"] < threshold or too_close else str(top["name"])


async def evaluate(name: str, model: Path, train_seconds: float, examples: list[Example]) -> Scores:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    gold_intents: list[str] = []
    predicted_intents: list[str] = []
    at_setting: dict[tuple[float, float], list[str]] = {setting: [] for setting in SETTINGS}
    true_positive = predicted_count = gold_count = 0
    await agent.parse_message(examples[0][0])  # warm-up: Kiwi and TensorFlow load lazily
    started = time.monotonic()
    for text, intent, entities in examples:
        parsed = await agent.parse_message(text)
        gold_intents.append(intent)
        predicted_intents.append(parsed["intent"]["name"])
        for (threshold, ambiguity), intents in at_setting.items():
            intents.append(intent_at_threshold(parsed, threshold, ambiguity))
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
        intent_support=Counter(gold_intents),
        confusions=Counter(
            (g, p) for g, p in zip(gold_intents, predicted_intents, strict=True) if g != p
        ),
        accuracy_at_setting={
            setting: sum(g == p for g, p in zip(gold_intents, intents, strict=True)) / len(examples)
            for setting, intents in at_setting.items()
        },
    )


def table(rows: list[Scores], size: int, dev: bool, evaluation: str) -> str:
    header = (
        "| pipeline | intent acc | intent macro-F1 | fallback | emergency recall "
        "| entity P | entity R | entity F1 | train s | parse ms |"
    )
    if dev:
        share = f"{DEV_SHARE:.0%} of nlu/data, seed {DEV_SEED}"
        title = f"NLU development split: {size} utterances ({share})"
    else:
        path = EVALUATION_SETS[evaluation].relative_to(REPO_ROOT)
        title = f"NLU {evaluation} set: {size} utterances ({path})"
    lines = [title, header]
    lines.append("|" + " --- |" * 10)
    for r in rows:
        lines.append(
            f"| {r.name} | {r.intent_accuracy:.3f} | {r.intent_macro_f1:.3f} "
            f"| {r.fallback_rate:.3f} | {r.emergency_recall:.3f} "
            f"| {r.entity_precision:.3f} | {r.entity_recall:.3f} "
            f"| {r.entity_f1:.3f} | {r.train_seconds:.0f} | {r.parse_ms:.1f} |"
        )
    return "\n".join(lines)


def error_summary(row: Scores) -> str:
    """Per-intent recall and the commonest confusions of one candidate, as counts."""
    missed = Counter[str]()
    for (gold, _), count in row.confusions.items():
        missed[gold] += count
    recalls = ", ".join(
        f"{intent} {1 - missed[intent] / support:.2f}/{support}"
        for intent, support in sorted(row.intent_support.items())
    )
    confused = ", ".join(
        f"{gold}→{predicted} ×{count}" for (gold, predicted), count in row.confusions.most_common(8)
    )
    settings = ", ".join(
        f"{threshold}/{ambiguity}: {accuracy:.3f}"
        for (threshold, ambiguity), accuracy in row.accuracy_at_setting.items()
    )
    return (
        f"{row.name} recall per intent: {recalls}\n"
        f"{row.name} confusions: {confused or 'none'}\n"
        f"{row.name} intent accuracy by fallback threshold/ambiguity threshold: {settings}"
    )


async def run(
    names: list[str], dev: bool, evaluation: str, trained: Path | None
) -> tuple[list[Scores], int]:
    configs = candidates()
    data, examples = dev_split() if dev else (None, evaluation_set(evaluation))
    rows: list[Scores] = []
    if trained is not None:
        # The model `make rasa-model` trained: the pipeline of nlu/config.yml on nlu/data.
        rows.append(await evaluate(TRAINED_NAME, trained, float("nan"), examples))
    for name in names:
        model, seconds = train(name, configs[name], data)
        rows.append(await evaluate(name, model, seconds, examples))
    return rows, len(examples)


def main(argv: list[str] | None = None) -> int:
    available = list(candidates())
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"candidates to run (default: {available})")
    parser.add_argument("--dev", action="store_true", help="measure on the development split")
    parser.add_argument(
        "--trained",
        type=Path,
        help="also evaluate this trained model (e.g. the running assistant's current.tar.gz)",
    )
    parser.add_argument(
        "--set",
        dest="evaluation",
        choices=sorted(EVALUATION_SETS),
        default="heldout",
        help="the evaluation set (never trained on)",
    )
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(available)
    if unknown:
        parser.error(f"unknown candidates {sorted(unknown)}; choose from {available}")
    logging.disable(logging.WARNING)
    # Unconfigured, Rasa's structured log prints every parsed (held-out) text.
    configure_structlog(logging.WARNING)
    names = args.names or ([] if args.trained else available)
    rows, size = asyncio.run(run(names, args.dev, args.evaluation, args.trained))
    print(table(rows, size, args.dev, args.evaluation))
    for row in rows:
        print(error_summary(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
