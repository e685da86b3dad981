"""Building the messenger front's objects from settings: the Telegram bot and its outbox.

The Telegram front (``bot/telegram_app.py``) and processes that only send
(``bot/outbound.py``) build both here, so they talk to the same Bot API the same way.
"""

from __future__ import annotations

from redis.asyncio import Redis
from telegram import Bot
from telegram.ext import ExtBot

from bot.outbox import Outbox
from bot.send_budget import SendBudget
from bot.send_rate_limiter import SharedRateLimiter
from core.settings import Settings


def build_bot(settings: Settings) -> ExtBot[int]:
    """A bot on the configured Bot API, with Telegram's flood control: its messages take
    their turns from the send budget every process of the bot shares.

    One ``retry_after`` is waited out by the rate limiter, holding every send; a second
    one sends the message to the outbox.
    """
    api = settings.telegram_api_url.rstrip("/")
    return ExtBot(
        settings.telegram_token,
        base_url=f"{api}/bot",
        base_file_url=f"{api}/file/bot",
        rate_limiter=SharedRateLimiter(SendBudget.from_settings(settings, checkins=False)),
    )


def build_outbox(bot: Bot, redis: Redis, settings: Settings) -> Outbox:
    """The outbox that delivers (and retries) replies, shared by every bot process."""
    return Outbox(
        bot,
        redis,
        settings.bot_redis_prefix,
        retry_seconds=settings.outbox_retry_seconds,
        max_attempts=settings.outbox_max_attempts,
    )
