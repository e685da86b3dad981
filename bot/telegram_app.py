"""The Telegram front: a python-telegram-bot 22 Application whose handlers hand every
update to the gateway and every reply to the outbox.

Polling or webhook: with ``telegram_webhook_url`` set, Telegram posts updates to a small
server on ``telegram_webhook_listen:telegram_webhook_port`` (behind the TLS proxy that
serves that URL), and requests without Telegram's secret-token header are refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from redis.asyncio import Redis
from telegram import BotCommand, CallbackQuery, Message, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    Updater,
    filters,
)

from bot import messages
from bot.gateway import Gateway, open_gateway, parse_sender, sender_id
from bot.keyboards import CallbackPayloads, TelegramMessage, render
from bot.outbox import Outbox
from bot.photos import MAX_BYTES, save_photo
from bot.rasa_client import BotReply
from bot.service import build_bot, build_outbox
from bot.update_order import ChatOrderedUpdateProcessor
from core.clock import local_clock
from core.settings import Settings, stored_secret

log = logging.getLogger(__name__)

CHANNEL = "telegram"
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
MAX_CONCURRENT_UPDATES = 64
TYPING_SHOWN_SECONDS = 4.5  # Telegram shows a chat action for about five seconds

Context = ContextTypes.DEFAULT_TYPE
TelegramApplication = Application[Any, Any, Any, Any, Any, Any]


class TelegramFront:
    """The handlers: each turns an update into one gateway call and delivers the replies."""

    def __init__(
        self,
        gateway: Gateway,
        payloads: CallbackPayloads,
        outbox: Outbox,
        *,
        typing_after_seconds: float,
        photos_dir: Path,
        timezone: str,
    ) -> None:
        self._gateway = gateway
        self._payloads = payloads
        self._outbox = outbox
        self._typing_after = typing_after_seconds
        self._photos_dir = photos_dir
        self._local_now = local_clock(timezone)

    async def on_start(self, update: Update, context: Context) -> None:
        chat_id = _chat_id(update)
        start_payload = " ".join(context.args or [])
        async with self._typing_if_slow(context, chat_id):
            replies = await self._gateway.start(_sender(chat_id), CHANNEL, start_payload)
        await self._reply(chat_id, replies)

    async def on_help(self, update: Update, context: Context) -> None:
        await self._reply(_chat_id(update), [BotReply(messages.HELP)])

    async def on_privacy(self, update: Update, context: Context) -> None:
        await self._reply(_chat_id(update), [BotReply(messages.PRIVACY)])

    async def on_unknown_command(self, update: Update, context: Context) -> None:
        await self._reply(_chat_id(update), [BotReply(messages.UNKNOWN_COMMAND)])

    async def on_unsupported(self, update: Update, context: Context) -> None:
        await self._reply(_chat_id(update), [BotReply(messages.UNSUPPORTED_MESSAGE)])

    async def on_text(self, update: Update, context: Context) -> None:
        chat_id = _chat_id(update)
        text = update.effective_message.text if update.effective_message else None
        async with self._typing_if_slow(context, chat_id):
            replies = await self._gateway.text(_sender(chat_id), CHANNEL, text or "")
        await self._reply(chat_id, replies)

    async def on_location(self, update: Update, context: Context) -> None:
        chat_id = _chat_id(update)
        message = update.effective_message
        if message is None or message.location is None:
            return
        where = message.location
        async with self._typing_if_slow(context, chat_id):
            replies = await self._gateway.location(
                _sender(chat_id), CHANNEL, where.latitude, where.longitude
            )
        await self._reply(chat_id, replies)

    async def on_photo(self, update: Update, context: Context) -> None:
        """A photo (or an image sent as a file) for a report: saved, then its path to Rasa."""
        chat_id = _chat_id(update)
        message = update.effective_message
        if message is None:
            return
        attachment = message.photo[-1] if message.photo else message.document
        if attachment is None or (attachment.file_size or 0) > MAX_BYTES:
            await self._reply(chat_id, [BotReply(messages.PHOTO_NOT_TAKEN)])
            return
        async with self._typing_if_slow(context, chat_id):
            data = bytes(await (await attachment.get_file()).download_as_bytearray())
            saved = save_photo(self._photos_dir, data, self._local_now().date())
            if saved is None:
                replies = [BotReply(messages.PHOTO_NOT_TAKEN)]
            else:
                replies = await self._gateway.photo(_sender(chat_id), CHANNEL, saved.path)
        await self._reply(chat_id, replies)

    async def on_button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        chat_id = _chat_id(update)
        if query is None or not await self._first_press(query, chat_id):
            return
        # The keyboard goes while the assistant thinks, not before: both wait their turn
        # under Telegram's send limits, and the answer matters more.
        keyboard_removed = asyncio.create_task(_remove_keyboard(query))
        try:
            payload = await self._payloads.payload(query.data or "")
            if payload is None:
                replies = [BotReply(messages.BUTTON_EXPIRED)]
            else:
                async with self._typing_if_slow(context, chat_id):
                    replies = await self._gateway.payload(_sender(chat_id), CHANNEL, payload)
        finally:
            await keyboard_removed
        await self._reply(chat_id, replies)

    async def on_error(self, update: object, context: Context) -> None:
        # Only the kind of failure: the update itself may hold personal text.
        log.error("handling an update failed: %s", type(context.error).__name__)

    async def _first_press(self, query: CallbackQuery, chat_id: int) -> bool:
        """Answer the query; true on the first press of a keyboard, whose buttons then go.

        A keyboard answers once, so a double tap cannot answer the next question too.
        """
        await query.answer()
        if not isinstance(query.message, Message):
            return True  # too old to tell; Telegram no longer shows us the message
        return await self._payloads.first_press(chat_id, query.message.message_id)

    @contextlib.asynccontextmanager
    async def _typing_if_slow(self, context: Context, chat_id: int) -> AsyncIterator[None]:
        """Show "typing…" only when the answer takes a while.

        A quick answer needs no indicator, and every chat action counts against Telegram's
        global send limit that the replies themselves need.
        """
        indicator = asyncio.create_task(_keep_typing(context, chat_id, self._typing_after))
        try:
            yield
        finally:
            indicator.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await indicator

    async def _reply(self, chat_id: int, replies: Sequence[BotReply]) -> None:
        outgoing: list[TelegramMessage] = []
        for reply in replies:
            outgoing.extend(await render(reply, self._payloads))
        await self._outbox.deliver(chat_id, outgoing)

    async def deliver_late(self, sender: str, replies: Sequence[BotReply]) -> None:
        """Answers to a message kept while ieum was down (``bot/pending.py``)."""
        await self._reply(int(parse_sender(sender)[1]), replies)


def _chat_id(update: Update) -> int:
    if update.effective_chat is None:
        raise ValueError("update without a chat")
    return update.effective_chat.id


def _sender(chat_id: int) -> str:
    return sender_id(CHANNEL, chat_id)


async def _keep_typing(context: Context, chat_id: int, after_seconds: float) -> None:
    """From ``after_seconds`` on, show "typing…" until cancelled; not worth failing over."""
    await asyncio.sleep(after_seconds)
    while True:
        with contextlib.suppress(TelegramError):
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        await asyncio.sleep(TYPING_SHOWN_SECONDS)


async def _remove_keyboard(query: CallbackQuery) -> None:
    """Take the pressed keyboard away; a message too old to see keeps it, harmlessly."""
    if not isinstance(query.message, Message):
        return
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(reply_markup=None)


def build_application(
    settings: Settings, gateway: Gateway, redis: Redis
) -> tuple[TelegramApplication, Outbox, TelegramFront]:
    """The Application with every handler, the outbox its replies go through, and the
    front that handles updates."""
    application = (
        Application.builder()
        .bot(build_bot(settings))
        .concurrent_updates(ChatOrderedUpdateProcessor(MAX_CONCURRENT_UPDATES))
        .build()
    )
    outbox = build_outbox(application.bot, redis, settings)
    front = TelegramFront(
        gateway,
        CallbackPayloads(redis, settings.bot_redis_prefix),
        outbox,
        typing_after_seconds=settings.bot_typing_after_seconds,
        photos_dir=settings.report_photos_dir,
        timezone=settings.office_timezone,
    )
    private = filters.ChatType.PRIVATE
    application.add_handlers(
        [
            CommandHandler("start", front.on_start, filters=private),
            CommandHandler("help", front.on_help, filters=private),
            CommandHandler("privacy", front.on_privacy, filters=private),
            MessageHandler(private & filters.COMMAND, front.on_unknown_command),
            MessageHandler(private & filters.TEXT, front.on_text),
            MessageHandler(private & filters.LOCATION, front.on_location),
            MessageHandler(private & (filters.PHOTO | filters.Document.IMAGE), front.on_photo),
            MessageHandler(private & filters.UpdateType.MESSAGE, front.on_unsupported),
            CallbackQueryHandler(front.on_button),
        ]
    )
    application.add_error_handler(front.on_error)
    return application, outbox, front


def webhook_secret(settings: Settings) -> str:
    """The secret Telegram must send with every webhook request."""
    return settings.telegram_webhook_secret or stored_secret(
        settings.data_dir, "telegram_webhook_secret"
    )


async def serve(
    settings: Settings, stop: asyncio.Event, ready: asyncio.Event | None = None
) -> None:
    """Run the Telegram front (webhook when a URL is configured, else polling) until stop.

    ``ready`` is set once updates are being received.
    """
    async with open_gateway(settings, keeps_pending=CHANNEL) as (gateway, redis):
        application, outbox, front = build_application(settings, gateway, redis)
        async with application:
            await _set_commands(application)
            await _start_updates(application, settings)
            await application.start()
            poll_seconds = min(1.0, settings.outbox_retry_seconds)
            loops = [asyncio.create_task(outbox.run(stop, poll_seconds))]
            if gateway.pending is not None:
                late = gateway.pending.run(
                    stop, gateway.answer, front.deliver_late, BotReply(messages.GAVE_UP)
                )
                loops.append(asyncio.create_task(late))
            if ready is not None:
                ready.set()
            try:
                await stop.wait()
            finally:
                stop.set()
                await asyncio.gather(*loops)
                await _updater(application).stop()
                await application.stop()


async def _set_commands(application: TelegramApplication) -> None:
    commands = [BotCommand(name, description) for name, description in messages.COMMANDS.items()]
    try:
        await application.bot.set_my_commands(commands)
    except TelegramError as exc:
        log.warning("could not set the command menu: %s", exc)


def _updater(application: TelegramApplication) -> Updater:
    if application.updater is None:
        raise RuntimeError("the application was built without an updater")
    return application.updater


async def _start_updates(application: TelegramApplication, settings: Settings) -> None:
    updater = _updater(application)
    if not settings.telegram_webhook_url:
        await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        log.info("Telegram polling started")
        return
    await updater.start_webhook(
        listen=settings.telegram_webhook_listen,
        port=settings.telegram_webhook_port,
        url_path=urlparse(settings.telegram_webhook_url).path.lstrip("/"),
        webhook_url=settings.telegram_webhook_url,
        secret_token=webhook_secret(settings),
        allowed_updates=ALLOWED_UPDATES,
    )
    log.info("Telegram webhook listening on port %s", settings.telegram_webhook_port)
