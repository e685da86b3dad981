"""``python -m bot``: the Telegram front when a token is configured, else the local web chat."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Awaitable, Callable

from bot import messages, telegram_app, webchat
from core.settings import Settings, get_settings

Serve = Callable[[Settings, asyncio.Event], Awaitable[None]]


async def run_until_signalled(serve: Serve, settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await serve(settings, stop)


def main() -> None:
    # Opt in to PTB's coming timedelta durations (retry_after); bot/ handles both forms.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL, and Telegram's carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = get_settings()
    if settings.telegram_token:
        asyncio.run(run_until_signalled(telegram_app.serve, settings))
        return
    print(messages.WEBCHAT_READY.format(port=settings.webchat_port), flush=True)
    asyncio.run(run_until_signalled(webchat.serve, settings))


if __name__ == "__main__":
    main()
