"""The Telegram front, the real python-telegram-bot Application against the Bot API emulator
and a fake Rasa: what a user does in Telegram and what reaches Rasa."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

from bot import messages
from bot.checkin_sender import TelegramCheckinSender
from bot.gateway import checkin_answer_message
from core.privacy import MASK
from core.settings import Settings
from ieum.telegram_emulator import BotApiEmulator
from tests.bot_fixtures import running_bot
from tests.fake_rasa import GREETING, PARTIAL, FakeRasa


async def test_start_payload_goes_to_rasa_and_menu_becomes_a_keyboard(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    user = emulator.user(1001)
    await user.command("start", "gu-office_42")
    greeting = await user.receive_one()
    assert fake_rasa.received[-1].message == '/greet{"start_payload": "gu-office_42"}'
    assert fake_rasa.received[-1].sender == "telegram-1001"
    assert fake_rasa.received[-1].metadata["channel"] == "telegram"
    assert greeting.text == GREETING
    assert greeting.buttons == [
        ("받을 수 있는 지원 찾기", "/find_benefits"),
        ("담당자와 이야기하기", "/request_human"),
    ]


async def test_start_without_payload_sends_an_empty_one(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    user = emulator.user(1002)
    await user.command("start")
    await user.receive_one()
    assert fake_rasa.received[-1].message == '/greet{"start_payload": ""}'


async def test_text_is_answered(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    user = emulator.user(1003)
    await user.say("기초연금 어떻게 신청해요")
    reply = await user.receive_one()
    assert reply.text == "1번째 말씀: 기초연금 어떻게 신청해요"
    assert reply.reply_markup is None
    assert "sendChatAction" not in emulator.calls, "a quick answer needs no typing indicator"


async def test_a_slow_answer_shows_typing_first(
    bot_settings: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    fake_rasa.thinking_seconds = 0.8
    settings = bot_settings.model_copy(update={"bot_typing_after_seconds": 0.2})
    async with running_bot(settings):
        user = emulator.user(1021)
        await user.say("기초연금 어떻게 신청해요")
        reply = await user.receive_one()
    assert reply.text == "1번째 말씀: 기초연금 어떻게 신청해요"
    assert emulator.calls.count("sendChatAction") == 1
    assert emulator.calls.index("sendChatAction") < emulator.calls.index("sendMessage")


async def test_button_press_sends_its_payload_once(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    user = emulator.user(1004)
    await user.command("start")
    menu = await user.receive_one()
    shown = dict(menu.buttons)
    await user.press(menu, "받을 수 있는 지원 찾기")
    answer = await user.receive_one()
    assert fake_rasa.messages_from("telegram-1004")[-1] == "/find_benefits"
    assert answer.text == "2번째 말씀: /find_benefits"
    assert emulator.answered_callbacks, "the callback query was not answered"
    assert emulator.edited_markups == [(1004, menu.message_id, None)]

    # A double tap on the same keyboard must not answer the next question as well.
    await user.press_data(menu, shown["담당자와 이야기하기"])
    await user.expect_nothing()
    assert len(fake_rasa.messages_from("telegram-1004")) == 2
    assert len(emulator.answered_callbacks) == 2


async def test_payload_longer_than_callback_data_goes_through_redis(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    long_payload = '/ask_program{"program":"' + "노인맞춤돌봄서비스" * 4 + '"}'
    fake_rasa.canned["질문"] = [
        {"text": "어느 것이 궁금하세요?", "buttons": [{"title": "돌봄", "payload": long_payload}]}
    ]
    user = emulator.user(1005)
    await user.say("질문")
    offer = await user.receive_one()
    data = dict(offer.buttons)["돌봄"]
    assert len(data.encode()) <= 64
    await user.press(offer, "돌봄")
    await user.receive_one()
    assert fake_rasa.messages_from("telegram-1005")[-1] == long_payload


async def test_location_is_sent_as_a_region(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    user = emulator.user(1006)
    await user.share_location(37.5665, 126.978)
    await user.receive_one()
    received = fake_rasa.received[-1]
    assert received.message == '/inform{"region": "37.566500,126.978000"}'
    assert received.metadata["location"] == {"latitude": 37.5665, "longitude": 126.978}


async def test_rrn_is_masked_before_rasa_and_the_user_is_told(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    user = emulator.user(1007)
    await user.say("제 주민번호는 800101-1234567 이에요")
    notice, reply = await user.receive(2)
    sent_to_rasa = fake_rasa.received[-1]
    assert "1234567" not in sent_to_rasa.message and MASK in sent_to_rasa.message
    assert sent_to_rasa.metadata["rrn_masked"] is True
    assert notice.text == messages.RRN_NOTICE
    assert "1234567" not in reply.text


async def test_help_privacy_and_unknown_commands_are_answered_locally(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    user = emulator.user(1008)
    await user.command("help")
    assert (await user.receive_one()).text == messages.HELP
    await user.command("privacy")
    assert (await user.receive_one()).text == messages.PRIVACY
    await user.command("greet")
    assert (await user.receive_one()).text == messages.UNKNOWN_COMMAND
    assert fake_rasa.received == []
    assert [c["command"] for c in emulator.commands] == list(messages.COMMANDS)


async def test_typed_text_cannot_pose_as_a_button(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    user = emulator.user(1009)
    await user.say('/한글{"choice":"x"}')
    await user.receive_one()
    assert fake_rasa.received[-1].message == '한글{"choice":"x"}'


async def test_a_photo_is_saved_privately_and_rasa_gets_only_its_path(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    user = emulator.user(1031)
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 512
    await user.send_photo(jpeg)
    await user.receive_one()
    sent = fake_rasa.received[-1].message
    path = re.fullmatch(r'/inform\{"choice": "photo:(\d{4}-\d{2}/[0-9a-f]{32}\.jpg)"\}', sent)
    assert path is not None, sent
    assert (polling_bot.report_photos_dir / path.group(1)).read_bytes() == jpeg

    await user.send_photo(b"GIF89a" + b"\x00" * 64)
    assert (await user.receive_one()).text == messages.PHOTO_NOT_TAKEN
    assert len(fake_rasa.received) == 1, "what is not a JPEG or PNG never reaches Rasa"


async def test_voice_gets_a_polite_answer(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    user = emulator.user(1010)
    voice = {"file_id": "v1", "file_unique_id": "v1", "duration": 4}
    await emulator.push(emulator.message_update(1010, "순자", voice=voice))
    assert (await user.receive_one()).text == messages.UNSUPPORTED_MESSAGE
    assert fake_rasa.received == []


async def test_a_message_rasa_could_not_answer_is_answered_once_it_is_back(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    fake_rasa.failing = True
    user = emulator.user(1011)
    await user.say("기초연금 문의요")
    assert (await user.receive_one()).text == messages.ANSWER_LATER
    await user.say("여보세요")
    assert (await user.receive_one()).text == messages.STILL_ANSWERING
    fake_rasa.failing = False
    late = await user.receive(2, timeout=15)
    assert [m.text for m in late] == ["1번째 말씀: 기초연금 문의요", "2번째 말씀: 여보세요"]


async def test_half_an_answer_is_shown_and_the_rest_comes_later(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    """The action server is down: Rasa's own words go out at once, with an honest note."""
    fake_rasa.actions_down = True
    user = emulator.user(1013)
    await user.say("불이 난 것 같아요")
    first = await user.receive(2)
    assert [m.text for m in first] == [PARTIAL, messages.ANSWER_LATER]
    fake_rasa.actions_down = False
    [late] = await user.receive(1, timeout=15)
    assert late.text == "2번째 말씀: 불이 난 것 같아요"


