"""The web chat in a real browser, at a phone's size, as a 75-year-old would meet it.

Debian's chromium (installed by ``make setup``, never downloaded) drives the page served
by ``bot.webchat`` against the fake Rasa. Screenshots go to the test's tmp dir; with
``IEUM_SCREENSHOTS=docs/images`` the docs screenshot is written there as well.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.async_api import (
    Browser,
    FloatRect,
    Page,
    ViewportSize,
    async_playwright,
    expect,
)

from actions.messages import program_answer
from bot import messages, webchat
from core.settings import Settings
from knowledge.catalog import Catalog
from tests.fake_rasa import GREETING, MENU, FakeRasa

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags chromium hangs on a closed network.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = ViewportSize(width=390, height=844)
PAGE = messages.WEBCHAT_PAGE
GREET = '/greet{"start_payload": ""}'  # what the gateway sends Rasa when the page opens
DOMAIN = Path(__file__).resolve().parents[1] / "nlu" / "domain.yml"


@pytest.fixture
async def chat_url(bot_settings: Settings) -> AsyncIterator[str]:
    stop, ready = asyncio.Event(), asyncio.Event()
    serving = asyncio.create_task(webchat.serve(bot_settings, stop, ready))
    await asyncio.wait_for(ready.wait(), 10)
    yield f"http://127.0.0.1:{bot_settings.webchat_port}/"
    stop.set()
    await serving


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    assert Path(CHROMIUM).exists(), "chromium is missing: run make setup (apt-get install)"
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


@pytest.fixture
async def phone(browser: Browser, chat_url: str) -> AsyncIterator[Page]:
    """The chat page opened on a phone-sized screen."""
    context = await browser.new_context(viewport=PHONE, device_scale_factor=2, locale="ko-KR")
    page = await context.new_page()
    page.set_default_timeout(10_000)
    await page.goto(chat_url)
    yield page
    await context.close()


async def shoot(page: Page, tmp_path: Path, name: str) -> None:
    await page.screenshot(path=tmp_path / f"{name}.png")


async def sender_of(page: Page) -> str:
    sender = await page.evaluate("localStorage.getItem('ieum-sender')")
    assert isinstance(sender, str)
    return f"webchat-{sender}"


async def box(page: Page, selector: str) -> FloatRect:
    found = await page.locator(selector).last.bounding_box()
    assert found is not None, f"{selector} is not displayed"
    return found


async def style(page: Page, selector: str, prop: str) -> str:
    value = await page.locator(selector).first.evaluate(
        "(el, prop) => getComputedStyle(el)[prop]", prop
    )
    assert isinstance(value, str)
    return value


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two computed ``rgb(…)`` colours (opaque ones)."""

    def luminance(colour: str) -> float:
        red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", colour)[:3])

        def linear(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def real_greeting() -> list[dict[str, Any]]:
    """The assistant's real greeting and main menu, from the Rasa domain."""
    greet = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]["utter_greet"][0]
    return [{"text": greet["text"], "buttons": greet["buttons"]}]


def long_answer(catalog: Catalog) -> str:
    """A real program answer, longer than a phone screen."""
    basic_pension = next(p for p in catalog.programs if p.id == "basic_pension")
    return program_answer(basic_pension)


async def send(page: Page, text: str) -> None:
    await page.get_by_label(PAGE["input_label"]).fill(text)
    await page.get_by_label(PAGE["input_label"]).press("Enter")


async def test_greets_on_open_and_again_on_reload(
    phone: Page, fake_rasa: FakeRasa, tmp_path: Path
) -> None:
    await expect(phone.locator(".bubble.bot").first).to_have_text(GREETING)
    for item in MENU:
        await expect(phone.get_by_role("button", name=item["title"])).to_be_visible()
    assert await phone.locator(".bubble.user").count() == 0  # nobody typed anything
    await shoot(phone, tmp_path, "greeting")
    sender = await sender_of(phone)
    await phone.reload()
    await expect(phone.locator(".bubble.bot").first).to_have_text(GREETING)
    assert await sender_of(phone) == sender  # the same conversation, greeted again
    assert fake_rasa.messages_from(sender) == [GREET, GREET]


