"""Signing in to the staff console: cookies, sign-out, wrong passwords, throttling that
holds across console processes, and what happens without a session."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from cases.access import Viewer
from cases.models import AuditEntry
from cases.service import CaseServices
from core.settings import Settings
from staff import messages
from staff.app import create_app
from staff.auth import CSRF_COOKIE, SESSION_COOKIE
from tests.case_fixtures import SetClock
from tests.staff_fixtures import PASSWORD, form_csrf, signed_in


def attempt(client: TestClient, login: str, password: str) -> int:
    return client.post("/api/session", json={"login": login, "password": password}).status_code


def audit_actions(services: CaseServices) -> list[str]:
    with services.engine.connect() as connection:
        return list(connection.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_sign_in_sets_a_strict_httponly_cookie_and_returns_the_csrf_token(
    client: TestClient, staff: dict[str, Viewer], services: CaseServices
) -> None:
    answer = client.post("/api/session", json={"login": "kim", "password": PASSWORD})
    assert answer.status_code == 200
    body = answer.json()
    assert body["csrf"] and body["account"]["login"] == "kim"
    cookies = answer.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith(f"{SESSION_COOKIE}="))
    assert "HttpOnly" in session and "SameSite=strict" in session and "Path=/" in session
    assert "Secure" not in session, "plain http on this machine: a Secure cookie would be lost"
    assert client.get("/api/cases").status_code == 200
    assert audit_actions(services)[-2:] == ["session.login", "case.list"]


def test_the_cookie_is_secure_over_https_or_when_configured(
    console_app: FastAPI,
    console_settings: Settings,
    services: CaseServices,
    clock: SetClock,
    staff: dict[str, Viewer],
) -> None:
    over_https = TestClient(console_app, base_url="https://testserver")
    answer = over_https.post("/api/session", json={"login": "kim", "password": PASSWORD})
    assert all("Secure" in cookie for cookie in answer.headers.get_list("set-cookie"))
    behind_proxy = create_app(
        console_settings.model_copy(update={"staff_secure_cookies": True}), services, clock
    )
    answer = TestClient(behind_proxy).post(
        "/api/session", json={"login": "kim", "password": PASSWORD}
    )
    assert all("Secure" in cookie for cookie in answer.headers.get_list("set-cookie"))


def test_sign_out_ends_the_session_in_the_database(
    console_app: FastAPI, staff: dict[str, Viewer], services: CaseServices
) -> None:
    browser, csrf = signed_in(console_app, "kim")
    token = browser.cookies[SESSION_COOKIE]
    assert browser.delete("/api/session").status_code == 403, "sign-out needs the CSRF token"
    assert browser.delete("/api/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert services.sessions.current(token) is None
    stolen = TestClient(console_app, cookies={SESSION_COOKIE: token})
    assert stolen.get("/api/cases").status_code == 401
    assert "session.logout" in audit_actions(services)


def test_a_revoked_session_is_refused_at_once(
    console_app: FastAPI, staff: dict[str, Viewer], services: CaseServices
) -> None:
    browser, _ = signed_in(console_app, "kim")
    services.sessions.revoke_all("kim", actor="choi")
    assert browser.get("/api/cases").status_code == 401


def test_a_wrong_password_is_401_and_recorded(
    client: TestClient, staff: dict[str, Viewer], services: CaseServices
) -> None:
    answer = client.post("/api/session", json={"login": "kim", "password": "wrong password!"})
    assert answer.status_code == 401
    assert answer.json() == {"detail": messages.WRONG_PASSWORD}
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")
    assert attempt(client, "nobody", PASSWORD) == 401
    assert attempt(client, "kim\x00", PASSWORD) == 422, "no NUL reaches the database"
    assert audit_actions(services)[-2:] == ["session.login_failed", "session.login_failed"]


def test_sign_in_is_throttled_per_login_even_with_the_right_password(
    client: TestClient, staff: dict[str, Viewer], clock: SetClock
) -> None:
    for _ in range(3):
        assert attempt(client, "kim", "wrong password!") == 401
    answer = client.post("/api/session", json={"login": "kim", "password": PASSWORD})
    assert answer.status_code == 429
    assert 1 <= int(answer.headers["Retry-After"]) <= 600
    assert "분 뒤에 다시" in answer.json()["detail"]
    assert attempt(client, "lee", PASSWORD) == 200, "another login is not locked"
    clock.advance(minutes=10, seconds=1)
    assert attempt(client, "kim", PASSWORD) == 200


def test_a_successful_sign_in_starts_the_login_count_afresh(
    client: TestClient, staff: dict[str, Viewer]
) -> None:
    for _ in range(2):
        assert attempt(client, "kim", "wrong password!") == 401
    assert attempt(client, "kim", PASSWORD) == 200
    for _ in range(2):
        assert attempt(client, "kim", "wrong password!") == 401
    assert attempt(client, "kim", PASSWORD) == 200


def test_sign_in_is_throttled_per_address_across_logins(
    client: TestClient, staff: dict[str, Viewer]
) -> None:
    for login in ("a1", "a2", "a3", "a4", "a5"):
        assert attempt(client, login, "guess guess guess") == 401
    assert attempt(client, "kim", PASSWORD) == 429, "the address is locked for every login"


def test_throttling_holds_across_two_console_processes_on_one_database(
    console_settings: Settings, services: CaseServices, clock: SetClock, staff: dict[str, Viewer]
) -> None:
    first = TestClient(create_app(console_settings, services, clock))
    second = TestClient(create_app(console_settings, services, clock))
    assert attempt(first, "kim", "wrong password!") == 401
    assert attempt(second, "kim", "wrong password!") == 401
    assert attempt(first, "kim", "wrong password!") == 401
    assert attempt(second, "kim", PASSWORD) == 429


def test_without_a_session_pages_go_to_sign_in_and_the_api_answers_401(
    client: TestClient, staff: dict[str, Viewer]
) -> None:
    for path in ("/", "/cases/1", "/audit", "/queue/rows"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/login?next=")
    for method, path in (
        ("GET", "/api/cases"),
        ("GET", "/api/cases/1"),
        ("GET", "/api/cases/1/events"),
        ("POST", "/api/cases/1/notes"),
        ("GET", "/api/audit"),
    ):
        answer = client.request(method, path, json={"text": "x"})
        assert answer.status_code == 401, path
        assert answer.json() == {"detail": messages.NOT_SIGNED_IN}
    forged = TestClient(client.app, cookies={SESSION_COOKIE: "made up"})
    assert forged.get("/api/cases").status_code == 401


def test_the_login_form_signs_in_and_returns_to_the_page_asked_for(
    client: TestClient, staff: dict[str, Viewer]
) -> None:
    form = client.get("/login?next=/audit")
    assert form.status_code == 200
    assert 'for="login"' in form.text and 'for="password"' in form.text
    wrong = client.post("/login", data={"login": "kim", "password": "nope", "next": "/audit"})
    assert wrong.status_code == 401 and messages.WRONG_PASSWORD in wrong.text
    answer = client.post(
        "/login",
        data={"login": "kim", "password": PASSWORD, "next": "/audit"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/audit"
    assert SESSION_COOKIE in client.cookies and CSRF_COOKIE in client.cookies


def test_the_login_form_never_sends_the_browser_to_another_site(
    client: TestClient, staff: dict[str, Viewer]
) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        answer = client.post(
            "/login",
            data={"login": "kim", "password": PASSWORD, "next": target},
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/", target


def test_the_login_form_says_when_it_is_throttled(
    client: TestClient, staff: dict[str, Viewer]
) -> None:
    for _ in range(3):
        client.post("/login", data={"login": "kim", "password": "nope"})
    answer = client.post("/login", data={"login": "kim", "password": PASSWORD})
    assert answer.status_code == 429 and "분 뒤에 다시" in answer.text
    assert int(answer.headers["Retry-After"]) > 0


def test_another_sites_page_cannot_sign_in_or_change_anything(
    client: TestClient, staff: dict[str, Viewer], services: CaseServices
) -> None:
    evil = {"Origin": "https://evil.example"}
    answer = client.post("/login", data={"login": "kim", "password": PASSWORD}, headers=evil)
    assert answer.status_code == 403 and SESSION_COOKIE not in client.cookies
    api = client.post("/api/session", json={"login": "kim", "password": PASSWORD}, headers=evil)
    assert api.status_code == 403 and api.json() == {"detail": messages.CSRF_REFUSED}
    same = {"Origin": "http://testserver"}
    answer = client.post("/login", data={"login": "kim", "password": PASSWORD}, headers=same)
    assert answer.status_code == 200 and SESSION_COOKIE in client.cookies
    assert "session.login_failed" not in audit_actions(services)


def test_logging_out_from_the_page(client: TestClient, staff: dict[str, Viewer]) -> None:
    client.post("/login", data={"login": "kim", "password": PASSWORD})
    page = client.get("/")
    assert page.status_code == 200
    refused = client.post("/logout", data={"csrf": "forged"}, follow_redirects=False)
    assert refused.status_code == 403
    answer = client.post("/logout", data={"csrf": form_csrf(page.text)}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login?signed_out=1"
    assert messages.SIGNED_OUT in client.get(answer.headers["location"]).text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_an_ended_session_is_told_when_the_page_sends_the_browser_to_sign_in(
    console_app: FastAPI, staff: dict[str, Viewer], clock: SetClock
) -> None:
    browser, _ = signed_in(console_app, "kim")
    clock.advance(minutes=31)
    answer = browser.get("/cases/1?done=1", follow_redirects=False)
    assert answer.headers["location"] == "/login?next=%2Fcases%2F1%3Fdone%3D1&ended=1"
    assert messages.SESSION_ENDED in browser.get(answer.headers["location"]).text
