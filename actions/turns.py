"""Reading a turn from the rasa-sdk tracker, and the payloads of the buttons we send."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk.interfaces import Tracker

INTAKE_ACTION = "action_benefit_intake"
Button = dict[str, str]


def latest_text(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text")
    return text if isinstance(text, str) else ""


def rrn_was_masked(tracker: Tracker) -> bool:
    """Whether the bot masked a 주민등록번호 in the latest message (and told the user)."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return bool(metadata.get("rrn_masked"))


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    """Values of one entity type in the latest message, in order, as text."""
    entities = (tracker.latest_message or {}).get("entities") or []
    return [
        str(item["value"])
        for item in entities
        if isinstance(item, dict) and item.get("entity") == entity and item.get("value") is not None
    ]


def first_entity(tracker: Tracker, entity: str) -> str | None:
    values = entity_values(tracker, entity)
    return values[0] if values else None


def is_payload(text: str) -> bool:
    """Whether the text is a button payload ('/intent{...}'), not words the user typed."""
    return text.lstrip().startswith("/")


def previous_user_intent(tracker: Tracker) -> str | None:
    """The intent of the user message before the latest one."""
    intents = [
        (event.get("parse_data") or {}).get("intent", {}).get("name")
        for event in tracker.events
        if event.get("event") == "user"
    ]
    return intents[-2] if len(intents) >= 2 else None


def fields_asked_since_intake(tracker: Tracker) -> list[str]:
    """Every field the benefit form has asked about since the search began, in order."""
    asked: list[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == INTAKE_ACTION:
            break
        if event.get("event") == "slot" and event.get("name") == "pending_field":
            value = event.get("value")
            if isinstance(value, str) and value not in asked:
                asked.append(value)
    return list(reversed(asked))


def intent_button(title: str, intent: str, entities: dict[str, Any] | None = None) -> Button:
    payload = f"/{intent}"
    if entities:
        payload += json.dumps(entities, ensure_ascii=False, separators=(",", ":"))
    return {"title": title, "payload": payload}


def choice_button(title: str, value: str) -> Button:
    """A button answering the current question with ``value``."""
    return intent_button(title, "inform", {"choice": value})


def program_button(title: str, program_id: str) -> Button:
    return intent_button(title, "ask_program", {"program": program_id})


def conversation_channel(tracker: Tracker) -> str:
    """Where the user writes from: the bot's ``channel`` metadata (telegram, webchat …),
    else Rasa's input channel."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            channel = (event.get("metadata") or {}).get("channel")
            if isinstance(channel, str) and channel:
                return channel
            break
    return tracker.get_latest_input_channel() or "unknown"
