"""``python -m bot`` as a process: Telegram when a token is set, the web chat otherwise;
both stop cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import httpx

from bot import messages
from core.settings import Settings
from ieum.telegram_emulator import BotApiEmulator
from tests.fake_rasa import GREETING, FakeRasa


async def start_bot(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, **env},
    )


async def stop_bot(process: asyncio.subprocess.Process) -> str:
    process.send_signal(signal.SIGTERM)
    output, _ = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, output.decode()
    return output.decode()


async def page_status(url: str, attempts: int = 100) -> int:
    """The status of a page, once the server has come up."""
    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(attempts - 1):
            try:
                return (await client.get(url)).status_code
            except httpx.TransportError:
                await asyncio.sleep(0.2)
        return (await client.get(url)).status_code


async def test_telegram_process_answers_and_stops_on_sigterm(
    bot_settings: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    process = await start_bot(bot_settings.as_env())
    try:
        await emulator.wait_for_call("getUpdates", timeout=30)
        user = emulator.user(6001)
        await user.command("start", "flyer")
        assert (await user.receive_one(timeout=20)).text == GREETING
    finally:
        log = await stop_bot(process)
    assert bot_settings.telegram_token not in log, "the bot token leaked into the log"
    assert "flyer" not in log


async def test_without_a_token_the_web_chat_runs(
    bot_settings: Settings, fake_rasa: FakeRasa
) -> None:
    process = await start_bot({**bot_settings.as_env(), "IEUM_TELEGRAM_TOKEN": ""})
    url = f"http://127.0.0.1:{bot_settings.webchat_port}/"
    try:
        assert await page_status(url) == 200
    finally:
        output = await stop_bot(process)
    assert messages.WEBCHAT_READY.format(port=bot_settings.webchat_port) in output
