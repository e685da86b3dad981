"""The staff console in a real browser, as a 동 centre's worker meets it on a laptop: sign
in with the keyboard, a queue that updates itself, a report's markup shown as text, a
note added without the mouse, and a focus ring that can be seen.

Debian's chromium (installed by ``make setup``, never downloaded) drives the console
served by uvicorn in this event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn
from playwright.async_api import Browser, Dialog, Page, async_playwright, expect

from cases.access import Viewer
from cases.service import CaseServices
from core.settings import Settings
from ieum.emulated_stack import free_port
from staff import messages
from staff.app import create_app
from tests.case_fixtures import SetClock, draft, file
from tests.staff_fixtures import PASSWORD
from tests.test_webchat_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MARKUP = "<script>alert('x')</script>"


@pytest.fixture
async def console_url(
    console_settings: Settings, services: CaseServices, clock: SetClock
) -> AsyncIterator[str]:
    settings = console_settings.model_copy(update={"staff_queue_refresh_seconds": 0.3})
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, services, clock), port=port, log_level="warning")
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await serving


@pytest.fixture
async def laptop(console_url: str) -> AsyncIterator[Page]:
    assert Path(CHROMIUM).exists(), "chromium is missing: run make setup (apt-get install)"
    async with async_playwright() as playwright:
        browser: Browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = await browser.new_page(viewport={"width": 1280, "height": 800}, locale="ko-KR")
        page.set_default_timeout(10_000)

        async def no_dialogs(dialog: Dialog) -> None:
            pytest.fail(f"a script of a report ran: {dialog.message}")

        page.on("dialog", no_dialogs)
        await page.goto(console_url)
        yield page
        await browser.close()


async def test_a_worker_signs_in_and_works_a_case_with_the_keyboard(
    laptop: Page, services: CaseServices, staff: dict[str, Viewer], tmp_path: Path
) -> None:
    page = laptop
    await expect(page.locator("h1")).to_have_text(messages.LOGIN_TITLE)
    await expect(page.locator("#login")).to_be_focused()
    await page.keyboard.type("kim")
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page.locator("h1")).to_have_text(messages.QUEUE_TITLE)
    await page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    await expect(skip).to_be_focused()
    outline = await skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid", "focus is visible"
    await expect(page.locator("#queue-rows")).to_contain_text(messages.QUEUE_EMPTY)

    case_id = file(services, draft(text=f"문에 {MARKUP} 라고 적혀 있어요")).case_id
    link = page.locator(f'#queue-rows a[href="/cases/{case_id}"]').first
    await expect(link).to_be_visible()  # the queue updated itself, no reload
    await page.screenshot(path=tmp_path / "queue.png")

    await link.focus()
    later = file(services, draft(text="하나 더")).case_id
    await expect(page.locator(f'#queue-rows a[href="/cases/{later}"]').first).to_be_visible()
    await expect(link).to_be_focused()  # the refresh kept the keyboard where it was
    await page.keyboard.press("Enter")
    await expect(page.locator("h1")).to_contain_text(messages.case_title(case_id))
    await expect(page.locator("dd.text", has_text="라고 적혀")).to_contain_text(MARKUP)

    await page.locator("#note-text").focus()
    await page.keyboard.type("내일 오전 방문 예정")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    await expect(page.locator(".notice")).to_have_text(messages.DONE)
    await expect(page.locator(".notes")).to_contain_text("내일 오전 방문 예정")
    await page.screenshot(path=tmp_path / "case.png", full_page=True)


async def test_a_worker_enrols_someone_and_sees_the_qr_code_under_the_pages_policy(
    laptop: Page, services: CaseServices, staff: dict[str, Viewer], clock: SetClock
) -> None:
    page = laptop
    await page.fill("#login", "kim")
    await page.fill("#password", PASSWORD)
    await page.keyboard.press("Enter")
    await page.get_by_role("link", name=messages.NAV_CHECKINS).click()
    await expect(page.locator("h1")).to_have_text(messages.CHECKINS_TITLE)
    await page.get_by_role("link", name=messages.CHECKINS_NEW).click()
    await page.get_by_label(messages.ENROL_NAME).fill("김순자")
    await page.get_by_label(messages.ENROL_AREA).fill("강서구 화곡1동")
    await page.get_by_label(messages.TIER_LABELS["danger"]).check()
    await page.get_by_label("월", exact=True).check()
    await page.get_by_label(messages.CONSENT_BY).select_option("본인")
    await page.get_by_label(messages.CONSENT_HOW).select_option("visit")
    await page.get_by_label(messages.CONSENT_AT).fill("2026-12-03T09:30")
    await page.get_by_role("button", name=messages.ENROL_BUTTON).click()
    await expect(page.locator("h1")).to_have_text(messages.INVITATION_FOR.format(name="김순자"))
    code = page.locator("figure.qr svg")
    await expect(code).to_be_visible()
    box = await code.bounding_box()
    assert box is not None and box["width"] >= 150, "the code is drawn, large enough to scan"
    await expect(page.locator("code.link")).to_contain_text("?start=")
