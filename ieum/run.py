"""``ieum run``: start the whole system on embedded defaults, keep it up, say where to talk to it.

The supervisor alone decides when to stop. SIGINT (Ctrl+C), SIGTERM and SIGHUP only
record the request: the first one makes a start in progress give up or ends the
serving, and the stop that follows runs to the end whatever arrives meanwhile, so no
service is left behind. The terminal chat runs as a child (``ieum chat``) that ignores
Ctrl+C; the supervisor ends it before stopping the services.
"""

from __future__ import annotations

import functools
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from core.settings import Settings
from ieum import messages
from ieum.stack import (
    Stack,
    StackError,
    StackStopped,
    checkin_worker_service,
    console_service,
    conversation_services,
    die_with_parent,
)
from ieum.stack import logger as stack_logger
from staff.first_admin import first_admin
from staff.messages import console_address

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
WAIT_SECONDS = 0.2
CHAT_STOP_SECONDS = 5.0
LOG_FORMAT = "%(asctime)s %(levelname)s %(message)s"


class StopSignals:
    """Turns the first stop signal into a stop request of the stack and ignores the rest."""

    def __init__(self, stack: Stack) -> None:
        self._stack = stack
        self.received: int | None = None

    def install(self) -> None:
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.received is None:
            self.received = signum
            self._stack.request_stop()


def run_command(settings: Settings) -> int:
    chatting = sys.stdin.isatty()
    # Beside the terminal chat, supervisor events go to the log only, not amid the talk.
    log_supervision(settings.log_dir, to_stderr=not chatting)
    sign_in = first_admin(settings)
    services = [
        *conversation_services(settings),
        console_service(settings),
        checkin_worker_service(settings),
    ]
    stack = Stack(services, settings.log_dir)
    chat_env = settings.as_env() if chatting else None
    return supervise(stack, where_to_talk(settings, sign_in), chat_env)


def log_supervision(log_dir: Path, *, to_stderr: bool) -> None:
    """The supervisor's events (logger ``ieum.stack``) to ``supervisor.log``, and to
    stderr when asked."""
    log_dir.mkdir(parents=True, exist_ok=True)
    stack_logger.setLevel(logging.INFO)
    handlers: list[logging.Handler] = [logging.FileHandler(log_dir / "supervisor.log")]
    if to_stderr:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        stack_logger.addHandler(handler)


def supervise(stack: Stack, ready_text: str, chat_env: dict[str, str] | None) -> int:
    """Start ``stack`` and keep it up until a stop signal, or until the terminal chat
    (run with ``chat_env`` when given) ends; then stop everything. The exit status."""
    signals = StopSignals(stack)
    signals.install()
    print(messages.RUN_STARTING, flush=True)
    try:
        stack.start()
    except StackStopped:
        print(messages.RUN_STOPPED, flush=True)
        return 0
    except StackError as error:
        print(messages.RUN_FAILED.format(detail=error), file=sys.stderr)
        return 1
    chat: subprocess.Popen[bytes] | None = None
    try:
        print(ready_text, flush=True)
        if chat_env is not None:
            chat = start_chat(chat_env)
        while signals.received is None and (chat is None or chat.poll() is None):
            time.sleep(WAIT_SECONDS)
    finally:
        if chat is not None:
            end_chat(chat)
            print()  # ends the line the chat's prompt left open
        print(messages.RUN_STOPPING, flush=True)
        stack.stop()
    print(messages.RUN_STOPPED, flush=True)
    return 0


def start_chat(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``ieum chat`` in this terminal, reading the same settings as the services."""
    return subprocess.Popen(
        [sys.executable, "-m", "ieum.cli", "chat"],
        env={**os.environ, **env},
        preexec_fn=functools.partial(_chat_child, os.getpid()),
    )


def _chat_child(parent: int) -> None:
    # Ctrl+C reaches the whole foreground group; stopping is the supervisor's to decide.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)


def end_chat(chat: subprocess.Popen[bytes]) -> None:
    # The chat waits on a thread blocked in input(): only a signal ends it promptly.
    chat.terminate()
    try:
        chat.wait(CHAT_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        chat.kill()
        chat.wait()


def where_to_talk(settings: Settings, staff_sign_in: str) -> str:
    lines = [messages.RUN_READY]
    if settings.telegram_token:
        lines.append(messages.RUN_TELEGRAM)
    else:
        lines.append(messages.RUN_WEBCHAT.format(port=settings.webchat_port))
    lines.append(console_address(settings.staff_host, settings.staff_port))
    lines.append(staff_sign_in)
    lines.append(messages.RUN_TERMINAL)
    lines.append(messages.RUN_LOGS.format(path=settings.log_dir))
    return "\n".join(lines)
