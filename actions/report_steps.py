"""The blind-spot report, one question at a time: which step comes next, how an answer
to each step is read, and what each step asks.

The draft said so far lives in the ``report`` slot as a plain dict (Rasa keeps it in
the tracker store); nothing of it reaches the case store before the reporter says
접수할게요 (or danger is named). A step is answered when its key is in the draft, so a
correction removes the step's keys and the same rule asks it again, then comes back to
the summary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from actions import messages
from actions.normalise.report import (
    OTHER_RELATION,
    is_coordinates,
    read_area,
    read_household,
    read_phone,
    read_relation,
    read_signs,
)
from actions.turns import Button, choice_button, yes_or_no
from cases.report_draft import SHORT_LIMIT, TEXT_LIMIT
from core.areas import AREAS

Draft = dict[str, Any]
STEPS = ("consent", "about", "region", "address", "signs", "household", "contact", "photo")
CONFIRM = "confirm"
DANGER_SIGNS: Mapping[str, str] = {"self_harm": "suicide", "abuse": "violence"}
"""Signs that are immediate danger, with the kind of danger the emergency reply names."""
STEP_KEYS: Mapping[str, tuple[str, ...]] = {
    "consent": ("consent",),
    "about": ("about", "relation"),
    "region": ("region", "area", "pending_candidates"),
    "address": ("address_detail",),
    "signs": ("signs_done", "signs"),
    "household": ("household",),
    "contact": ("phone", "anonymous"),
    "photo": ("photo",),
}
"""The draft keys each step writes; the first one marks the step answered."""

# Button values: '<kind>:<value>' so a typed answer is never mistaken for one.
CONSENT_YES, CONSENT_NO = "consent:yes", "consent:no"
SELF = "about:self"
RELATION = "relation:"
AREA = "area:"
REGION_UNKNOWN = "area:unknown"
SKIP = "address:skip"
SIGN = "sign:"
SIGNS_DONE = "signs:done"
HOUSEHOLD = "household:"
ANONYMOUS = "contact:anonymous"
PHOTO = "photo:"
NO_PHOTO = "photo:none"
PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png"}
"""The bot saves photos with these extensions only (bot/photos.py)."""
_PHOTO_PATH = re.compile(r"\d{4}-\d{2}/[0-9a-f]{32}\.(jpg|png)")
FILE = "report:file"
EDIT = "report:edit"
EDIT_STEP = "edit:"

# Typed yes and no, read only where a yes/no question was asked (consent, the summary).
_YES = re.compile(r"^\s*(?:네|예|응|어|그래|좋아|동의|접수)|동의합|동의해|접수해")
_NO = re.compile(r"^\s*(?:아니|아뇨|싫|안\s*해)|동의\s*안|동의하지|안\s*할래|고칠|고쳐|수정")
Event = Literal["declined", "file", "danger"] | None


@dataclass(frozen=True)
class Reading:
    """A step's answer read: the new draft, what to say, and what happens now."""

    draft: Draft
    said: tuple[str, ...] = ()
    event: Event = None
    danger: str | None = None


def next_step(draft: Mapping[str, Any]) -> str:
    """The first step not answered yet, or the summary when all are."""
    return next((step for step in STEPS if STEP_KEYS[step][0] not in draft), CONFIRM)


def read_answer(step: str, value: str, draft: Mapping[str, Any], intent: str) -> Reading:
    """Read ``value`` (a button value or typed words) as the answer to ``step``. A photo
    sent before its question is kept, and the question asked stays."""
    if value.startswith(PHOTO) and step != "photo":
        photo = _read_photo(value, dict(draft), intent).draft.get("photo")
        if photo is None:
            return Reading(dict(draft))
        return Reading({**draft, "photo": photo}, (messages.REPORT_PHOTO_KEPT,))
    reader = _READERS.get(step, _read_confirm)
    return reader(value.strip(), dict(draft), intent)


def _read_consent(value: str, draft: Draft, intent: str) -> Reading:
    said = yes_or_no(value, intent, (CONSENT_YES, CONSENT_NO), (_YES, _NO))
    if said is False:
        return Reading(draft, (messages.REPORT_DECLINED,), "declined")
    if said:
        return Reading({**draft, "consent": True})
    return Reading(draft)  # asked again, with its buttons


def _read_about(value: str, draft: Draft, intent: str) -> Reading:
    if value == SELF:
        return Reading({**draft, "about": "self", "relation": None})
    if value.startswith(RELATION):
        return Reading({**draft, "about": "other", "relation": value.removeprefix(RELATION)})
    relation = read_relation(value)
    if relation == "self":
        return Reading({**draft, "about": "self", "relation": None})
    return Reading({**draft, "about": "other", "relation": relation or OTHER_RELATION})


