"""Check-ins in the staff console: enrolment by form and API (consent required), who sees
whom, pause and stop on the person's behalf (recorded and audited), a citizen's request
approved or refused, and the invitation's QR code and printable handout."""

from __future__ import annotations

import datetime as dt
import re
import struct
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from cases import checkin_messages as say
from cases.access import Viewer
from cases.checkin_enrolment import enrolment_from_json
from cases.checkin_requests import CheckinRequest
from cases.models import AuditEntry, CheckinPerson, Consent
from cases.service import CaseServices
from core.settings import Settings
from staff import invitation_print, messages
from staff.auth import CSRF_HEADER
from staff.invitation_print import FONT, qr_png_size
from tests.case_fixtures import SetClock
from tests.checkin_support import FakeSender, at, enrol_linked, enrolment
from tests.staff_fixtures import form_csrf, signed_in

HWAGOK1 = "서울특별시 강서구 화곡1동"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TOKEN_IN_FORM = re.compile(r'name="token" value="([^"]+)"')


def count(engine: Engine, model: Any) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model)) or 0


def audit_actions(services: CaseServices, person_id: int) -> list[tuple[str, str]]:
    with services.engine.connect() as connection:
        rows = connection.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.detail)
            .where(AuditEntry.action.like("checkin.%"))
            .order_by(AuditEntry.id)
        )
        return [
            (actor, action) for actor, action, detail in rows if detail.get("person") == person_id
        ]


def enrol_form_fields(**changes: str) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": "김순자",
        "area": "강서구 화곡1동",
        "tier": "danger",
        "days": ["0", "2", "4"],
        "start": "09:00",
        "end": "11:00",
        "contact1_name": "박영희",
        "contact1_relation": "딸",
        "contact1_phone": "010-1234-5678",
        "consent_by": "본인",
        "consent_how": "visit",
        "consent_at": "2026-12-03T09:30",
    }
    fields.update(changes)
    return fields


def enrol_by_api(browser: TestClient, csrf: str, **changes: Any) -> dict[str, Any]:
    answer = browser.post("/api/checkins", json=enrolment(**changes), headers={CSRF_HEADER: csrf})
    assert answer.status_code == 201, answer.text
    found: dict[str, Any] = answer.json()
    return found


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_a_worker_enrols_through_the_form_and_gets_the_invitation_once(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer]
) -> None:
    kim, _ = signed_in(console_app, "kim")
    form = kim.get("/checkins/new")
    assert form.status_code == 200 and messages.ENROL_TITLE in form.text
    assert 'href="/checkins"' in form.text, "the header links to 안부확인"
    page = kim.post("/checkins/new", data={**enrol_form_fields(), "csrf": form_csrf(form.text)})
    assert page.status_code == 201, page.text
    assert "https://t.me/&lt;bot&gt;?start=" in page.text
    assert "<svg" in page.text and messages.QR_ALT in page.text
    assert messages.INVITATION_NO_BOT.replace("<bot>", "&lt;bot&gt;") in page.text
    with Session(services.engine) as session:
        person = session.scalars(select(CheckinPerson)).one()
        consent = session.scalars(select(Consent)).one()
    assert (person.area, person.tier, person.weekday_mask) == (HWAGOK1, "danger", 0b10101)
    assert (person.status, person.created_by) == ("invited", "kim")
    assert (consent.subject, consent.channel) == ("self", "visit")
    assert consent.given_at == dt.datetime(2026, 12, 3, 0, 30, tzinfo=dt.UTC)
    assert ("kim", "checkin.enrol") in audit_actions(services, person.id)

    listed = kim.get("/checkins")
    assert listed.status_code == 200
    assert "김순자" in listed.text and messages.PERSON_STATUS_LABELS["invited"] in listed.text
    shown = kim.get(f"/checkins/{person.id}")
    assert shown.status_code == 200
    assert "?start=" not in shown.text, "the token is never shown again"
    assert "010-1234-5678" in shown.text, "the area's worker sees the contact's phone"


