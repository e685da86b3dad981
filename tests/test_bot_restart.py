"""Bot processes keep no conversation state: a new Application carries on a conversation,
resolves buttons and retries replies that an earlier process left behind."""

from __future__ import annotations

from core.settings import Settings
from ieum.telegram_emulator import BotApiEmulator
from tests.bot_fixtures import running_bot
from tests.fake_rasa import FakeRasa

LONG_PAYLOAD = '/ask_program{"program":"' + "장기요양등급신청" * 5 + '"}'


async def test_a_new_process_continues_the_conversation(
    bot_settings: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    fake_rasa.canned["질문"] = [
        {"text": "이것이 궁금하세요?", "buttons": [{"title": "장기요양", "payload": LONG_PAYLOAD}]}
    ]
    user = emulator.user(4001)
    async with running_bot(bot_settings):
        await user.say("안녕하세요")
        await user.receive_one()
        await user.say("질문")
        offer = await user.receive_one()

    async with running_bot(bot_settings.model_copy()):
        await user.press(offer, "장기요양")
        await user.receive_one()
        await user.say("계속할게요")
        reply = await user.receive_one()

    assert fake_rasa.messages_from("telegram-4001") == [
        "안녕하세요",
        "질문",
        LONG_PAYLOAD,
        "계속할게요",
    ]
    assert reply.text == "4번째 말씀: 계속할게요"


async def test_a_reply_left_in_the_outbox_is_sent_by_the_next_process(
    bot_settings: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    emulator.fail_next_sends(1)
    user = emulator.user(4002)
    patient = bot_settings.model_copy(update={"outbox_retry_seconds": 1.0})
    async with running_bot(patient):
        await user.say("안녕하세요")
        assert await emulator.wait_until(lambda: emulator.failed_sends == 1, 10)
    assert not [m for m in emulator.sent if m.chat_id == 4002]

    async with running_bot(bot_settings):
        reply = await user.receive_one(timeout=10)
    assert reply.text == "1번째 말씀: 안녕하세요"
