"""Staff console fixtures: the real console app on the case services of each test's
database (SQLite and PostgreSQL), a browser-like client, and signing in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cases.service import CaseServices
from core.settings import Settings
from staff.app import create_app
from tests.case_fixtures import SetClock

PASSWORD = "correct horse battery"
CSRF_IN_FORM = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def console_settings(tmp_path: Path, case_database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=case_database_url,
        staff_signin_max_per_login=3,
        staff_signin_max_per_address=5,
        staff_signin_window_seconds=600,
    )


@pytest.fixture
def console_app(console_settings: Settings, services: CaseServices, clock: SetClock) -> FastAPI:
    return create_app(console_settings, services, clock)


@pytest.fixture
def client(console_app: FastAPI) -> TestClient:
    return TestClient(console_app)


def signed_in(app: FastAPI, login: str, password: str = PASSWORD) -> tuple[TestClient, str]:
    """A new client of ``app`` signed in as ``login`` through the API, and its CSRF token."""
    browser = TestClient(app)
    answer = browser.post("/api/session", json={"login": login, "password": password})
    assert answer.status_code == 200, answer.text
    csrf: str = answer.json()["csrf"]
    return browser, csrf


def form_csrf(page_html: str) -> str:
    """The CSRF token a page put into its forms."""
    found = CSRF_IN_FORM.search(page_html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)