def test_no_consent_no_enrolment_by_form_or_api(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer]
) -> None:
    kim, csrf = signed_in(console_app, "kim")
    form = kim.get("/checkins/new")
    missing = {"consent_by": "", "consent_how": "", "consent_at": ""}
    page = kim.post(
        "/checkins/new", data={**enrol_form_fields(**missing), "csrf": form_csrf(form.text)}
    )
    assert page.status_code == 422
    assert say.CONSENT_REQUIRED in page.text
    assert 'value="김순자"' in page.text, "what was typed is kept"
    answer = kim.post("/api/checkins", json=enrolment(consent=None), headers={CSRF_HEADER: csrf})
    assert answer.status_code == 422
    assert answer.json()["detail"] == say.CONSENT_REQUIRED
    future = {"by": "self", "how": "visit", "at": "2027-01-01T10:00:00+09:00"}
    answer = kim.post("/api/checkins", json=enrolment(consent=future), headers={CSRF_HEADER: csrf})
    assert answer.status_code == 422 and answer.json()["detail"] == say.CONSENT_AT_RANGE
    assert count(services.engine, CheckinPerson) == 0
    assert count(services.engine, Consent) == 0


def test_changes_need_the_csrf_token(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer]
) -> None:
    kim, csrf = signed_in(console_app, "kim")
    assert kim.post("/api/checkins", json=enrolment()).status_code == 403
    assert kim.post("/checkins/new", data=enrol_form_fields()).status_code == 403
    person = enrol_by_api(kim, csrf)["person_id"]
    refused = kim.post(f"/api/checkins/{person}/status", json={"status": "stopped"})
    assert refused.status_code == 403
    assert kim.post(f"/checkins/{person}/status", data={"status": "paused"}).status_code == 403
    with services.engine.connect() as connection:
        assert connection.scalar(select(CheckinPerson.status)) == "invited"


def test_another_areas_worker_gets_403_and_the_attempt_is_recorded(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer]
) -> None:
    kim, csrf = signed_in(console_app, "kim")
    person = enrol_by_api(kim, csrf)["person_id"]
    park, park_csrf = signed_in(console_app, "park")
    assert park.get("/api/checkins").json() == {"items": []}
    assert "김순자" not in park.get("/checkins").text
    answer = park.get(f"/api/checkins/{person}")
    assert answer.status_code == 403 and answer.json()["detail"] == say.PERSON_NOT_YOURS
    page = park.get(f"/checkins/{person}")
    assert page.status_code == 403 and "김순자" not in page.text
    changed = park.post(
        f"/api/checkins/{person}/status",
        json={"status": "stopped"},
        headers={CSRF_HEADER: park_csrf},
    )
    assert changed.status_code == 403
    invite = park.post(f"/api/checkins/{person}/invitation", headers={CSRF_HEADER: park_csrf})
    assert invite.status_code == 403
    elsewhere = park.post("/api/checkins", json=enrolment(), headers={CSRF_HEADER: park_csrf})
    assert elsewhere.status_code == 403 and elsewhere.json()["detail"] == say.AREA_NOT_YOURS
    assert ("park", "checkin.denied") in audit_actions(services, person)
    assert count(services.engine, CheckinPerson) == 1
    assert park.get("/api/checkins/999999").status_code == 404
    assert park.get("/checkins/99999999999").status_code == 422

    lee, _ = signed_in(console_app, "lee")
    assert [row["id"] for row in lee.get("/api/checkins").json()["items"]] == [person]
    choi, _ = signed_in(console_app, "choi")
    shown = choi.get(f"/api/checkins/{person}").json()
    assert shown["contacts"][0]["phone"] == "*******5678", "an admin works no area"


