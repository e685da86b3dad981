"""A citizen's request for check-ins (안부확인), one question at a time: which step comes
next, how each answer is read, and what each step asks.

The request said so far lives in the ``checkin_request`` slot as a plain dict; nothing
reaches the case store before the citizen says 신청할게요. Consent comes first. The
steps ask what a worker needs to approve it: how to call the person, the 동 they live in
(the request waits in that 동's queue), the days and the time of day. A step is answered
when its first key is in the draft, so editing one removes its keys and asks it again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from actions import messages
from actions.normalise.report import read_area
from actions.turns import Button, choice_button, yes_or_no
from core.areas import AREAS
from core.privacy import mask_rrn

Draft = dict[str, Any]
STEPS = ("consent", "name", "area", "days", "time")
CONFIRM = "confirm"
STEP_KEYS: Mapping[str, tuple[str, ...]] = {
    "consent": ("consent",),
    "name": ("name",),
    "area": ("area", "pending_candidates"),
    "days": ("days",),
    "time": ("time",),
}
"""The draft keys each step writes; the first one marks the step answered."""

DAYS: Mapping[str, tuple[int, ...]] = {
    "daily": (0, 1, 2, 3, 4, 5, 6),
    "weekdays": (0, 1, 2, 3, 4),
    "mon_wed_fri": (0, 2, 4),
    "tue_thu": (1, 3),
}
"""Day choices (Monday is 0), the way a 복지플래너 schedules calls."""
TIMES: Mapping[str, tuple[str, str]] = {
    "morning": ("09:00", "11:00"),
    "afternoon": ("14:00", "16:00"),
    "evening": ("18:00", "20:00"),
}
"""Time windows, all outside the quiet hours (21:00–08:00)."""
NAME_LIMIT = 20

# Button values: '<kind>:<value>', so a typed answer is never mistaken for one.
CONSENT_YES, CONSENT_NO = "ckreq:yes", "ckreq:no"
AREA = "ckreq-area:"
DAY = "ckreq-days:"
TIME = "ckreq-time:"
FILE, EDIT, EDIT_STEP = "ckreq:file", "ckreq:edit", "ckreq-edit:"

_YES = re.compile(r"^\s*(?:네|예|응|어|그래|좋아|동의|신청)|동의합|동의해|신청해|신청할")
_NO = re.compile(r"^\s*(?:아니|아뇨|싫|안\s*해|안\s*할)|동의\s*안|동의하지|고칠|고쳐|수정")
_NAME = re.compile(r"[가-힣A-Za-z][가-힣A-Za-z .·]*")
_NAME_ENDING = re.compile(r"\s*(?:이?라고\s*(?:불러\s*)?주세요|입니다|이에요|예요|이요|요)\.?$")
Event = Literal["declined", "file"] | None


@dataclass(frozen=True)
class Reading:
    """A step's answer read: the new draft, what to say first, and what happens now."""

    draft: Draft
    said: tuple[str, ...] = ()
    event: Event = None


def next_step(draft: Mapping[str, Any]) -> str:
    """The first step not answered yet, or the summary when all are."""
    return next((step for step in STEPS if STEP_KEYS[step][0] not in draft), CONFIRM)


def read_answer(step: str, value: str, draft: Mapping[str, Any], intent: str) -> Reading:
    """Read ``value`` (a button value or typed words) as the answer to ``step``."""
    reader = _READERS.get(step, _read_confirm)
    return reader(value.strip(), dict(draft), intent)


def _read_consent(value: str, draft: Draft, intent: str) -> Reading:
    said = yes_or_no(value, intent, (CONSENT_YES, CONSENT_NO), (_YES, _NO))
    if said is False:
        return Reading(draft, (messages.CHECKIN_REQUEST_DECLINED,), "declined")
    if said:
        return Reading({**draft, "consent": True})
    return Reading(draft)  # asked again, with its buttons


def _read_name(value: str, draft: Draft, intent: str) -> Reading:
    """How to call the person: their words without the spoken ending ('김순자예요'), and
    letters only (a phone or a 주민등록번호 typed here is not kept)."""
    masked, had_rrn = mask_rrn(value)
    name = _NAME_ENDING.sub("", masked).strip()
    if had_rrn or not _NAME.fullmatch(name) or len(name) > NAME_LIMIT:
        return Reading(draft, (messages.CHECKIN_REQUEST_NAME_NOT_READ,))
    return Reading({**draft, "name": name})


