"""The `ieum` channel: bearer-token auth, request checks, collected replies."""

from __future__ import annotations

import itertools
import logging
from typing import Any

import pytest
from channels.ieum_channel import WARM_UP_TEXT, IeumInput
from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic

TOKEN = "s3cret-token"
URL = "/webhooks/ieum/webhook"
_app_names = itertools.count()


class EchoBot:
    """Stands in for Rasa's agent: records each message and answers with text and buttons."""

    def __init__(self, has_model: bool = True) -> None:
        self.received: list[UserMessage] = []
        self.parsed: list[str] = []
        self.has_model = has_model
        self.text_before: str | None = None  # a plain text sent before the reply
        self.action_fails = False  # log as Rasa does when a custom action raised

    def is_ready(self) -> bool:
        return self.has_model

    async def parse_message(self, text: str) -> dict[str, Any]:
        self.parsed.append(text)
        return {"text": text, "intent": {"name": "greet", "confidence": 1.0}}

    async def handle_message(self, message: UserMessage) -> None:
        self.received.append(message)
        if self.text_before is not None:
            await message.output_channel.send_text_message(message.sender_id, self.text_before)
        if self.action_fails:
            logging.getLogger("rasa.core.processor").error(
                "Encountered an exception while running action 'action_emergency'."
                "Bot will continue, but the actions events are lost."
            )
        await message.output_channel.send_text_with_buttons(
            message.sender_id,
            f"받았어요: {message.text}",
            [{"title": "혜택 찾기", "payload": "/find_benefits"}],
        )


def make_app(token: str, bot: EchoBot, channel: IeumInput | None = None) -> Sanic:
    """A Sanic app with the channel mounted where `rasa run` mounts it."""
    app = Sanic(f"ieum_channel_test_{next(_app_names)}")
    app.ctx.agent = bot
    register([channel or IeumInput(token)], app, route="/webhooks/")
    return app


def post(app: Sanic, body: Any, headers: dict[str, str] | None = None) -> Any:
    _, response = app.test_client.post(URL, json=body, headers=headers or {})
    return response


@pytest.fixture
def bot() -> EchoBot:
    return EchoBot()


BODY = {"sender": "user-1", "message": "안녕하세요", "metadata": {"chat": 42}}


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"Authorization": ""}],
    ids=["missing", "wrong", "no-bearer-prefix", "empty"],
)
def test_requests_without_the_right_token_are_refused(
    bot: EchoBot, headers: dict[str, str]
) -> None:
    response = post(make_app(TOKEN, bot), BODY, headers)
    assert response.status == 401
    assert not bot.received


def test_an_unconfigured_token_refuses_everything(bot: EchoBot) -> None:
    response = post(make_app("", bot), BODY, {"Authorization": "Bearer anything"})
    assert response.status == 401


def test_the_right_token_gets_the_collected_replies(bot: EchoBot) -> None:
    response = post(make_app(TOKEN, bot), BODY, {"Authorization": f"Bearer {TOKEN}"})
    assert response.status == 200
    assert response.json == [
        {
            "recipient_id": "user-1",
            "text": "받았어요: 안녕하세요",
            "buttons": [{"title": "혜택 찾기", "payload": "/find_benefits"}],
        }
    ]
    (message,) = bot.received
    assert message.sender_id == "user-1"
    assert message.metadata == {"chat": 42}
    assert message.input_channel == "ieum"


def test_a_text_with_blank_lines_stays_one_message(bot: EchoBot) -> None:
    """Rasa's own collector would make three messages of it; the actions chose one."""
    bot.text_before = "찾아봤어요.\n\n1. 기초연금\n· 지원: 월 최대 349,360원\n\n2. 생계급여"
    response = post(make_app(TOKEN, bot), BODY, {"Authorization": f"Bearer {TOKEN}"})
    assert [reply.get("text") for reply in response.json] == [
        bot.text_before,
        "받았어요: 안녕하세요",
    ]


@pytest.mark.parametrize(
    "body",
    [
        ["not", "an", "object"],
        {"message": "hi"},
        {"sender": "u", "metadata": {}},
        {**BODY, "metadata": [1]},
    ],
    ids=["not-object", "no-sender", "no-message", "bad-metadata"],
)
def test_malformed_requests_are_rejected(bot: EchoBot, body: Any) -> None:
    response = post(make_app(TOKEN, bot), body, {"Authorization": f"Bearer {TOKEN}"})
    assert response.status == 400
    assert not bot.received


def test_the_token_comes_from_the_environment(
    bot: EchoBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IEUM_RASA_TOKEN", TOKEN)
    channel = IeumInput.from_credentials(None)
    assert isinstance(channel, IeumInput)
    app = make_app("", bot, channel)
    assert post(app, BODY, {"Authorization": f"Bearer {TOKEN}"}).status == 200
    assert post(app, BODY, {"Authorization": "Bearer other"}).status == 401


def test_health_needs_no_token_and_follows_a_warm_up_parse(bot: EchoBot) -> None:
    _, response = make_app(TOKEN, bot).test_client.get("/webhooks/ieum/")
    assert response.status == 200
    assert bot.parsed == [WARM_UP_TEXT], "the model parses once before the channel is ready"


def test_without_a_model_the_channel_is_not_ready() -> None:
    bot = EchoBot(has_model=False)
    _, response = make_app(TOKEN, bot).test_client.get("/webhooks/ieum/")
    assert response.status == 503
    assert bot.parsed == []


def test_a_turn_whose_action_failed_is_marked_incomplete(bot: EchoBot) -> None:
    app = make_app(TOKEN, bot)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    bot.text_before = "지금 위험하시면 119로 전화해 주세요."
    bot.action_fails = True
    failed = post(app, BODY, auth)
    assert failed.status == 200
    assert failed.headers.get("X-Ieum-Incomplete") == "1"
    assert failed.json[0]["text"] == bot.text_before, "what was said is still returned"
    bot.action_fails = False
    whole = post(app, BODY, auth)
    assert "X-Ieum-Incomplete" not in whole.headers, "the next turn is judged on its own"