def test_pause_resume_and_stop_from_the_console_are_recorded_and_audited(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer], clock: SetClock
) -> None:
    kim, csrf = signed_in(console_app, "kim")
    person = enrol_by_api(kim, csrf)["person_id"]
    page = kim.get(f"/checkins/{person}")
    paused = kim.post(
        f"/checkins/{person}/status",
        data={"csrf": form_csrf(page.text), "status": "paused"},
        follow_redirects=False,
    )
    assert paused.status_code == 303
    unconfirmed = kim.post(
        f"/checkins/{person}/status", data={"csrf": form_csrf(page.text), "status": "stopped"}
    )
    assert unconfirmed.status_code == 422 and messages.STOP_CONFIRM_NEEDED in unconfirmed.text
    assert paused.headers["location"] == f"/checkins/{person}?done=paused#status"
    shown = kim.get(paused.headers["location"])
    assert messages.CHECKIN_DONE["paused"] in shown.text
    assert messages.by_staff("kim") in shown.text
    assert kim.get("/api/checkins", params={"status": "paused"}).json()["items"][0][
        "status_by"
    ] == ("kim")
    again = kim.post(
        f"/api/checkins/{person}/status", json={"status": "paused"}, headers={CSRF_HEADER: csrf}
    )
    assert again.status_code == 409
    assert again.json()["detail"] == say.status_refused("paused", "paused")
    resumed = kim.post(
        f"/api/checkins/{person}/status", json={"status": "active"}, headers={CSRF_HEADER: csrf}
    )
    assert resumed.json() == {"id": person, "status": "active"}
    stopped = kim.post(
        f"/api/checkins/{person}/status", json={"status": "stopped"}, headers={CSRF_HEADER: csrf}
    )
    assert stopped.status_code == 200
    with services.engine.connect() as connection:
        assert connection.scalar(select(CheckinPerson.status)) == "stopped"
        assert connection.scalar(select(Consent.withdrawn_at)) is not None
    refused = kim.post(
        f"/api/checkins/{person}/status", json={"status": "active"}, headers={CSRF_HEADER: csrf}
    )
    assert refused.status_code == 409, "a stopped person is enrolled again, with consent"
    changes = {"checkin.paused", "checkin.active", "checkin.stopped"}
    actions = [action for actor, action in audit_actions(services, person) if actor == "kim"]
    assert [action for action in actions if action in changes] == [
        "checkin.paused",
        "checkin.active",
        "checkin.stopped",
    ], "each change once; the refused ones changed nothing"


def test_a_pause_by_the_person_shows_as_theirs(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer], clock: SetClock
) -> None:
    result = services.checkins.enrol(enrolment_from_json(enrolment()), actor="test")
    services.checkins.redeem(result.invitation.token, "1001")
    assert services.checkins.set_status_by_chat("1001", "paused") == say.PAUSED
    kim, _ = signed_in(console_app, "kim")
    row = kim.get("/api/checkins").json()["items"][0]
    assert (row["status"], row["status_by"], row["chat_linked"]) == ("paused", "chat:1001", True)
    assert messages.BY_PERSON in kim.get("/checkins?status=paused").text
    assert messages.CHECKINS_EMPTY in kim.get("/checkins?status=active").text
    assert kim.get("/checkins?tier=nonsense").status_code == 422


def test_a_citizens_request_waits_for_approval_and_is_approved_or_refused(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer], clock: SetClock
) -> None:
    def request(chat: str) -> int:
        return services.checkin_requests.file(
            CheckinRequest(
                chat_id=chat,
                name="이말순",
                area=HWAGOK1,
                weekdays=(0, 3),
                window_start="10:00",
                window_end="12:00",
                consented_at=clock.now,
            )
        )

    first, second = request("2001"), request("2002")
    kim, csrf = signed_in(console_app, "kim")
    page = kim.get("/checkins")
    assert messages.PENDING_TITLE in page.text and page.text.count("이말순") >= 2
    approved = kim.post(
        f"/checkins/{first}/approve",
        data={"csrf": form_csrf(page.text), "decision": "approve", "tier": "caution"},
        follow_redirects=False,
    )
    assert approved.status_code == 303 and approved.headers["location"] == "/checkins?done=approved"
    refused = kim.post(
        f"/api/checkins/{second}/approve", json={"decision": "refuse"}, headers={CSRF_HEADER: csrf}
    )
    assert refused.json() == {"id": second, "status": "stopped", "invitation": None}
    with services.engine.connect() as connection:
        rows = dict(connection.execute(select(CheckinPerson.id, CheckinPerson.status)).all())
        tier = connection.scalar(select(CheckinPerson.tier).where(CheckinPerson.id == first))
    assert rows == {first: "active", second: "stopped"}
    assert tier == "caution"
    again = kim.post(
        f"/api/checkins/{first}/approve", json={"decision": "approve"}, headers={CSRF_HEADER: csrf}
    )
    assert again.status_code == 409 and again.json()["detail"] == say.NOT_PENDING
    assert ("kim", "checkin.approve") in audit_actions(services, first)
    assert ("kim", "checkin.refuse") in audit_actions(services, second)
    assert messages.PENDING_EMPTY in kim.get("/checkins").text


