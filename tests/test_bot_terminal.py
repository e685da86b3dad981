"""``ieum chat`` as a user runs it: a real process reading stdin, through the gateway."""

from __future__ import annotations

import asyncio
import os
import sys

from bot import messages
from core.settings import Settings
from tests.fake_rasa import GREETING, FakeRasa


async def run_chat(settings: Settings, typed: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "ieum.cli",
        "chat",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, **settings.as_env()},
    )
    output, _ = await asyncio.wait_for(process.communicate(typed.encode()), 60)
    return process.returncode or 0, output.decode()


async def test_chat_shows_numbered_buttons_and_a_number_presses_one(
    bot_settings: Settings, fake_rasa: FakeRasa
) -> None:
    code, output = await run_chat(bot_settings, "1\n어머니가 받을 수 있는 지원\n\n")
    assert code == 0, output
    assert messages.TERMINAL_BANNER in output
    assert GREETING in output
    assert "1) 받을 수 있는 지원 찾기" in output
    assert "2) 담당자와 이야기하기" in output
    assert "3번째 말씀: 어머니가 받을 수 있는 지원" in output
    assert messages.TERMINAL_BYE in output
    [sender] = {item.sender for item in fake_rasa.received}
    assert sender.startswith("terminal-")
    assert fake_rasa.messages_from(sender) == [
        '/greet{"start_payload": ""}',
        "/find_benefits",
        "어머니가 받을 수 있는 지원",
    ]


async def test_chat_ends_at_end_of_input(bot_settings: Settings, fake_rasa: FakeRasa) -> None:
    code, output = await run_chat(bot_settings, "안녕하세요\n")
    assert code == 0, output
    assert "2번째 말씀: 안녕하세요" in output