def _read_region(value: str, draft: Draft, intent: str) -> Reading:
    settled = {k: v for k, v in draft.items() if k != "pending_candidates"}
    if value == REGION_UNKNOWN:
        return Reading({**settled, "region": None, "area": None})
    if value.startswith(AREA) and value.removeprefix(AREA) in AREAS:
        key = value.removeprefix(AREA)
        return Reading({**settled, "region": _place(key), "area": key})
    if is_coordinates(value):
        return Reading(draft, (messages.REPORT_LOCATION_NOT_ENOUGH,))
    resolution = read_area(value)
    if resolution.area is not None:
        key = resolution.area.key
        return Reading({**settled, "region": value[:SHORT_LIMIT], "area": key})
    if resolution.candidates:
        keys = [area.key for area in resolution.candidates]
        return Reading({**draft, "pending_candidates": keys})
    return Reading(draft, (messages.REPORT_AREA_UNKNOWN,))


def _read_address(value: str, draft: Draft, intent: str) -> Reading:
    detail = None if value == SKIP or intent == "deny" else value[:SHORT_LIMIT]
    return Reading({**draft, "address_detail": detail})


def _read_signs(value: str, draft: Draft, intent: str) -> Reading:
    signs: list[str] = list(draft.get("signs") or [])
    if value == SIGNS_DONE:
        if not signs and not draft.get("text"):
            return Reading(draft, (messages.REPORT_NOTHING_SEEN,))
        return Reading({**draft, "signs": signs, "signs_done": True})
    if value.startswith(SIGN) and value.removeprefix(SIGN) in messages.SIGN_BUTTONS:
        sign = value.removeprefix(SIGN)
        chosen = {**draft, "signs": [*signs, sign] if sign not in signs else signs}
        return _with_danger(Reading(chosen), sign)
    # Typed words are the report's own text; the signs they name are ticked too.
    seen = read_signs(value)
    merged = [*signs, *(sign for sign in seen if sign not in signs)]
    text = _joined(draft.get("text"), value)
    reading = Reading(
        {**draft, "signs": merged, "signs_done": True, "text": text},
        (messages.REPORT_TEXT_KEPT,),
    )
    danger = next((sign for sign in seen if sign in DANGER_SIGNS), None)
    return _with_danger(reading, danger) if danger else reading


def _with_danger(reading: Reading, sign: str | None) -> Reading:
    if sign is None or sign not in DANGER_SIGNS:
        return reading
    return Reading(reading.draft, reading.said, "danger", DANGER_SIGNS[sign])


def _read_household(value: str, draft: Draft, intent: str) -> Reading:
    if value.startswith(HOUSEHOLD) and value.removeprefix(HOUSEHOLD) in messages.HOUSEHOLD_BUTTONS:
        return Reading({**draft, "household": value.removeprefix(HOUSEHOLD)})
    household = read_household(value) or "unknown"
    return Reading({**draft, "household": household, "text": _joined(draft.get("text"), value)})


def _read_contact(value: str, draft: Draft, intent: str) -> Reading:
    if value == ANONYMOUS or any(word in value for word in messages.REPORT_ANONYMOUS_WORDS):
        return Reading({**draft, "phone": None, "anonymous": True})
    phone = read_phone(value)
    if phone is None:
        return Reading(draft, (messages.REPORT_PHONE_NOT_READ,))
    return Reading({**draft, "phone": phone, "anonymous": False})


def _read_photo(value: str, draft: Draft, intent: str) -> Reading:
    saved = _PHOTO_PATH.fullmatch(value.removeprefix(PHOTO)) if value.startswith(PHOTO) else None
    if saved is not None:
        photo = {"path": saved.group(), "content_type": PHOTO_TYPES[saved.group(1)]}
        return Reading({**draft, "photo": photo})
    if value == NO_PHOTO or intent == "deny" or value.startswith(PHOTO):
        return Reading({**draft, "photo": None})
    text = _joined(draft.get("text"), value)
    return Reading({**draft, "photo": None, "text": text}, (messages.REPORT_TEXT_KEPT,))


def _read_confirm(value: str, draft: Draft, intent: str) -> Reading:
    if value.startswith(EDIT_STEP) and value.removeprefix(EDIT_STEP) in STEP_KEYS:
        step = value.removeprefix(EDIT_STEP)
        kept = {k: v for k, v in draft.items() if k not in STEP_KEYS[step] and k != "editing"}
        return Reading(kept)
    said = yes_or_no(value, intent, (FILE, EDIT), (_YES, _NO))
    if said is False:
        return Reading({**draft, "editing": True})
    if said:
        return Reading(draft, (), "file")
    # Anything else is more to tell: kept with the report, then the summary again.
    text = _joined(draft.get("text"), value)
    return Reading({**draft, "text": text}, (messages.REPORT_TEXT_KEPT,))


def _joined(before: object, more: str) -> str:
    text = f"{before}\n{more}" if isinstance(before, str) and before else more
    return text[:TEXT_LIMIT]