def test_the_qr_png_and_the_pdf_exist_only_for_the_live_invitation(
    console_app: FastAPI,
    console_settings: Settings,
    services: CaseServices,
    staff: dict[str, Viewer],
) -> None:
    kim, csrf = signed_in(console_app, "kim")
    enrolled = enrol_by_api(kim, csrf)
    person, token = enrolled["person_id"], enrolled["invitation"]["token"]
    link = enrolled["invitation"]["link"]
    page = kim.get(f"/checkins/{person}")
    form = {"csrf": form_csrf(page.text), "token": token}
    png = kim.post(f"/checkins/{person}/invitation.png", data=form)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    side = qr_png_size(link)
    assert png_size(png.content) == (side, side) and side >= 300
    assert (
        kim.post(f"/checkins/{person}/invitation.png", data=form | {"csrf": ""}).status_code == 403
    )
    park, _ = signed_in(console_app, "park")
    park_form = {"csrf": form_csrf(park.get("/checkins").text), "token": token}
    assert park.post(f"/checkins/{person}/invitation.png", data=park_form).status_code == 403

    if FONT.is_file():
        pdf = kim.post(f"/checkins/{person}/invitation.pdf", data=form)
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF-")
        assert pdf.content.count(b"/Type /Page\n") == 1 and b"/Count 1" in pdf.content
        assert link.encode() in pdf.content, "the link is on the page as a clickable address"

    # A new invitation: the page shows the new link once; the old token prints nothing.
    fresh = kim.post(f"/checkins/{person}/invitation", data={"csrf": form["csrf"]})
    assert fresh.status_code == 200 and "?start=" in fresh.text and token not in fresh.text
    assert kim.post(f"/checkins/{person}/invitation.png", data=form).status_code == 410
    assert kim.post(f"/checkins/{person}/invitation.pdf", data=form).status_code == 410
    assert services.checkins.redeem(token, "3001") == say.INVITATION_EXPIRED
    found = TOKEN_IN_FORM.search(fresh.text)
    assert found is not None
    new_token = found.group(1)
    assert services.checkins.redeem(new_token, "3001") != say.INVITATION_UNKNOWN
    used = {"csrf": form["csrf"], "token": new_token}
    assert kim.post(f"/checkins/{person}/invitation.png", data=used).status_code == 410
    with services.engine.connect() as connection:
        assert connection.scalar(select(CheckinPerson.status)) == "active"


def test_the_api_lists_and_reads_a_person_with_history(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer]
) -> None:
    kim, csrf = signed_in(console_app, "kim")
    enrolled = enrol_by_api(kim, csrf, tier="주의")
    person = enrolled["person_id"]
    assert enrolled["url"] == f"/checkins/{person}"
    assert enrolled["contact_invitations"][0]["position"] == 1
    items = kim.get("/api/checkins", params={"tier": "caution"}).json()["items"]
    assert [item["id"] for item in items] == [person]
    assert items[0]["schedule"] == {"days": [0, 1, 2, 3, 4, 5, 6], "window": ["09:00", "09:01"]}
    assert kim.get("/api/checkins", params={"tier": "danger"}).json() == {"items": []}
    found = kim.get(f"/api/checkins/{person}").json()
    assert found["tier"] == "caution" and found["invitation"]["state"] == "live"
    assert found["contacts"][0]["phone"] == "010-1234-5678"
    assert found["checkins"] == [] and found["open_case_id"] is None
    assert ("kim", "checkin.read") in audit_actions(services, person)


