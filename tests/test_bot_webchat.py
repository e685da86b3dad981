"""The local web chat: the page, and the JSON endpoint through the gateway to (fake) Rasa."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator

import httpx
import pytest

from bot import messages, webchat
from core.privacy import MASK
from core.settings import Settings
from tests.fake_rasa import GREETING, MENU, FakeRasa

SENDER = "3f2a9c1d0b7e4a55"


@pytest.fixture
async def web(bot_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    stop, ready = asyncio.Event(), asyncio.Event()
    serving = asyncio.create_task(webchat.serve(bot_settings, stop, ready))
    await asyncio.wait_for(ready.wait(), 10)
    base_url = f"http://127.0.0.1:{bot_settings.webchat_port}"
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        yield client
    stop.set()
    await serving


async def test_page_is_served_in_korean(web: httpx.AsyncClient) -> None:
    page = await web.get("/")
    assert page.status_code == 200
    assert messages.WEBCHAT_PAGE["title"] in page.text
    assert "{{" not in page.text
    assert "localStorage" in page.text


async def test_text_and_button_payload_round_trip(
    web: httpx.AsyncClient, fake_rasa: FakeRasa
) -> None:
    fake_rasa.canned["안녕하세요"] = [{"text": GREETING, "buttons": MENU}]
    first = await web.post("/api/message", json={"sender": SENDER, "text": "안녕하세요"})
    assert first.json() == {"messages": [{"text": GREETING, "buttons": MENU}], "waiting": False}
    second = await web.post("/api/message", json={"sender": SENDER, "payload": "/find_benefits"})
    assert second.json()["messages"][0]["text"] == "2번째 말씀: /find_benefits"
    assert fake_rasa.messages_from(f"webchat-{SENDER}") == ["안녕하세요", "/find_benefits"]
    assert fake_rasa.received[-1].metadata["channel"] == "webchat"


async def test_start_greets_with_the_menu(web: httpx.AsyncClient, fake_rasa: FakeRasa) -> None:
    response = await web.post("/api/start", json={"sender": SENDER})
    assert response.json() == {"messages": [{"text": GREETING, "buttons": MENU}], "waiting": False}
    again = await web.post("/api/start", json={"sender": SENDER})  # a reload greets again
    assert again.json() == response.json()
    greet = '/greet{"start_payload": ""}'
    assert fake_rasa.messages_from(f"webchat-{SENDER}") == [greet, greet]
    assert fake_rasa.received[-1].metadata["channel"] == "webchat"


async def test_page_wording_comes_from_messages(web: httpx.AsyncClient) -> None:
    page = (await web.get("/")).text
    for text in messages.WEBCHAT_PAGE.values():
        assert html.escape(text) in page
    assert 'lang="ko"' in page
    assert 'aria-live="polite"' in page
    assert "innerHTML" not in page


async def test_rrn_is_masked_and_the_user_is_told(
    web: httpx.AsyncClient, fake_rasa: FakeRasa
) -> None:
    response = await web.post(
        "/api/message", json={"sender": SENDER, "text": "주민번호 8001011234567 입니다"}
    )
    notice, reply = response.json()["messages"]
    assert notice["text"] == messages.RRN_NOTICE
    assert MASK in fake_rasa.received[-1].message
    assert "1234567" not in reply["text"]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ('{"sender": "3f2a9c1d0b7e4a55", "text": "안녕"}', "text/plain", 415),
        ('{"sender": "../x", "text": "안녕"}', "application/json", 400),
        ('{"sender": "3f2a9c1d0b7e4a55"}', "application/json", 400),
        ('{"sender": "3f2a9c1d0b7e4a55", "text": 7}', "application/json", 400),
        ("not json", "application/json", 400),
        ('["list"]', "application/json", 400),
    ],
)
async def test_bad_requests_are_refused(
    web: httpx.AsyncClient, fake_rasa: FakeRasa, body: str, content_type: str, status: int
) -> None:
    response = await web.post(
        "/api/message", content=body.encode(), headers={"Content-Type": content_type}
    )
    assert response.status_code == status
    assert fake_rasa.received == []


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ('{"sender": "3f2a9c1d0b7e4a55"}', "text/plain", 415),
        ('{"sender": "../x"}', "application/json", 400),
        ("{}", "application/json", 400),
        ("not json", "application/json", 400),
    ],
)
async def test_bad_starts_are_refused(
    web: httpx.AsyncClient, fake_rasa: FakeRasa, body: str, content_type: str, status: int
) -> None:
    response = await web.post(
        "/api/start", content=body.encode(), headers={"Content-Type": content_type}
    )
    assert response.status_code == status
    assert fake_rasa.received == []


async def test_a_message_kept_while_rasa_is_down_is_answered_on_the_page_later(
    web: httpx.AsyncClient, fake_rasa: FakeRasa
) -> None:
    fake_rasa.failing = True
    first = await web.post("/api/message", json={"sender": SENDER, "text": "의료급여 문의"})
    assert first.json() == {
        "messages": [{"text": messages.ANSWER_LATER, "buttons": []}],
        "waiting": True,
    }
    fake_rasa.failing = False
    late: list[dict[str, object]] = []
    for _ in range(50):
        answer = (await web.post("/api/replies", json={"sender": SENDER})).json()
        late += answer["messages"]
        if late and not answer["waiting"]:
            break
        await asyncio.sleep(0.2)
    assert late == [{"text": "1번째 말씀: 의료급여 문의", "buttons": []}]
    again = (await web.post("/api/replies", json={"sender": SENDER})).json()
    assert again == {"messages": [], "waiting": False}, "a late answer is given once"
