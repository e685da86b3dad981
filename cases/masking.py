"""Every text the case store keeps passes through ``masked`` first: 주민등록번호 masked
(``core.privacy.mask_rrn``), and NUL characters, which PostgreSQL cannot store and no
one types on purpose, dropped."""

from __future__ import annotations

from typing import Any, TypedDict

from core.privacy import mask_rrn


class TranscriptEntry(TypedDict):
    role: str
    """"user", "bot" or "staff"."""
    text: str
    at: str
    """ISO 8601."""


def masked(text: str) -> str:
    return mask_rrn(text.replace("\x00", ""))[0]


def masked_optional(text: str | None) -> str | None:
    return None if text is None else masked(text)


def masked_entry(entry: TranscriptEntry) -> dict[str, str]:
    return {"role": entry["role"], "text": masked(entry["text"]), "at": entry["at"]}


def masked_json(value: Any) -> Any:
    """A JSON value with every string in it masked."""
    if isinstance(value, str):
        return masked(value)
    if isinstance(value, dict):
        return {key: masked_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [masked_json(item) for item in value]
    return value
