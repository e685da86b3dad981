"""The console's JSON API, fuzzed from its own OpenAPI document (schemathesis): whatever a
client sends, the answer is never a server error. Requests carry a valid admin session
and its CSRF token, so they reach the handlers and the case store."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok

from cases.access import Viewer
from cases.checkin_enrolment import enrolment_from_json
from cases.checkin_requests import CheckinRequest
from cases.service import CaseServices
from staff.auth import CSRF_HEADER, SESSION_COOKIE
from tests.case_fixtures import SetClock, draft, file
from tests.checkin_support import enrolment
from tests.staff_fixtures import PASSWORD

EXAMPLES_PER_OPERATION = 30


@pytest.fixture
def admin_session(
    services: CaseServices, staff: dict[str, Viewer], clock: SetClock
) -> tuple[str, str]:
    """A session of the admin (who may see every case), and a few cases to reach."""
    for region in ("강서구 화곡1동", "수영구 광안2동", None):
        file(services, draft(region=region), conversation_id="telegram-9001")
    # People to reach by a small id: one invited, one waiting for approval.
    services.checkins.enrol(enrolment_from_json(enrolment()), actor="test")
    services.checkin_requests.file(
        CheckinRequest(
            "9002", "이말순", "서울특별시 강서구 화곡1동", (0,), "10:00", "11:00", clock.now
        )
    )
    signed = services.sessions.sign_in("choi", PASSWORD)
    assert signed is not None
    return signed.session_token, signed.csrf_token


def test_the_api_never_answers_with_a_server_error(
    console_app: FastAPI, admin_session: tuple[str, str]
) -> None:
    token, csrf = admin_session
    schema = schemathesis.openapi.from_asgi("/openapi.json", console_app)
    fuzzed: list[str] = []
    calls: list[str] = []
    for found in schema.get_all_operations():
        assert isinstance(found, Ok), "the document describes every operation validly"
        operation = found.ok()
        # Signing out would end the session the other requests use (tested on its own).
        if (operation.method.upper(), operation.path) == ("DELETE", "/api/session"):
            continue
        fuzzed.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_without_server_error(case: Any) -> None:
            calls.append(case.operation.label)
            case.call_and_validate(
                headers={CSRF_HEADER: csrf},
                cookies={SESSION_COOKIE: token},
                checks=[not_a_server_error],
            )

        answers_without_server_error()
    assert len(fuzzed) == 17
    assert len(calls) >= 10 * len(fuzzed), "each operation got a few dozen requests"


def test_the_openapi_document_describes_the_public_contract(console_app: FastAPI) -> None:
    document = TestClient(console_app).get("/openapi.json").json()
    paths = document["paths"]
    assert set(paths) == {
        "/api/session",
        "/api/cases",
        "/api/cases/{case_id}",
        "/api/cases/{case_id}/events",
        "/api/cases/{case_id}/status",
        "/api/cases/{case_id}/notes",
        "/api/cases/{case_id}/assign",
        "/api/cases/{case_id}/reply",
        "/api/audit",
        "/api/checkins",
        "/api/checkins/{person_id}",
        "/api/checkins/{person_id}/status",
        "/api/checkins/{person_id}/approve",
        "/api/checkins/{person_id}/invitation",
        "/healthz",
    }
    assert {"post", "delete"} <= set(paths["/api/session"])
    assert "429" in paths["/api/session"]["post"]["responses"]
    schemes = document["components"]["securitySchemes"]
    assert {scheme["name"] for scheme in schemes.values()} == {SESSION_COOKIE, CSRF_HEADER}
