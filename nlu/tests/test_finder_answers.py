"""Typical answers to the benefit finder's questions stay answers for the trained model.

Mid-form, the form takes any message as the answer unless its intent is one the domain
lets interrupt the form (emergency, request_human, goodbye …). An everyday answer such
as "잘 모르겠어요" classified as one of those would break the conversation, and as
`emergency` it would also raise a false alarm. The phrases below are not in the
training data. Skipped when the model for the current inputs has not been trained.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import yaml
from conftest import MODELS_DIR
from train_model import NLU_DIR, model_path

ANSWERS = [
    # "I don't know" in its many forms
    "잘 모르겠네요",
    "모르겠는데요 그건",
    "글쎄 잘 모르겠다",
    "기억이 안 나네요",
    "생각이 잘 안 나요",
    "확실히 모르겠어요",
    "모르겠습니다",
    "몰라유",
    # ordinary answers
    "월 80만이에요",
    "일흔둘",
    "혼자 살아요",
    "서울 강서구요",
    "네",
    "아니요",
]


def interrupting_intents() -> set[str]:
    """Intents that are not taken as the form's answer (from the domain's slot mapping)."""
    domain = yaml.safe_load((NLU_DIR / "domain.yml").read_text(encoding="utf-8"))
    mappings = domain["slots"]["answer"]["mappings"]
    return {intent for mapping in mappings for intent in mapping.get("not_intent", [])}


@pytest.fixture(scope="module")
def parsed() -> dict[str, dict[str, Any]]:
    model = model_path(NLU_DIR / "config.yml", MODELS_DIR)
    if not model.exists():
        pytest.skip("no model for the current inputs: run `make rasa-model`")
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def parse_all() -> dict[str, dict[str, Any]]:
        return {text: await agent.parse_message(text) for text in ANSWERS}

    return asyncio.run(parse_all())


@pytest.mark.parametrize("text", ANSWERS)
def test_a_finder_answer_is_taken_as_an_answer(
    parsed: dict[str, dict[str, Any]], text: str
) -> None:
    intent = parsed[text]["intent"]["name"]
    assert intent not in interrupting_intents() | {"nlu_fallback"}, f"{text!r} → {intent}"
