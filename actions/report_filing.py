"""Filing the chat's blind-spot report: the draft slot as a ``ReportDraft``, the dedup key
that makes a retried message or a replayed action file once, and the receipt in words.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from rasa_sdk.interfaces import Tracker

from actions import messages
from actions.escalate import transcript
from actions.services import ActionServices
from actions.turns import conversation_channel
from cases.report_draft import TEXT_LIMIT, PhotoRef, ReportDraft, Reporter
from cases.reports import ConsentGiven, ReportReceipt
from core.areas import AREAS

logger = logging.getLogger(__name__)


def dedup_key(tracker: Tracker) -> str:
    """One filing per draft of one conversation (the draft id is made at intake)."""
    return f"chat:{tracker.sender_id}:{tracker.get_slot('report_id')}"


def report_draft(draft: Mapping[str, Any], *, danger: bool = False, said: str = "") -> ReportDraft:
    """The draft slot as the case store's draft. With ``danger`` it is filed as it stands:
    whom it is about defaults to someone else, and without a phone it is anonymous.
    ``said`` (the danger words) is added to the report's text."""
    phone = draft.get("phone")
    text = str(draft.get("text") or "")
    if said:
        text = f"{text}\n{said}" if text else said
    about = draft.get("about")
    return ReportDraft(
        about=about if about in ("self", "other") else "other",
        signs=tuple(str(sign) for sign in draft.get("signs") or []),
        text=text[:TEXT_LIMIT],
        region=_text_or_none(draft.get("region")),
        area=_area_or_none(draft.get("area")),
        relation=_text_or_none(draft.get("relation")),
        address_detail=_text_or_none(draft.get("address_detail")),
        household=str(draft.get("household") or "unknown"),
        danger=danger,
        anonymous=not isinstance(phone, str) or not phone,
        reporter=Reporter(phone=phone) if isinstance(phone, str) and phone else None,
        photo=_photo_or_none(draft.get("photo")),
    )


def file_report(services: ActionServices, tracker: Tracker, draft: ReportDraft) -> ReportReceipt:
    """Store the report (at most once per draft); raises ``ReportRejected`` or a
    database error, and then nothing is stored."""
    filed = services.reports.file_report(
        draft,
        consent=ConsentGiven(tracker.sender_id, messages.REPORT_CONSENT_VERSION),
        channel=conversation_channel(tracker),
        dedup_key=dedup_key(tracker),
        conversation_id=tracker.sender_id,
        transcript=transcript(tracker, services.settings.transcript_max_events),
    )
    logger.info("report filed: case=%s priority=%s", filed.case_id, filed.priority)
    return filed


def filed_message(services: ActionServices, filed: ReportReceipt, anonymous: bool) -> str:
    """The receipt, who takes it and by when, in plain words."""
    area = AREAS.get(filed.area) if filed.area else None
    office = messages.report_office(
        area.dong if area else None, (area.sigungu or area.sido) if area else None
    )
    rule = services.case_policy.deadlines[("report", filed.priority)]
    now = services.now()
    due = filed.due_at.astimezone(now.tzinfo or dt.UTC)
    hours = None if rule.clock_hours is None else round(rule.clock_hours)
    deadline = messages.report_deadline(due, now, hours)
    return messages.report_filed(filed.receipt, office, deadline, anonymous)


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _photo_or_none(value: object) -> PhotoRef | None:
    if not isinstance(value, dict):
        return None
    return PhotoRef(str(value.get("path")), str(value.get("content_type")))


def _area_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value in AREAS else None