async def test_long_answer_is_read_from_its_start(
    phone: Page, fake_rasa: FakeRasa, catalog: Catalog, tmp_path: Path
) -> None:
    answer = long_answer(catalog)
    fake_rasa.canned["기초연금 알려 주세요"] = [{"text": answer}]
    await expect(phone.locator(".bubble.bot").first).to_have_text(GREETING)
    fake_rasa.thinking_seconds = 0.6
    await send(phone, "기초연금 알려 주세요")
    # While the reply is on its way: the typing notice shows and sending waits.
    await expect(phone.locator(".typing")).to_have_text(PAGE["typing"])
    await expect(phone.locator("#send")).to_be_disabled()
    reply = phone.locator(".bubble.bot").last
    await expect(reply).to_have_text(answer)
    await expect(phone.locator(".typing")).to_have_count(0)
    await expect(phone.locator("#send")).to_be_enabled()
    await shoot(phone, tmp_path, "long-answer")

    log, top = await box(phone, "#log"), await box(phone, ".bubble.bot")
    assert top["height"] > log["height"], "the answer should be longer than the screen"
    # Its start is at the top of the log, in view; its end is below, to be scrolled to.
    assert log["y"] <= top["y"] <= log["y"] + 30
    assert top["y"] + top["height"] > log["y"] + log["height"]
    # The input and the send button never leave the screen.
    for selector in ("#text", "#send", "#rrn-warning"):
        placed = await box(phone, selector)
        assert placed["y"] >= 0 and placed["y"] + placed["height"] <= PHONE["height"], selector
    assert await phone.evaluate("document.scrollingElement.scrollTop") == 0


async def test_button_press_shows_as_the_users_words(
    phone: Page, fake_rasa: FakeRasa, tmp_path: Path
) -> None:
    title = MENU[0]["title"]
    await phone.get_by_role("button", name=title).click()
    await expect(phone.locator(".bubble.user")).to_have_text([title])
    await expect(phone.locator(".bubble.bot").last).to_have_text(
        f"2번째 말씀: {MENU[0]['payload']}"
    )
    await expect(phone.get_by_role("button", name=title)).to_be_disabled()  # pressed once
    assert fake_rasa.messages_from(await sender_of(phone))[-1] == MENU[0]["payload"]
    await shoot(phone, tmp_path, "button")


async def test_text_is_shown_as_text_with_its_line_breaks(phone: Page, fake_rasa: FakeRasa) -> None:
    typed = '<b>굵게</b> <img src=x onerror="document.title=1">'
    fake_rasa.canned["줄"] = [{"text": "첫째 줄\n<i>둘째</i> 줄"}]
    await expect(phone.locator(".bubble.bot").first).to_have_text(GREETING)
    await send(phone, typed)
    await expect(phone.locator(".bubble.user")).to_have_text([typed])
    await expect(phone.locator(".bubble.bot").last).to_have_text(f"2번째 말씀: {typed}")
    await send(phone, "줄")
    reply = phone.locator(".bubble.bot").last
    await expect(reply).to_have_text("첫째 줄\n<i>둘째</i> 줄")
    assert await reply.evaluate("el => el.innerText") == "첫째 줄\n<i>둘째</i> 줄"
    assert await style(phone, ".bubble.bot", "whiteSpace") == "pre-wrap"
    assert await phone.locator("#log b, #log img, #log i").count() == 0
    assert await phone.title() == PAGE["title"]


