"""Which check-in chat a conversation is, and resuming paused check-ins from the chat
("다시 받을래요"); shared by the check-in answers and the check-in requests.

Only Telegram chats are check-in chats: the case store knows a person by their chat id.
"""

from __future__ import annotations

import logging

from rasa_sdk.interfaces import Tracker

from actions.services import ActionServices
from actions.turns import latest_text

log = logging.getLogger(__name__)

CHECKIN_CHANNEL_PREFIX = "telegram-"
ENROLLED = frozenset({"invited", "active", "paused"})
"""Statuses of a person whose check-ins the chat can pause or stop."""


def checkin_chat(tracker: Tracker) -> str | None:
    """The Telegram chat id of the conversation (the case store's key), or None."""
    sender = tracker.sender_id or ""
    if not sender.startswith(CHECKIN_CHANNEL_PREFIX):
        return None
    return sender.removeprefix(CHECKIN_CHANNEL_PREFIX) or None


def resume_checkins(services: ActionServices, tracker: Tracker) -> str | None:
    """ "다시 받을래요" from a person whose check-ins are paused: resumed, and what to tell
    them; None when the chat has no paused check-ins."""
    chat = checkin_chat(tracker)
    checkins = services.checkins
    if chat is None or checkins.chat_status(chat) != "paused":
        return None
    return checkins.set_status_by_chat(chat, "active")


def record_emergency_answer(services: ActionServices, tracker: Tracker) -> None:
    """An emergency written while a check-in waits is that check-in's answer too: its
    ladder stops and the person's concern case is critical, beside the emergency
    escalation. A failure here must not keep the emergency reply from the person."""
    chat = checkin_chat(tracker)
    if chat is None:
        return
    try:
        if services.checkins.waiting_checkin(chat) is not None:
            services.checkins.answer_text(chat, latest_text(tracker), "emergency")
    except Exception:
        log.exception("an emergency could not be recorded as a check-in answer")
