"""A blind-spot report as the reporter gave it, and the checks it must pass before filing.

The chat builds a ``ReportDraft`` slot by slot; staff intake (``ieum reports file``) reads
one from JSON with ``draft_from_json``. ``checked`` turns a draft into what is stored, or
raises ``ReportRejected`` with a polite Korean message; nothing is stored before that.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cases import messages
from cases.errors import ReportRejected
from cases.models import ABOUT, HOUSEHOLDS, SIGNS
from core.areas import AREAS, resolve_area

TEXT_LIMIT = 4000
SHORT_LIMIT = 200
PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})
_CHANNEL = re.compile(r"[a-z][a-z0-9_]{0,49}")
_PHONE_NOISE = re.compile(r"[\s\-.()]")


@dataclass(frozen=True)
class Reporter:
    name: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class PhotoRef:
    """A photo already saved outside the database: ``path`` is relative to the photo folder."""

    path: str
    content_type: str


@dataclass(frozen=True)
class ReportDraft:
    """What the reporter said. ``region`` is as they wrote it; ``area`` is an area key when
    it is already known (a shared location, a candidate they picked), and wins over
    ``region``. ``danger`` is set when danger words were said anywhere in the report."""

    about: str
    signs: tuple[str, ...] = ()
    text: str = ""
    region: str | None = None
    area: str | None = None
    relation: str | None = None
    address_detail: str | None = None
    household: str = "unknown"
    urgent: bool = False
    danger: bool = False
    anonymous: bool = False
    reporter: Reporter | None = None
    photo: PhotoRef | None = None


@dataclass(frozen=True)
class CheckedReport:
    """A draft that passed every check: trimmed texts, a known area key (or None:
    unrouted, when no region was given), a normalised phone number."""

    draft: ReportDraft
    area: str | None
    reporter_name: str | None
    reporter_phone: str | None


def checked(draft: ReportDraft) -> CheckedReport:
    """The draft, checked and routed; ``ReportRejected`` says what to fix."""
    if draft.about not in ABOUT:
        raise ReportRejected(messages.ABOUT_INVALID)
    unknown = set(draft.signs) - set(SIGNS)
    if unknown:
        raise ReportRejected(messages.unknown_signs(unknown))
    if not draft.signs and not draft.text.strip():
        raise ReportRejected(messages.NOTHING_REPORTED)
    if draft.household not in HOUSEHOLDS:
        raise ReportRejected(messages.HOUSEHOLD_INVALID)
    _check_lengths(draft)
    if draft.photo is not None and not _acceptable_photo(draft.photo):
        raise ReportRejected(messages.PHOTO_INVALID)
    name, phone = _reporter(draft)
    return CheckedReport(draft, _area(draft), name, phone)


def check_channel(channel: str) -> str:
    if not _CHANNEL.fullmatch(channel):
        raise ReportRejected(messages.CHANNEL_INVALID)
    return channel


def _check_lengths(draft: ReportDraft) -> None:
    if len(draft.text) > TEXT_LIMIT:
        raise ReportRejected(messages.too_long("text", TEXT_LIMIT))
    for field, value in (
        ("relation", draft.relation),
        ("region", draft.region),
        ("address_detail", draft.address_detail),
    ):
        if value is not None and len(value) > SHORT_LIMIT:
            raise ReportRejected(messages.too_long(field, SHORT_LIMIT))


def _acceptable_photo(photo: PhotoRef) -> bool:
    parts = photo.path.split("/")
    relative = bool(photo.path) and not photo.path.startswith("/") and ".." not in parts
    return relative and len(photo.path) <= 300 and photo.content_type in PHOTO_TYPES


def _reporter(draft: ReportDraft) -> tuple[str | None, str | None]:
    reporter = draft.reporter or Reporter()
    name = (reporter.name or "").strip() or None
    phone_text = (reporter.phone or "").strip()
    if draft.anonymous:
        if name or phone_text:
            raise ReportRejected(messages.ANONYMOUS_WITH_CONTACT)
        return None, None
    if not phone_text:
        raise ReportRejected(messages.CONTACT_NEEDED)
    if name is not None and len(name) > 100:
        raise ReportRejected(messages.too_long("reporter.name", 100))
    return name, _phone(phone_text)


def _phone(text: str) -> str:
    """Korean numbers as digits only: '010-1234-5678', '+82 10 1234 5678' → '01012345678'."""
    digits = _PHONE_NOISE.sub("", text)
    if digits.startswith("+82"):
        digits = "0" + digits[3:].lstrip("0")
    if not (digits.isascii() and digits.isdigit() and digits.startswith("0")):
        raise ReportRejected(messages.PHONE_INVALID)
    if not 9 <= len(digits) <= 11:
        raise ReportRejected(messages.PHONE_INVALID)
    return digits


def area_key_of(text: str) -> str:
    """The key of the one area ``text`` names; ``ReportRejected`` lists the candidates of
    an ambiguous name, or asks for a fuller one."""
    resolution = resolve_area(text)
    if resolution.area is not None:
        return resolution.area.key
    if resolution.candidates:
        keys = tuple(candidate.key for candidate in resolution.candidates)
        raise ReportRejected(messages.area_ambiguous(keys), keys)
    raise ReportRejected(messages.AREA_UNKNOWN)


def _area(draft: ReportDraft) -> str | None:
    if draft.area is not None:
        if draft.area not in AREAS:
            raise ReportRejected(messages.AREA_KEY_UNKNOWN)
        return draft.area
    if draft.region is None or not draft.region.strip():
        return None
    return area_key_of(draft.region)


# --- staff intake: a report as JSON --------------------------------------------------------
FIELDS = frozenset(
    {
        "about",
        "relation",
        "region",
        "address_detail",
        "signs",
        "text",
        "household",
        "urgent",
        "danger",
        "reporter",
        "anonymous",
        "consent",
        "channel",
    }
)


@dataclass(frozen=True)
class JsonReport:
    """A report read from JSON: the draft, whether consent was given, the channel."""

    draft: ReportDraft
    consent: bool
    channel: str


def draft_from_json(data: Any, default_channel: str) -> JsonReport:
    """Read the intake JSON (fields: see ``FIELDS``); ``ReportRejected`` on a wrong shape."""
    if not isinstance(data, Mapping):
        raise ReportRejected(messages.NOT_JSON)
    unknown = set(data) - FIELDS
    if unknown:
        raise ReportRejected(messages.unknown_fields(unknown))
    reporter = data.get("reporter")
    if reporter is not None and not (
        isinstance(reporter, Mapping) and set(reporter) <= {"name", "phone"}
    ):
        raise ReportRejected(messages.field_invalid("reporter"))
    signs = data.get("signs", [])
    if not isinstance(signs, list) or not all(isinstance(sign, str) for sign in signs):
        raise ReportRejected(messages.field_invalid("signs"))
    draft = ReportDraft(
        about=_text(data, "about") or "",
        signs=tuple(dict.fromkeys(signs)),
        text=_text(data, "text") or "",
        region=_text(data, "region"),
        relation=_text(data, "relation"),
        address_detail=_text(data, "address_detail"),
        household=_text(data, "household") or "unknown",
        urgent=_flag(data, "urgent"),
        danger=_flag(data, "danger"),
        anonymous=_flag(data, "anonymous"),
        reporter=(
            None
            if reporter is None
            else Reporter(_text(reporter, "reporter.name"), _text(reporter, "reporter.phone"))
        ),
    )
    channel = _text(data, "channel") or default_channel
    return JsonReport(draft, _flag(data, "consent"), channel)


def _text(data: Mapping[str, Any], field: str) -> str | None:
    value = data.get(field.rsplit(".", 1)[-1])
    if value is None:
        return None
    if not isinstance(value, str):
        raise ReportRejected(messages.field_invalid(field))
    return value.strip() or None


def _flag(data: Mapping[str, Any], field: str) -> bool:
    value = data.get(field, False)
    if not isinstance(value, bool):
        raise ReportRejected(messages.field_invalid(field))
    return value