async def test_large_clear_and_labelled(phone: Page, tmp_path: Path) -> None:
    await expect(phone.get_by_role("button", name=MENU[0]["title"])).to_be_visible()
    assert float((await style(phone, "body", "fontSize")).removesuffix("px")) >= 20
    for button in await phone.get_by_role("button").all():
        height = (await button.bounding_box() or {"height": 0.0})["height"]
        assert height >= 48, await button.text_content()
    assert await phone.locator("html").get_attribute("lang") == "ko"
    assert await phone.locator("#log").get_attribute("aria-live") == "polite"
    await expect(phone.get_by_label(PAGE["input_label"])).to_be_editable()
    # The 주민등록번호 warning: in view, near the input, dark on amber with a strong label.
    warning = phone.locator("#rrn-warning")
    await expect(warning).to_be_visible()
    await expect(warning).to_contain_text(PAGE["rrn_warning"])
    await expect(warning.locator("strong")).to_have_text(PAGE["rrn_label"])
    colour = await style(phone, "#rrn-warning", "color")
    background = await style(phone, "#rrn-warning", "backgroundColor")
    assert contrast(colour, background) >= 7
    # Keyboard: Tab reaches the menu buttons, and focus is drawn plainly.
    await phone.get_by_role("button", name=MENU[0]["title"]).focus()
    await phone.keyboard.press("Tab")
    focused = phone.get_by_role("button", name=MENU[1]["title"])
    await expect(focused).to_be_focused()
    assert await style(phone, ".buttons button:focus", "outlineStyle") == "solid"
    await shoot(phone, tmp_path, "focus")


async def test_server_failure_keeps_the_text(
    phone: Page, fake_rasa: FakeRasa, tmp_path: Path
) -> None:
    await expect(phone.locator(".bubble.bot").first).to_have_text(GREETING)
    await phone.route("**/api/message", lambda route: route.fulfill(status=500))
    await send(phone, "기초연금 받을 수 있나요?")
    await expect(phone.locator(".bubble.error")).to_have_text(PAGE["error"])
    await expect(phone.get_by_label(PAGE["input_label"])).to_have_value("기초연금 받을 수 있나요?")
    await expect(phone.locator("#send")).to_be_enabled()
    await shoot(phone, tmp_path, "failure")
    await phone.unroute("**/api/message")
    await phone.locator("#send").click()  # the same words, sent again
    await expect(phone.locator(".bubble.bot").last).to_contain_text("기초연금 받을 수 있나요?")
    await expect(phone.get_by_label(PAGE["input_label"])).to_have_value("")


async def test_screenshot_for_docs(
    browser: Browser, chat_url: str, fake_rasa: FakeRasa, catalog: Catalog, tmp_path: Path
) -> None:
    """Two phones side by side: the page as it opens, and a long answer read from its start."""
    fake_rasa.canned[GREET] = real_greeting()
    question = "기초연금은 어떻게 받나요?"
    fake_rasa.canned[question] = [{"text": long_answer(catalog)}]
    context = await browser.new_context(
        viewport={"width": 2 * PHONE["width"] + 72, "height": PHONE["height"] + 48},
        device_scale_factor=1,
        locale="ko-KR",
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    frame = 'width="{width}" height="{height}" style="border:1px solid #888;background:#fff"'
    frame = frame.format(**PHONE)
    # The frame page is made up in the browser, on the chat's own origin.
    side_by_side = (
        '<body style="margin:0;padding:24px;display:flex;gap:24px;background:#d9d4c7">'
        f'<iframe id="opened" src="{chat_url}" {frame}></iframe>'
        f'<iframe id="answered" src="{chat_url}" {frame}></iframe></body>'
    )
    await page.route(
        f"{chat_url}two-phones",
        lambda route: route.fulfill(body=side_by_side, content_type="text/html"),
    )
    await page.goto(f"{chat_url}two-phones")
    opened, answered = page.frame_locator("#opened"), page.frame_locator("#answered")
    greeting = real_greeting()[0]["text"]
    for phone in (opened, answered):
        await expect(phone.locator(".bubble.bot").first).to_have_text(greeting)
    await answered.get_by_label(PAGE["input_label"]).fill(question)
    await answered.get_by_label(PAGE["input_label"]).press("Enter")
    await expect(answered.locator(".bubble.bot").last).to_have_text(long_answer(catalog))
    await page.screenshot(path=tmp_path / "webchat.png")
    if target := os.environ.get("IEUM_SCREENSHOTS"):
        Path(target).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=Path(target) / "webchat.png")
    await context.close()