async def test_after_many_failures_the_citizen_is_told_to_call(
    bot_settings: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    settings = bot_settings.model_copy(update={"pending_max_attempts": 2})
    fake_rasa.failing = True
    async with running_bot(settings):
        user = emulator.user(1014)
        await user.say("안녕하세요")
        assert (await user.receive_one()).text == messages.ANSWER_LATER
        [given_up] = await user.receive(1, timeout=15)
        assert given_up.text == messages.GAVE_UP


async def test_user_over_the_rate_limit_is_told_once(
    bot_settings: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    settings = bot_settings.model_copy(update={"user_rate_burst": 2, "user_rate_per_minute": 1})
    async with running_bot(settings):
        user = emulator.user(1012)
        for text in ("하나", "둘", "셋", "넷"):
            await user.say(text)
        replies = await user.receive(3)
        await user.expect_nothing()
        other = emulator.user(1013)
        await other.say("안녕하세요")
        assert (await other.receive_one()).text == "1번째 말씀: 안녕하세요"
    assert [r.text for r in replies] == [
        "1번째 말씀: 하나",
        "2번째 말씀: 둘",
        messages.RATE_LIMITED,
    ]
    assert fake_rasa.messages_from("telegram-1012") == ["하나", "둘"]


async def test_a_check_in_button_reaches_rasa_as_the_answer_it_is(
    polling_bot: Settings, emulator: BotApiEmulator, fake_rasa: FakeRasa
) -> None:
    user = emulator.user(1031)
    checkin = await asyncio.to_thread(
        TelegramCheckinSender(emulator.url, emulator.token).send,
        "1031",
        "순자님, 안녕하세요.",
        (CheckinButton("잘 지내요", "ck:7:ok"), CheckinButton("전화해 주세요", "ck:7:call_me")),
    )
    sent = await user.receive_one()
    assert str(sent.message_id) == checkin
    await user.press(sent, "전화해 주세요")
    await user.receive_one()
    assert fake_rasa.received[-1].message == (
        '/checkin_need_help{"checkin_payload": "ck:7:call_me"}'
    )
    assert checkin_answer_message("ck:7:ok") == '/checkin_ok{"checkin_payload": "ck:7:ok"}'
    assert checkin_answer_message("/find_benefits") is None


@dataclass(frozen=True)
class CheckinButton:
    label: str
    payload: str
