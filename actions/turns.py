"""Reading a turn from the rasa-sdk tracker, and the payloads of the buttons we send."""

from __future__ import annotations

import json
import re
from typing import Any

from rasa_sdk.interfaces import Tracker

INTAKE_ACTION = "action_benefit_intake"
_WORD_CHAR = re.compile(r"[가-힣0-9A-Za-z]")
Button = dict[str, str]


def latest_text(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text")
    return text if isinstance(text, str) else ""


def latest_intent(tracker: Tracker) -> str:
    """The intent Rasa read in the latest message ('' when none)."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    name = intent.get("name") if isinstance(intent, dict) else None
    return name if isinstance(name, str) else ""


def rrn_was_masked(tracker: Tracker) -> bool:
    """Whether the bot masked a 주민등록번호 in the latest message (and told the user)."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return bool(metadata.get("rrn_masked"))


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    """Values of one entity type in the latest message, in order, as text.

    A typed entity is read from the whole word it lies in: the entity extractor sometimes
    cuts a numeral ('[일흔]둘이요', '[여든]두살'), and the normalisers read the word right.
    Where several entities fall in one word, the one that starts first owns the word (so
    '일흔둘' is an age, not an age and a household of 둘).
    """
    latest = tracker.latest_message or {}
    text = latest.get("text") if isinstance(latest.get("text"), str) else ""
    values: list[str] = []
    words_taken: set[tuple[int, int]] = set()
    for item in latest.get("entities") or []:
        if not isinstance(item, dict) or item.get("value") is None:
            continue
        word = _word_around(str(text), item.get("start"), item.get("end"), str(item["value"]))
        if word is not None:
            if word in words_taken:
                continue
            words_taken.add(word)
        if item.get("entity") != entity:
            continue
        values.append(str(text)[word[0] : word[1]] if word is not None else str(item["value"]))
    return values


def _word_around(text: str, start: object, end: object, value: str) -> tuple[int, int] | None:
    """The span of the whole word holding ``text[start:end]``; None for entities whose value
    is not that span of the text (a button payload's, or a normalised one)."""
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        return None
    if text[start:end] != value:
        return None
    while start > 0 and _in_word(text, start - 1):
        start -= 1
    while end < len(text) and _in_word(text, end):
        end += 1
    return start, end


def _in_word(text: str, index: int) -> bool:
    """Hangul, letters and digits belong to a word; so do ',' and '.' between digits."""
    char = text[index]
    if _WORD_CHAR.match(char):
        return True
    inner = 0 < index < len(text) - 1
    return char in ",." and inner and text[index - 1].isdigit() and text[index + 1].isdigit()


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


def yes_or_no(
    value: str,
    intent: str,
    buttons: tuple[str, str],
    words: tuple[re.Pattern[str], re.Pattern[str]],
) -> bool | None:
    """A yes (True) or a no (False) to a yes/no question: its ``buttons`` (yes, no), the
    affirm and deny intents, or typed ``words`` (yes, no); None when it is neither."""
    yes_button, _ = buttons
    if value in buttons:
        return value == yes_button
    yes_words, no_words = words
    if intent == "deny" or no_words.search(value):
        return False
    if intent == "affirm" or yes_words.search(value):
        return True
    return None
