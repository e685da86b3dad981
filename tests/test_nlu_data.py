"""Checks on the hand-written NLU training data and the two evaluation sets.

The files are Rasa 3.x YAML but are read with PyYAML only: this test runs in the app
venv, which has no Rasa. The held-out set (bench/data/nlu_heldout.yml, 15 intents, written
with the first training data) and the natural-phrasing set (bench/data/nlu_natural.yml,
every intent, written later by another writer in elderly and colloquial voices) measure
accuracy, so neither may share an utterance with the training data.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TRAIN_FILE = ROOT / "nlu" / "data" / "nlu.yml"
HELDOUT_FILE = ROOT / "bench" / "data" / "nlu_heldout.yml"
NATURAL_FILE = ROOT / "bench" / "data" / "nlu_natural.yml"
LOOKUP_FILE = ROOT / "nlu" / "data" / "lookups.yml"

INTENTS: tuple[str, ...] = (
    "greet",
    "goodbye",
    "thanks",
    "affirm",
    "deny",
    "find_benefits",
    "ask_program",
    "inform",
    "report_blind_spot",
    "checkin_ok",
    "checkin_need_help",
    "request_human",
    "emergency",
    "stop_checkins",
    "out_of_scope",
    "request_checkins",
    "cancel",
    "report_status",
)
# The held-out set predates the last three intents and the receipt entity.
HELDOUT_INTENTS = INTENTS[:-3]
HELDOUT_ENTITIES = frozenset({"age", "money", "household_size", "region", "relation", "program"})
ENTITIES = HELDOUT_ENTITIES | {"receipt"}
NATURAL_MIN = 10
NATURAL_MIN_TOTAL = 300

# Intents that carry most of the entity and boundary load get more training examples.
LARGE_INTENTS = frozenset(
    {"find_benefits", "ask_program", "inform", "report_blind_spot", "emergency"}
)
TRAIN_MIN = 45
TRAIN_MIN_LARGE = 80
HELDOUT_MIN = 12
HELDOUT_MIN_TOTAL = 220

ANNOTATION = re.compile(r"\[([^\[\]]*)\]\(([^()]*)\)")
RRN_LIKE = re.compile(r"\d{6}-?\d{7}")
# Characters ignored when comparing utterances: spacing and punctuation such as "?" or "~".
_IGNORED = re.compile(r"[\s~]+")


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path}: top level must be a mapping"
    return data


def _examples(path: Path) -> dict[str, list[str]]:
    """Intent name → raw example lines (annotations kept), from a Rasa 3.x NLU file."""
    data = _load(path)
    assert str(data.get("version")) == "3.1", f"{path}: version must be '3.1'"
    items = data.get("nlu")
    assert isinstance(items, list), f"{path}: 'nlu' must be a list"
    result: dict[str, list[str]] = {}
    for item in items:
        assert isinstance(item, dict), f"{path}: every nlu item must be a mapping"
        assert "synonym" not in item, f"{path}: synonyms are not wanted (actions normalise)"
        if "intent" not in item:
            continue
        intent = item["intent"]
        assert isinstance(intent, str), f"{path}: intent name must be a string"
        assert intent not in result, f"{path}: intent {intent!r} appears in two blocks"
        block = item.get("examples")
        assert isinstance(block, str), f"{path}: {intent} examples must be a '|' block"
        lines: list[str] = []
        for raw in block.splitlines():
            if not raw.strip():
                continue
            assert raw.startswith("- "), f"{path}: {intent}: bad example line {raw!r}"
            text = raw[2:].strip()
            assert text, f"{path}: {intent}: empty example"
            lines.append(text)
        result[intent] = lines
    return result


def _plain(example: str) -> str:
    """Example text with `[text](entity)` annotations replaced by their text."""
    return ANNOTATION.sub(lambda m: m.group(1), example)


def _key(example: str) -> str:
    """Comparison key: annotations stripped, NFC, case-folded, no spacing or punctuation."""
    text = unicodedata.normalize("NFC", _plain(example)).casefold()
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("P"))
    return _IGNORED.sub("", text)


@pytest.fixture(scope="module")
def train() -> dict[str, list[str]]:
    return _examples(TRAIN_FILE)


@pytest.fixture(scope="module")
def heldout() -> dict[str, list[str]]:
    return _examples(HELDOUT_FILE)


def _both() -> list[Path]:
    return [TRAIN_FILE, HELDOUT_FILE]


def _all() -> list[Path]:
    return [TRAIN_FILE, HELDOUT_FILE, NATURAL_FILE]


def test_training_has_every_intent_with_minimum_counts(train: dict[str, list[str]]) -> None:
    assert set(train) == set(INTENTS), f"unexpected or missing intents: {set(train) ^ set(INTENTS)}"
    for intent in INTENTS:
        minimum = TRAIN_MIN_LARGE if intent in LARGE_INTENTS else TRAIN_MIN
        assert len(train[intent]) >= minimum, f"{intent}: {len(train[intent])} < {minimum}"


def test_heldout_has_every_intent_with_minimum_counts(heldout: dict[str, list[str]]) -> None:
    assert set(heldout) == set(HELDOUT_INTENTS), (
        f"unexpected or missing intents: {set(heldout) ^ set(HELDOUT_INTENTS)}"
    )
    for intent in HELDOUT_INTENTS:
        assert len(heldout[intent]) >= HELDOUT_MIN, f"{intent}: {len(heldout[intent])}"
    total = sum(len(v) for v in heldout.values())
    assert total >= HELDOUT_MIN_TOTAL, f"held-out set has only {total} utterances"


def test_natural_set_has_every_intent_with_minimum_counts() -> None:
    natural = _examples(NATURAL_FILE)
    assert set(natural) == set(INTENTS), f"intents differ: {set(natural) ^ set(INTENTS)}"
    assert min(len(lines) for lines in natural.values()) >= NATURAL_MIN
    assert sum(len(lines) for lines in natural.values()) >= NATURAL_MIN_TOTAL


@pytest.mark.parametrize("path", [HELDOUT_FILE, NATURAL_FILE], ids=lambda p: p.name)
def test_evaluation_files_say_they_are_not_training_data(path: Path) -> None:
    head = path.read_text(encoding="utf-8").splitlines()[:5]
    assert head and head[0].startswith("#"), "an evaluation file must start with a comment"
    assert any("train" in line.casefold() for line in head if line.startswith("#"))


@pytest.mark.parametrize("path", _all(), ids=lambda p: p.name)
def test_no_duplicates_inside_a_file(path: Path) -> None:
    keys = Counter(_key(ex) for lines in _examples(path).values() for ex in lines)
    dups = sorted(k for k, n in keys.items() if n > 1)
    assert not dups, f"{path.name}: duplicated utterances: {dups}"


@pytest.mark.parametrize("evaluation", [HELDOUT_FILE, NATURAL_FILE], ids=lambda p: p.name)
def test_no_utterance_in_both_training_and_evaluation(
    train: dict[str, list[str]], evaluation: Path
) -> None:
    # The evaluation set is loaded here, not taken as a fixture argument, so a failure
    # report cannot print it: whoever fixes the training data must not see it. Only the
    # training lines to remove are shown.
    heldout_keys = {_key(ex) for lines in _examples(evaluation).values() for ex in lines}
    shared = sorted(
        _plain(ex) for lines in train.values() for ex in lines if _key(ex) in heldout_keys
    )
    assert not shared, f"training lines that also stand in the held-out set: {shared}"


@pytest.mark.parametrize("path", _both(), ids=lambda p: p.name)
def test_annotations_are_well_formed(path: Path) -> None:
    problems: list[str] = []
    for intent, lines in _examples(path).items():
        for ex in lines:
            for match in ANNOTATION.finditer(ex):
                text, entity = match.group(1), match.group(2)
                if entity not in (ENTITIES if path == TRAIN_FILE else HELDOUT_ENTITIES):
                    problems.append(f"{intent}: unknown entity {entity!r} in {ex!r}")
                if not text or text != text.strip():
                    problems.append(f"{intent}: bad entity text {text!r} in {ex!r}")
            rest = ANNOTATION.sub("", ex)
            if any(ch in rest for ch in "[]{}"):
                problems.append(f"{intent}: unparsed annotation in {ex!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", _both(), ids=lambda p: p.name)
def test_every_entity_type_is_annotated(path: Path) -> None:
    seen = Counter(
        m.group(2)
        for lines in _examples(path).values()
        for ex in lines
        for m in ANNOTATION.finditer(ex)
    )
    minimum = 10 if path == TRAIN_FILE else 3
    expected = ENTITIES if path == TRAIN_FILE else HELDOUT_ENTITIES
    thin = {e: seen[e] for e in expected if seen[e] < minimum}
    assert not thin, f"{path.name}: too few annotations for {thin}"


def test_no_resident_registration_number_like_pattern() -> None:
    paths = [*_all(), *([LOOKUP_FILE] if LOOKUP_FILE.exists() else [])]
    for path in paths:
        hits = RRN_LIKE.findall(path.read_text(encoding="utf-8"))
        assert not hits, f"{path.name}: 주민등록번호-like numbers: {hits}"


def test_lookup_tables_are_valid() -> None:
    if not LOOKUP_FILE.exists():
        pytest.skip("no lookup tables")
    data = _load(LOOKUP_FILE)
    assert str(data.get("version")) == "3.1"
    items = data.get("nlu")
    assert isinstance(items, list)
    for item in items:
        assert isinstance(item, dict) and set(item) == {"lookup", "examples"}, item
        assert item["lookup"] in ENTITIES, f"lookup {item['lookup']!r} is not an entity"
        entries = [ln[2:].strip() for ln in str(item["examples"]).splitlines() if ln.strip()]
        assert entries, f"lookup {item['lookup']} is empty"
        assert len(entries) == len(set(entries)), f"lookup {item['lookup']} has duplicates"
