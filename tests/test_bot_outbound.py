"""Outbound messages: Rasa phrases them through trigger_intent, the bot delivers them."""

from __future__ import annotations

import pytest

from bot.outbound import NotReachable, open_outbound
from core.settings import Settings
from ieum.telegram_emulator import BotApiEmulator
from tests.fake_rasa import FakeRasa


async def test_checkin_is_phrased_by_rasa_and_its_button_answers_back(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    async with open_outbound(polling_bot) as outbound:
        sent = await outbound.send("telegram-5001", "checkin_prompt", {"relation": "본인"})
    assert sent == 1
    triggered = fake_rasa.triggered[-1]
    assert triggered["sender"] == "telegram-5001"
    assert triggered["name"] == "checkin_prompt"
    assert triggered["entities"] == {"relation": "본인"}
    assert triggered["query"]["output_channel"] == "ieum"
    assert triggered["query"]["include_events"] == "NONE"

    user = emulator.user(5001)
    checkin = await user.receive_one()
    assert checkin.text.startswith("checkin_prompt")
    await user.press(checkin, "잘 지내요")
    await user.receive_one()
    assert fake_rasa.messages_from("telegram-5001") == ["/checkin_ok"]


async def test_web_and_terminal_conversations_cannot_be_reached(
    bot_settings: Settings, fake_rasa: FakeRasa
) -> None:
    async with open_outbound(bot_settings) as outbound:
        with pytest.raises(NotReachable):
            await outbound.send("webchat-0123456789", "checkin_prompt")
    assert fake_rasa.triggered == []
