"""``ieum run``: start the whole system on embedded defaults and say where to talk to it."""

from __future__ import annotations

import asyncio
import signal
import sys
import time

from core.settings import Settings
from ieum import messages
from ieum.stack import Stack, StackError, conversation_services


def run_command(settings: Settings) -> int:
    stack = Stack(conversation_services(settings), settings.data_dir / "logs")
    # A terminated `ieum run` must take its services down with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(messages.RUN_STARTING)
    try:
        stack.start()
    except StackError as error:
        print(messages.RUN_FAILED.format(detail=error), file=sys.stderr)
        return 1
    try:
        print(where_to_talk(settings))
        if sys.stdin.isatty():
            from bot.terminal import chat

            return asyncio.run(chat(settings))
        while True:  # no terminal: keep serving until interrupted
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


def where_to_talk(settings: Settings) -> str:
    lines = [messages.RUN_READY]
    if settings.telegram_token:
        lines.append(messages.RUN_TELEGRAM)
    else:
        lines.append(messages.RUN_WEBCHAT.format(port=settings.webchat_port))
    lines.append(messages.RUN_TERMINAL)
    lines.append(messages.RUN_LOGS.format(path=settings.data_dir / "logs"))
    return "\n".join(lines)
