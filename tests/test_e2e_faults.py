"""A part of the stack dies mid-conversation: the citizen gets an honest apology at once
and the answer once the supervisor has brought the part back; nothing they said is lost.

Each test kills one process of the session's stack with SIGKILL (no goodbye), as a crash
or the OOM killer would, and waits for ``ieum.stack``'s supervisor to restart it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time

from bot import messages as bot_messages
from ieum.emulated_stack import Chat, receive_turn
from tests.e2e_fixtures import E2E_MARKS, RunningStack, user_texts

pytestmark = E2E_MARKS

MOTHER_ALONE = "어머니가 혼자 사시는데 받을 수 있는 지원이 있을까요"
RESTART_SECONDS = 300.0  # Rasa loads and warms its model again; the bot retries with backoff


def kill(stack: RunningStack, name: str) -> int:
    """SIGKILL a service's whole process group; its pid."""
    pid = stack.running.stack.processes[name].pid
    os.killpg(pid, signal.SIGKILL)
    return pid


async def restarted(stack: RunningStack, name: str, old_pid: int) -> int:
    """The pid of the process the supervisor started in place of ``old_pid``."""
    deadline = time.monotonic() + RESTART_SECONDS
    while time.monotonic() < deadline:
        process = stack.running.stack.processes.get(name)
        if process is not None and process.pid != old_pid and process.poll() is None:
            return process.pid
        await asyncio.sleep(0.5)
    raise AssertionError(f"{name} was not restarted")


async def test_the_action_server_dies_mid_finder(running_stack: RunningStack) -> None:
    chat = Chat(running_stack.emulator, 7101)
    first = await chat.say(MOTHER_ALONE)
    assert first.asked() == ["age"], first.text
    old = kill(running_stack, "actions")

    apology = await chat.say("여든이세요")
    assert bot_messages.ANSWER_LATER in apology.text, apology.text
    late = await receive_turn(chat.user, RESTART_SECONDS)
    assert late.asked() and late.asked() != ["age"], late.text
    await restarted(running_stack, "actions", old)
    assert running_stack.tracker(chat.sender)["slots"]["profile"]["age"] == 80


async def test_rasa_dies_mid_conversation(running_stack: RunningStack) -> None:
    chat = Chat(running_stack.emulator, 7102)
    await chat.say("안녕하세요")
    old = kill(running_stack, "rasa")

    apology = await chat.say("기초연금 어디서 신청해요")
    assert apology.text == bot_messages.ANSWER_LATER
    late = await receive_turn(chat.user, RESTART_SECONDS)
    assert late.text.startswith("[기초연금]"), late.text
    await restarted(running_stack, "rasa", old)
    assert "기초연금 어디서 신청해요" in user_texts(running_stack.tracker(chat.sender))


async def test_the_bot_dies_and_what_was_sent_meanwhile_is_answered(
    running_stack: RunningStack,
) -> None:
    chat = Chat(running_stack.emulator, 7103)
    await chat.say("안녕하세요")
    old = kill(running_stack, "bot")
    await chat.user.say("받을 수 있는 지원 찾아 주세요")  # Telegram keeps it for the bot
    answer = await receive_turn(chat.user, RESTART_SECONDS)
    assert answer.asked(), answer.text
    await restarted(running_stack, "bot", old)