@pytest.mark.parametrize(
    "body",
    [
        {"name": "a\x00b"},
        {"consent": {"by": "self", "how": "visit", "at": "0001-01-01T00:00:00+09:00"}},
        {"schedule": {"days": [], "window": ["09:00", "10:00"]}},
        {"area": "어딘가 모르는 동"},
    ],
)
def test_odd_enrolments_are_refused_not_errors(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer], body: dict[str, Any]
) -> None:
    kim, csrf = signed_in(console_app, "kim")
    answer = kim.post("/api/checkins", json=enrolment(**body), headers={CSRF_HEADER: csrf})
    assert answer.status_code == 422, answer.text
    assert count(services.engine, CheckinPerson) == 0


def test_answers_and_the_open_concern_case_show_in_the_list_and_the_history(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer], clock: SetClock
) -> None:
    person = enrol_linked(services, clock)
    sender = FakeSender()
    clock.now = at(3, 9)
    services.checkins.tick(clock.now, sender)
    need_help = next(b.payload for b in sender.sent[0][2] if b.label == "도움이 필요해요")
    clock.now = at(3, 9, 5)
    outcome = services.checkins.answer_button("1001", need_help)
    assert outcome is not None and outcome.case_id is not None
    kim, _ = signed_in(console_app, "kim")
    row = kim.get("/api/checkins").json()["items"][0]
    assert row["open_case_id"] == outcome.case_id
    assert row["last_answer"]["code"] == "need_help"
    listed = kim.get("/checkins")
    assert f'href="/cases/{outcome.case_id}"' in listed.text
    assert messages.CHECKIN_BUTTON_LABELS["need_help"] in listed.text
    page = kim.get(f"/checkins/{person}")
    assert messages.CHECKIN_STATE_LABELS["escalated"] in page.text
    assert messages.CHECKIN_STEP_LABELS["flagged"] in page.text
    assert messages.concern_link_label(outcome.case_id) in page.text


def test_without_the_korean_font_the_pdf_is_refused_and_the_png_still_works(
    console_app: FastAPI,
    services: CaseServices,
    staff: dict[str, Viewer],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(invitation_print, "FONT", tmp_path / "missing.ttf")
    kim, csrf = signed_in(console_app, "kim")
    enrolled = enrol_by_api(kim, csrf)
    person = enrolled["person_id"]
    form = {
        "csrf": form_csrf(kim.get(f"/checkins/{person}").text),
        "token": enrolled["invitation"]["token"],
    }
    refused = kim.post(f"/checkins/{person}/invitation.pdf", data=form)
    assert refused.status_code == 503 and messages.PRINT_FONT_MISSING in refused.text
    assert kim.post(f"/checkins/{person}/invitation.png", data=form).status_code == 200


def test_the_access_record_shows_check_in_rows_to_the_districts_supervisor(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer]
) -> None:
    kim, kim_csrf = signed_in(console_app, "kim")
    mine = enrol_by_api(kim, kim_csrf)["person_id"]
    park, park_csrf = signed_in(console_app, "park")
    theirs = enrol_by_api(park, park_csrf, area="수영구 광안2동")["person_id"]
    kim.get(f"/checkins/{mine}")
    lee, _ = signed_in(console_app, "lee")
    entries = lee.get("/api/audit").json()["entries"]
    people = {entry["detail"].get("person") for entry in entries}
    assert mine in people and theirs not in people
    assert ("kim", "checkin.read") in {(e["actor"], e["action"]) for e in entries}
    page = lee.get("/audit")
    assert f'href="/checkins/{mine}"' in page.text
    assert messages.ACTION_LABELS["checkin.enrol"] in page.text
    choi, _ = signed_in(console_app, "choi")
    everything = {e["detail"].get("person") for e in choi.get("/api/audit").json()["entries"]}
    assert {mine, theirs} <= everything
