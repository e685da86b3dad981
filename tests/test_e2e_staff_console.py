"""A 동 worker's day, end to end: a citizen reports a neighbour in Telegram (the Bot API
emulator, the real bot, Rasa and the action server); the worker signs in to the console in
chromium, finds the report in the queue, opens it, replies (the citizen's chat receives
it), moves it through its statuses and closes it with an outcome.

Screenshots go to the test's tmp dir; with ``IEUM_SCREENSHOTS=docs/images`` the README's
console screenshots are written there as well.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
import uvicorn
from argon2 import PasswordHasher
from playwright.async_api import Page, async_playwright, expect

from actions import messages as chat_messages
from cases.db import create_db_engine
from cases.messages import STATUS_LABELS
from cases.policy import load_policy
from cases.service import case_services
from ieum.emulated_stack import Chat, free_port
from staff import messages
from staff.app import create_app
from tests.e2e_fixtures import E2E_MARKS, RunningStack
from tests.test_e2e_reports import HWAGOK1, RECEIPT, to_summary
from tests.test_webchat_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [*E2E_MARKS, pytest.mark.browser]

LOGIN = "hwagok1.kim"
PASSWORD = "화곡1동 복지팀 비밀번호"
REPLY = "연락 주셔서 고맙습니다. 오늘 오후에 직접 찾아뵙겠습니다."


@pytest_asyncio.fixture(loop_scope="session")
async def console_url(running_stack: RunningStack) -> AsyncIterator[str]:
    """The console on the stack's database, delivering replies through the emulator, with
    one worker of 화곡1동."""
    settings = running_stack.settings.model_copy(update={"staff_queue_refresh_seconds": 0.5})
    engine = create_db_engine(settings.database_url)
    services = case_services(engine, password_hasher=PasswordHasher(1, 8, 1))
    if services.staff.get(LOGIN) is None:
        services.staff.create_user(
            LOGIN, role="worker", areas=[HWAGOK1], password=PASSWORD, actor="test"
        )
    port = free_port()
    app = create_app(settings, services, deliver=True)
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await serving
    engine.dispose()


@pytest_asyncio.fixture(loop_scope="session")
async def laptop() -> AsyncIterator[Page]:
    assert Path(CHROMIUM).exists(), "chromium is missing: run make setup (apt-get install)"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1280, "height": 860}, locale="ko-KR")
        page.set_default_timeout(15_000)
        yield page
        await browser.close()


async def screenshot(page: Page, tmp_path: Path, name: str) -> None:
    await page.screenshot(path=tmp_path / name, full_page=True)
    shared = os.environ.get("IEUM_SCREENSHOTS")
    if shared:
        await page.screenshot(path=Path(shared) / f"staff-{name}", full_page=True)


async def test_a_worker_answers_and_closes_a_report_made_in_telegram(
    running_stack: RunningStack, console_url: str, laptop: Page, tmp_path: Path
) -> None:
    chat = Chat(running_stack.emulator, 7301)
    summary = await to_summary(chat)
    filed = await chat.press(summary, chat_messages.REPORT_CONFIRM_BUTTON)
    receipt = RECEIPT.search(filed.text)
    assert receipt is not None, filed.text

    [case] = [c for c in running_stack.escalations(chat.sender) if c.kind == "report"]

    page = laptop
    await page.goto(console_url)
    await page.get_by_label(messages.LOGIN_FIELD).fill(LOGIN)
    await page.get_by_label(messages.PASSWORD_FIELD).fill(PASSWORD)
    await page.keyboard.press("Enter")
    row = page.locator("tr", has=page.locator(f"a[href='/cases/{case.id}']"))
    await expect(row).to_contain_text("화곡1동")
    await screenshot(page, tmp_path, "queue.png")

    await row.locator(f"a[href='/cases/{case.id}']").first.click()
    await expect(page.get_by_text(receipt.group(1))).to_be_visible()

    await page.locator("#reply-text").fill(REPLY)
    await page.get_by_role("button", name=messages.REPLY_BUTTON).click()
    received = await chat.user.receive_one(timeout=20)
    assert received.text == messages.reply_to_citizen(REPLY)
    await page.reload()
    await expect(page.get_by_text(REPLY).first).to_be_visible()
    await screenshot(page, tmp_path, "case.png")

    for step in ("assigned", "contacted", "visited"):
        await page.locator("#next-status").select_option(step)
        await page.get_by_role("button", name=messages.STATUS_BUTTON).click()
        await expect(page.locator("dd", has_text=STATUS_LABELS[step]).first).to_be_visible()
    await page.locator("#next-status").select_option("closed")
    await page.locator("#outcome").select_option("service_linked")
    await page.get_by_role("button", name=messages.STATUS_BUTTON).click()
    outcome = load_policy().outcomes["service_linked"]
    await expect(page.get_by_text(outcome).first).to_be_visible()

    [closed] = [c for c in running_stack.escalations(chat.sender) if c.kind == "report"]
    assert (closed.status, closed.outcome) == ("closed", "service_linked")
    asked = await chat.say(f"접수번호 {receipt.group(1)} 어떻게 됐어요?")
    assert re.search(r"지금 단계: \S+", asked.text), asked.text
    assert REPLY not in asked.text and "010" not in asked.text
