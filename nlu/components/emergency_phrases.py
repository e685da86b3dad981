"""A safety net under the intent classifier: clear danger phrases always mean `emergency`.

Immediate danger and self-harm must never be missed or queued (the reply gives 119/112/109
at once). A statistical classifier trained on a few dozen examples can still rank a new
wording such as "살 이유가 없어요" as something harmless, so this component, placed after
the classifier and before FallbackClassifier, overrides the intent when the text contains
an unambiguous danger phrase. The phrases are deliberately narrow (no "불이 안 켜져요",
no "가스 요금"): a false alarm costs a hotline message, a miss can cost a life, but a noisy
net would teach users to ignore it. None of them matches a non-emergency training example
(tests/test_emergency_phrases.py checks this).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

INTENT_RANKING_KEY = "intent_ranking"

# Danger phrases by kind, the most urgent kind first: when several kinds occur, the
# first names the danger (it picks the emergency reply: 109 first for suicidal words,
# 112 for violence and for a person behind a door who does not answer, 119 otherwise).
DANGER_PHRASES: dict[str, tuple[str, ...]] = {
    "suicide": (
        r"죽고\s*싶",
        r"죽을\s*(?:래|거|까)",
        r"자살",
        r"자해",
        r"살기\s*싫",
        r"살고\s*싶지\s*않",
        r"그만\s*살",
        r"살\s*이유가?\s*없",
        r"끝내고\s*싶",
        r"목을\s*매",
        r"뛰어내리",
        r"손목을?\s*(?:긋|그었)",
        r"목숨을?\s*끊",
        r"(?:사라지|없어지)고\s*싶",
        r"세상을?\s*떠나고\s*싶",
    ),
    "violence": (
        r"(?:때려|때리|맞고|폭행(?:하|당하))\s*(?:고\s*)?있",
        r"(?:죽이겠다|죽인다)고",
        r"칼(?:을|로)\s*(?:들고|휘두르|위협)",
    ),
    "fire": (
        r"불이?\s*(?:났|나요|나고|붙)",
        r"화재",
        r"가스\s*(?:냄새|새)",
    ),
    # Someone behind a door who does not answer: the police can open it.
    "unresponsive": (
        r"(?:문을?|현관문?을?)\s*(?:아무리\s*|계속\s*|몇\s*번(?:을|이나)?\s*)?"
        r"(?:두드려도|두들겨도|쾅쾅\s*쳐도|열어\s*달라(?:고\s*해)?도)"
        r"\s*(?:\S+\s*){0,2}?(?:(?:대답|반응|인기척|기척|소리)(?:이|도)?\s*(?:없|안\s*나)"
        r"|(?:안|못)\s*(?:나와|나오|열어))",
        r"(?:초인종|벨)을?\s*(?:눌러도|울려도)\s*(?:\S+\s*){0,2}?"
        r"(?:대답|반응|인기척|기척)(?:이|도)?\s*없",
    ),
    # Calls for help, collapse, breathing, bleeding (people mostly report about a parent,
    # so honorific forms too: 쓰러지셨어요).
    "medical": (
        r"살려\s*(?:줘|주|달)",
        r"쓰러(?:져|졌|진|지셨|지셔)",
        r"(?:불러도|깨워도|흔들어도)\s*(?:(?:대답|반응)이?\s*없|(?:안|못)\s*일어나|꼼짝)",
        r"(?:넘어져|넘어지셔)서?\s*(?:못|안)\s*일어나",
        r"의식이?\s*없",
        r"숨을?\s*(?:안|못)\s*쉬",
        r"숨이\s*(?:안|멎)",
        r"피가\s*(?:많이|안\s*멈|철철)",
        r"피를\s*(?:많이\s*)?(?:토하|쏟)",
        r"구급차",
        r"119",
    ),
}
DANGER_ENTITY = "danger"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EmergencyPhraseClassifier(GraphComponent):
    """Sets the intent to `emergency` (confidence 1) when a danger phrase occurs, and adds
    a `danger` entity naming its kind."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"intent": "emergency", "phrases": {k: list(v) for k, v in DANGER_PHRASES.items()}}

    def __init__(self, config: dict[str, Any]) -> None:
        self._intent: str = config["intent"]
        self._patterns = [
            (kind, re.compile("|".join(f"(?:{p})" for p in phrases)))
            for kind, phrases in config["phrases"].items()
        ]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EmergencyPhraseClassifier:
        return cls(config)

    def danger(self, text: str) -> tuple[str, re.Match[str]] | None:
        """The most urgent kind of danger the text names, with where it says so."""
        for kind, pattern in self._patterns:
            found = pattern.search(text)
            if found is not None:
                return kind, found
        return None

    def matches(self, text: str) -> bool:
        """Whether `text` contains one of the danger phrases."""
        return self.danger(text) is not None

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            found = self.danger(text) if isinstance(text, str) else None
            if found is None:
                continue
            kind, where = found
            override = {INTENT_NAME_KEY: self._intent, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [
                entry
                for entry in message.get(INTENT_RANKING_KEY) or []
                if entry.get(INTENT_NAME_KEY) != self._intent
            ]
            message.set(INTENT, override, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [override, *ranking], add_to_output=True)
            danger = {
                ENTITY_ATTRIBUTE_TYPE: DANGER_ENTITY,
                ENTITY_ATTRIBUTE_VALUE: kind,
                ENTITY_ATTRIBUTE_START: where.start(),
                ENTITY_ATTRIBUTE_END: where.end(),
                EXTRACTOR: type(self).__name__,
            }
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), danger], add_to_output=True)
        return messages