_READERS = {
    "consent": _read_consent,
    "about": _read_about,
    "region": _read_region,
    "address": _read_address,
    "signs": _read_signs,
    "household": _read_household,
    "contact": _read_contact,
    "photo": _read_photo,
}


# --- the questions ----------------------------------------------------------------------------
def question(step: str, draft: Mapping[str, Any], keep_days: int) -> tuple[str, list[Button]]:
    """What ``step`` asks, with its buttons (typed answers are always read too)."""
    about_self = draft.get("about") == "self"
    if step == "consent":
        return messages.report_consent(keep_days), [
            choice_button(messages.REPORT_CONSENT_YES, CONSENT_YES),
            choice_button(messages.REPORT_CONSENT_NO, CONSENT_NO),
        ]
    if step == "about":
        relations = [choice_button(r, RELATION + r) for r in messages.REPORT_RELATIONS]
        return messages.REPORT_ASK_ABOUT, [
            choice_button(messages.REPORT_ABOUT_SELF, SELF),
            *relations,
        ]
    if step == "region":
        return _region_question(draft, about_self)
    if step == "address":
        return messages.REPORT_ASK_ADDRESS, [choice_button(messages.REPORT_SKIP_BUTTON, SKIP)]
    if step == "signs":
        return _signs_question(draft)
    if step == "household":
        text = (
            messages.REPORT_ASK_HOUSEHOLD_SELF
            if about_self
            else messages.REPORT_ASK_HOUSEHOLD_OTHER
        )
        return text, [
            choice_button(title, HOUSEHOLD + code)
            for code, title in messages.HOUSEHOLD_BUTTONS.items()
        ]
    if step == "contact":
        return messages.REPORT_ASK_CONTACT, [
            choice_button(messages.REPORT_ANONYMOUS_BUTTON, ANONYMOUS)
        ]
    if step == "photo":
        return messages.REPORT_ASK_PHOTO, [choice_button(messages.REPORT_NO_PHOTO_BUTTON, NO_PHOTO)]
    return _confirm_question(draft)


def _region_question(draft: Mapping[str, Any], about_self: bool) -> tuple[str, list[Button]]:
    unknown = choice_button(messages.REPORT_REGION_UNKNOWN_BUTTON, REGION_UNKNOWN)
    candidates = [key for key in draft.get("pending_candidates") or [] if key in AREAS]
    if candidates:
        buttons = [choice_button(_place(key), AREA + key) for key in candidates]
        return messages.REPORT_WHICH_AREA, [*buttons, unknown]
    text = messages.REPORT_ASK_REGION_SELF if about_self else messages.REPORT_ASK_REGION_OTHER
    return text, [unknown]


def _signs_question(draft: Mapping[str, Any]) -> tuple[str, list[Button]]:
    chosen = [str(sign) for sign in draft.get("signs") or []]
    buttons = [
        choice_button(title, SIGN + code)
        for code, title in messages.SIGN_BUTTONS.items()
        if code not in chosen
    ]
    text = messages.REPORT_ASK_SIGNS
    if chosen:
        labels = [messages.SIGN_BUTTONS[sign] for sign in chosen if sign in messages.SIGN_BUTTONS]
        text = f"{messages.report_signs_chosen(labels)}\n{text}"
    return text, [*buttons, choice_button(messages.REPORT_SIGNS_DONE_BUTTON, SIGNS_DONE)]


def _confirm_question(draft: Mapping[str, Any]) -> tuple[str, list[Button]]:
    if draft.get("editing"):
        return messages.REPORT_ASK_WHAT_TO_EDIT, [
            choice_button(title, EDIT_STEP + step)
            for step, title in messages.REPORT_EDIT_BUTTONS.items()
        ]
    area = draft.get("area")
    summary = messages.report_summary(
        about=str(draft.get("about") or "other"),
        relation=draft.get("relation"),
        place=_place(area) if isinstance(area, str) and area in AREAS else draft.get("region"),
        address=draft.get("address_detail"),
        signs=[
            messages.SIGN_BUTTONS[s] for s in draft.get("signs") or [] if s in messages.SIGN_BUTTONS
        ],
        text=str(draft.get("text") or ""),
        household=messages.HOUSEHOLD_BUTTONS.get(str(draft.get("household"))),
        phone=draft.get("phone"),
        photo=bool(draft.get("photo")),
    )
    return f"{summary}\n{messages.REPORT_ASK_CONFIRM}", [
        choice_button(messages.REPORT_CONFIRM_BUTTON, FILE),
        choice_button(messages.REPORT_EDIT_BUTTON, EDIT),
    ]


def _place(key: str) -> str:
    """An area as people say it: '강서구 화곡1동'; a district in full ('부산광역시 강서구'),
    since the same 구 name is found in several cities."""
    area = AREAS[key]
    if area.dong is None:
        return key
    return " ".join(part for part in (area.sigungu, area.dong) if part)
