"""The check-in worker's messenger: the bot's Telegram sender, with the case store's
``ChatBlocked`` as its error for a chat that blocked the bot and ``SendUnanswered`` for a
send that went out with no answer.

Glue on top of both components: bot/ sends without knowing cases/, cases/ ticks without
knowing Telegram, and only here do the two meet.
"""

from __future__ import annotations

from bot.checkin_sender import TelegramCheckinSender
from cases.checkin_sender import ChatBlocked, CheckinSender, SendUnanswered
from core.settings import Settings


def telegram_checkin_sender(settings: Settings) -> TelegramCheckinSender | None:
    """The Telegram sender when a bot token is configured; None: sends wait."""
    if not settings.telegram_token:
        return None
    return TelegramCheckinSender.from_settings(
        settings, unreachable=ChatBlocked, unanswered=SendUnanswered
    )


def as_checkin_sender(sender: TelegramCheckinSender) -> CheckinSender:
    """The sender as the case store's protocol (checked by mypy, structurally)."""
    return sender