def _read_area(value: str, draft: Draft, intent: str) -> Reading:
    settled = {k: v for k, v in draft.items() if k != "pending_candidates"}
    if value.startswith(AREA) and value.removeprefix(AREA) in AREAS:
        return Reading({**settled, "area": value.removeprefix(AREA)})
    resolution = read_area(value)
    if resolution.area is not None and resolution.area.dong is not None:
        return Reading({**settled, "area": resolution.area.key})
    candidates = [area.key for area in resolution.candidates if area.dong is not None]
    if candidates:
        return Reading({**draft, "pending_candidates": candidates})
    return Reading(draft, (messages.CHECKIN_REQUEST_AREA_NOT_READ,))


def _read_days(value: str, draft: Draft, intent: str) -> Reading:
    code = value.removeprefix(DAY) if value.startswith(DAY) else _typed_days(value)
    if code not in DAYS:
        return Reading(draft, (messages.CHECKIN_REQUEST_CHOOSE,))
    return Reading({**draft, "days": code})


def _typed_days(value: str) -> str | None:
    if "매일" in value or "날마다" in value:
        return "daily"
    if "평일" in value or "주중" in value:
        return "weekdays"
    return None


def _read_time(value: str, draft: Draft, intent: str) -> Reading:
    code = value.removeprefix(TIME) if value.startswith(TIME) else _typed_time(value)
    if code not in TIMES:
        return Reading(draft, (messages.CHECKIN_REQUEST_CHOOSE,))
    return Reading({**draft, "time": code})


def _typed_time(value: str) -> str | None:
    for code, words in messages.CHECKIN_REQUEST_TIME_WORDS.items():
        if any(word in value for word in words):
            return code
    return None


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
    return Reading(draft, (messages.CHECKIN_REQUEST_CHOOSE,))


_READERS = {
    "consent": _read_consent,
    "name": _read_name,
    "area": _read_area,
    "days": _read_days,
    "time": _read_time,
}


# --- the questions ----------------------------------------------------------------------------
def question(step: str, draft: Mapping[str, Any]) -> tuple[str, list[Button]]:
    """What ``step`` asks, with its buttons (typed answers are read too)."""
    if step == "consent":
        return messages.CHECKIN_REQUEST_CONSENT, [
            choice_button(messages.CHECKIN_REQUEST_CONSENT_YES, CONSENT_YES),
            choice_button(messages.CHECKIN_REQUEST_CONSENT_NO, CONSENT_NO),
        ]
    if step == "name":
        return messages.CHECKIN_REQUEST_ASK_NAME, []
    if step == "area":
        candidates = [key for key in draft.get("pending_candidates") or [] if key in AREAS]
        if candidates:
            return messages.REPORT_WHICH_AREA, [
                choice_button(place(key), AREA + key) for key in candidates
            ]
        return messages.CHECKIN_REQUEST_ASK_AREA, []
    if step == "days":
        return messages.CHECKIN_REQUEST_ASK_DAYS, [
            choice_button(title, DAY + code)
            for code, title in messages.CHECKIN_REQUEST_DAYS.items()
        ]
    if step == "time":
        return messages.CHECKIN_REQUEST_ASK_TIME, [
            choice_button(title, TIME + code)
            for code, title in messages.CHECKIN_REQUEST_TIMES.items()
        ]
    return _confirm_question(draft)


def _confirm_question(draft: Mapping[str, Any]) -> tuple[str, list[Button]]:
    if draft.get("editing"):
        return messages.CHECKIN_REQUEST_ASK_WHAT_TO_EDIT, [
            choice_button(title, EDIT_STEP + step)
            for step, title in messages.CHECKIN_REQUEST_EDIT_BUTTONS.items()
        ]
    summary = messages.checkin_request_summary(
        name=str(draft.get("name") or ""),
        place=place(str(draft.get("area"))),
        days=messages.CHECKIN_REQUEST_DAYS.get(str(draft.get("days")), ""),
        time=messages.CHECKIN_REQUEST_TIMES.get(str(draft.get("time")), ""),
    )
    return summary, [
        choice_button(messages.CHECKIN_REQUEST_FILE_BUTTON, FILE),
        choice_button(messages.CHECKIN_REQUEST_EDIT_BUTTON, EDIT),
    ]


def place(key: str) -> str:
    """An area as people say it: '강서구 화곡1동'."""
    area = AREAS.get(key)
    if area is None or area.dong is None:
        return key
    return " ".join(part for part in (area.sigungu, area.dong) if part)
