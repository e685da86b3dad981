"""The emergency reply of the Rasa domain (``utter_emergency``), read from the domain Rasa
sends, so an action that meets danger says exactly what the emergency rule says."""

from __future__ import annotations

from typing import Any

from rasa_sdk.types import DomainDict

EMERGENCY_RESPONSE = "utter_emergency"


def emergency_reply(domain: DomainDict, danger: str | None) -> str | None:
    """The variant of ``utter_emergency`` for this kind of danger (the unconditioned one
    when none matches); None when the domain lacks the response."""
    variants: list[dict[str, Any]] = (domain.get("responses") or {}).get(EMERGENCY_RESPONSE) or []
    fallback: str | None = None
    for variant in variants:
        conditions = variant.get("condition") or []
        text = variant.get("text")
        if not isinstance(text, str):
            continue
        if not conditions:
            fallback = fallback or text
        elif any(c.get("name") == "danger" and c.get("value") == danger for c in conditions):
            return text
    return fallback
