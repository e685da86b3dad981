"""Handing a conversation to a person: the masked transcript and the stored escalation."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from rasa_sdk.interfaces import Tracker
from sqlalchemy.exc import SQLAlchemyError

from actions import messages
from actions.facts import stated_facts
from actions.office_hours import is_open, next_opening
from actions.services import ActionServices
from actions.turns import conversation_channel, is_payload, latest_text
from cases.models import EscalationKind, Priority
from cases.store import EscalationRecord, TranscriptEntry
from core.privacy import mask_rrn
from knowledge.fields import label

logger = logging.getLogger(__name__)

REACHABLE_CHANNELS = frozenset({"telegram"})
"""Channels where ieum can write first, so staff can answer in the chat (bot/outbound.py)."""


def transcript(tracker: Tracker, limit: int) -> list[TranscriptEntry]:
    """The latest user and bot messages, oldest first, with every RRN masked.

    A button press reaches Rasa as its payload (``/inform{"choice":"consent:yes"}``); the
    transcript shows the staff member the button's title instead, as the citizen saw it.
    """
    entries: list[TranscriptEntry] = []
    offered: dict[str, str] = {}
    for event in tracker.events:
        role = event.get("event")
        text = event.get("text")
        if role == "bot":
            offered = _buttons_of(event) or offered
        if role not in ("user", "bot") or not isinstance(text, str) or not text:
            continue
        if role == "user" and text in offered:
            text = messages.BUTTON_PRESSED.format(title=offered[text])
        stamp = event.get("timestamp")
        at = (
            dt.datetime.fromtimestamp(stamp, dt.UTC).isoformat()
            if isinstance(stamp, int | float)
            else ""
        )
        entries.append({"role": str(role), "text": mask_rrn(text)[0], "at": at})
    return entries[-limit:] if limit > 0 else []


def _buttons_of(event: dict[str, Any]) -> dict[str, str]:
    """Payload → title of the buttons a bot message offered."""
    data = event.get("data") or {}
    buttons = data.get("buttons") if isinstance(data, dict) else None
    return {
        str(button["payload"]): str(button["title"])
        for button in buttons or ()
        if isinstance(button, dict) and "payload" in button and "title" in button
    }


@dataclass(frozen=True)
class Escalated:
    """An escalation stored for this conversation; ``again`` when it was already open."""

    record: EscalationRecord
    again: bool


def record_escalation(
    services: ActionServices, tracker: Tracker, kind: EscalationKind, priority: Priority
) -> Escalated | None:
    """Store an escalation for this conversation, or add to its open one of the same kind;
    None (and an error log) if that failed."""
    facts = stated_facts(tracker)
    names = {p.id: p.name for p in services.catalog} if "receives" in facts else {}
    known = ", ".join(
        f"{label(name)} {messages.fact_text(name, value, names)}" for name, value in facts.items()
    )
    last = "" if is_payload(latest_text(tracker)) else mask_rrn(latest_text(tracker))[0]
    subject = tracker.get_slot("subject")
    region = facts.get("region")
    try:
        record, again = services.cases.open_or_follow_up(
            kind=kind,
            priority=priority,
            conversation_id=tracker.sender_id,
            channel=conversation_channel(tracker),
            summary=messages.escalation_summary(
                kind, last, subject if isinstance(subject, str) else None, known
            ),
            transcript=transcript(tracker, services.settings.transcript_max_events),
            area=region if isinstance(region, str) else None,
        )
    except (SQLAlchemyError, OSError) as error:
        # The error's text may quote the stored values: log only its type.
        logger.error(
            "escalation not stored: kind=%s priority=%s error=%s",
            kind,
            priority,
            type(error).__name__,
        )
        return None
    logger.info(
        "escalation %s %s: kind=%s priority=%s",
        record.id,
        "followed up" if again else "opened",
        kind,
        priority,
    )
    return Escalated(record, again)


def when_someone_answers(services: ActionServices, tracker: Tracker) -> str:
    """Honest timing of a person's answer, from the office hours, and how it will come:
    in this chat where ieum can write first (Telegram), else by the person calling."""
    if conversation_channel(tracker) not in REACHABLE_CHANNELS:
        return messages.CALL_US_INSTEAD
    settings = services.settings
    now = services.now()
    if is_open(now, settings):
        return messages.office_open_now()
    return messages.office_closed(
        settings.office_weekdays,
        settings.office_open_hour,
        settings.office_close_hour,
        next_opening(now, settings),
        now.date(),
    )


def staff_see_it(services: ActionServices) -> str:
    """When staff will see an urgent case: now in office hours, else at the next opening."""
    settings = services.settings
    now = services.now()
    if is_open(now, settings):
        return messages.EMERGENCY_RECORDED
    return messages.emergency_recorded_after_hours(next_opening(now, settings), now.date())
