"""Webhook mode: Telegram posts updates with the secret-token header the bot registered;
posts without it, or with a wrong one, are refused and never reach Rasa."""

from __future__ import annotations

import aiohttp

from core.settings import Settings
from ieum.emulated_stack import free_port
from ieum.telegram_emulator import SECRET_HEADER, BotApiEmulator
from tests.bot_fixtures import running_bot
from tests.fake_rasa import FakeRasa


def webhook_settings(settings: Settings, secret: str = "") -> Settings:
    port = free_port()
    return settings.model_copy(
        update={
            "telegram_webhook_url": f"http://127.0.0.1:{port}/telegram/hook",
            "telegram_webhook_port": port,
            "telegram_webhook_secret": secret,
        }
    )


async def test_webhook_updates_with_the_secret_are_answered(
    bot_settings: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    settings = webhook_settings(bot_settings, secret="s3cret-token_1")
    async with running_bot(settings):
        assert emulator.webhook_url == settings.telegram_webhook_url
        assert emulator.webhook_secret == "s3cret-token_1"
        user = emulator.user(3001)
        await user.say("안녕하세요")
        assert (await user.receive_one()).text == "1번째 말씀: 안녕하세요"
    assert emulator.webhook_statuses == [200]
    assert "getUpdates" not in emulator.calls


async def test_webhook_refuses_a_wrong_or_missing_secret(
    bot_settings: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    settings = webhook_settings(bot_settings, secret="s3cret-token_1")
    forged = {"update_id": 99, **emulator.message_update(3002, "순자", text="가짜 메시지")}
    async with running_bot(settings), aiohttp.ClientSession() as session:
        for headers in ({SECRET_HEADER: "wrong"}, {}):
            async with session.post(
                settings.telegram_webhook_url, json=forged, headers=headers
            ) as response:
                assert response.status == 403
        await emulator.user(3002).expect_nothing()
    assert fake_rasa.received == []


async def test_webhook_secret_is_generated_and_kept_when_not_configured(
    bot_settings: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    settings = webhook_settings(bot_settings)
    async with running_bot(settings):
        stored = (settings.data_dir / "secrets" / "telegram_webhook_secret").read_text()
        assert emulator.webhook_secret == stored
        user = emulator.user(3003)
        await user.say("안녕하세요")
        await user.receive_one()
