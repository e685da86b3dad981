"""EmergencyPhraseClassifier: danger phrases override the intent, nothing else does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from components.emergency_phrases import EmergencyPhraseClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

TRAINING_DATA = Path(__file__).resolve().parent.parent / "data" / "nlu.yml"
ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@pytest.fixture(scope="module")
def classifier() -> EmergencyPhraseClassifier:
    return EmergencyPhraseClassifier(EmergencyPhraseClassifier.get_default_config())


@pytest.mark.parametrize(
    "text",
    [
        "죽고 싶어요",
        "살 이유가 없어",
        "엄마가 쓰러졌어요",
        "불이 났어요",
        "살려주세요",
        "숨을 안 쉬어요",
        "아버지가 화장실에서 쓰러지셨어요",
        "할머니가 불러도 대답이 없으세요",
        "넘어져서 못 일어나겠어요",
        "목숨을 끊고 싶어요",
    ],
)
def test_danger_phrases_match(classifier: EmergencyPhraseClassifier, text: str) -> None:
    assert classifier.matches(text)


@pytest.mark.parametrize(
    "text",
    [
        "옆집 불이 며칠째 안 켜져요",
        "가스 요금 독촉장이 붙어 있어요",
        "약 먹었어요",
        "불안해요",
        "혼자 사시는데 쓰러지실까 봐 걱정이에요",
        "넘어져서 다리를 다쳤는데 병원비 지원 있나요",
        "택시를 불러도 안 와요",
    ],
)
def test_everyday_words_do_not_match(classifier: EmergencyPhraseClassifier, text: str) -> None:
    assert not classifier.matches(text)


def test_no_non_emergency_training_example_matches(classifier: EmergencyPhraseClassifier) -> None:
    data = yaml.safe_load(TRAINING_DATA.read_text(encoding="utf-8"))
    false_alarms = [
        (item["intent"], text)
        for item in data["nlu"]
        if item.get("intent") not in (None, "emergency")
        for line in item["examples"].splitlines()
        if line.strip()
        for text in [ANNOTATION.sub(lambda m: m.group(1), line[2:])]
        if classifier.matches(text)
    ]
    assert not false_alarms


def test_a_match_overrides_intent_and_ranking(classifier: EmergencyPhraseClassifier) -> None:
    ranking = [{"name": "checkin_ok", "confidence": 0.6}, {"name": "emergency", "confidence": 0.3}]
    message = Message(
        data={TEXT: "더는 살기 싫어요", INTENT: ranking[0], "intent_ranking": ranking}
    )
    classifier.process([message])
    assert message.get(INTENT) == {"name": "emergency", "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == ["emergency", "checkin_ok"]


def test_other_messages_are_left_alone(classifier: EmergencyPhraseClassifier) -> None:
    intent = {"name": "checkin_ok", "confidence": 0.9}
    message = Message(data={TEXT: "잘 지내요", INTENT: intent})
    classifier.process([message])
    assert message.get(INTENT) == intent


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("죽고 싶어요", "suicide"),
        ("다 끝내고 싶다 불이 나도 상관없어", "suicide"),
        ("남편이 때리고 있어요", "violence"),
        ("아들이 죽이겠다고 칼을 들고 있어요", "violence"),
        ("부엌에 불이 났어요", "fire"),
        ("가스 냄새가 심해요", "fire"),
        ("옆집 할머니 문 두드려도 대답이 없어요", "unresponsive"),
        ("초인종 눌러도 인기척이 없어요", "unresponsive"),
        ("문을 두드려도 안 나와요", "unresponsive"),
        ("문 아무리 두들겨도 인기척이 없어예", "unresponsive"),
        ("엄마가 쓰러지셨어요", "medical"),
        ("119 불렀어요", "medical"),
    ],
)
def test_the_most_urgent_kind_names_the_danger(
    classifier: EmergencyPhraseClassifier, text: str, kind: str
) -> None:
    message = Message(data={TEXT: text, INTENT: {"name": "inform", "confidence": 0.9}})
    classifier.process([message])
    [danger] = [e for e in message.get("entities") if e["entity"] == "danger"]
    assert danger["value"] == kind
    assert text[danger["start"] : danger["end"]]
    assert message.get(INTENT)["name"] == "emergency"


def test_other_entities_are_kept(classifier: EmergencyPhraseClassifier) -> None:
    age = {"entity": "age", "value": "여든", "start": 4, "end": 6}
    message = Message(data={TEXT: "어머니 여든인데 쓰러지셨어요", "entities": [age]})
    classifier.process([message])
    assert [e["entity"] for e in message.get("entities")] == ["age", "danger"]
