"""The check-in console's day and changes: today's check-ins per area (due, sent,
answered, pending, escalated), the ladder step on the person page, and tier, schedule
and emergency contacts changed by the area's worker (audited with codes before and
after, never a phone number); another area's worker, bad input and a missing CSRF token
change nothing."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from cases import checkin_messages as say
from cases.access import Viewer
from cases.models import AuditEntry, CheckinContact, CheckinPerson
from cases.service import CaseServices
from staff import messages
from staff.auth import CSRF_HEADER
from tests.case_fixtures import SetClock
from tests.checkin_support import EVERY_DAY, FakeSender, at, enrol_linked
from tests.staff_fixtures import form_csrf, signed_in

HWAGOK1 = "서울특별시 강서구 화곡1동"
GWANGAN2 = "부산광역시 수영구 광안2동"
CHANGE: dict[str, Any] = {
    "tier": "주의",
    "schedule": {"days": ["화", "목"], "window": ["10:00", "12:00"]},
    "contacts": [
        {"name": "박영희", "relation": "딸", "phone": "010-1234-5678"},
        {"name": "김철수", "relation": "아들", "phone": "010-9999-0000"},
    ],
}


def answer(services: CaseServices, sender: FakeSender, chat: str, label: str) -> None:
    buttons = next(buttons for to, _, buttons in sender.sent if to == chat)
    payload = next(button.payload for button in buttons if button.label == label)
    services.checkins.answer_button(chat, payload)


def snapshot(services: CaseServices, person_id: int) -> tuple[Any, ...]:
    with Session(services.engine) as session:
        person = session.get_one(CheckinPerson, person_id)
        contacts = session.execute(
            select(CheckinContact.position, CheckinContact.name, CheckinContact.phone)
            .where(CheckinContact.person_id == person_id)
            .order_by(CheckinContact.position)
        ).all()
        return (
            person.tier,
            person.weekday_mask,
            person.window_start,
            person.window_end,
            [tuple(row) for row in contacts],
        )


def edits(services: CaseServices, person_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    with Session(services.engine) as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.detail)
            .where(AuditEntry.action.in_(("checkin.edit", "checkin.denied")))
            .order_by(AuditEntry.id)
        )
        return [
            (actor, action, detail)
            for actor, action, detail in rows
            if detail.get("person") == person_id
        ]


def test_today_counts_each_area_of_the_viewer_for_the_seoul_day(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer], clock: SetClock
) -> None:
    fine = enrol_linked(services, clock, "1001")
    enrol_linked(services, clock, "1002")
    enrol_linked(services, clock, "1003")
    enrol_linked(services, clock, "1004", area="수영구 광안2동")
    sender = FakeSender()
    clock.now = at(3, 9)
    services.checkins.tick(clock.now, sender)
    clock.now = at(3, 9, 5)
    answer(services, sender, "1001", "잘 지내요")
    answer(services, sender, "1002", "도움이 필요해요")
    clock.now = at(3, 23, 50)  # still 12-03 in Seoul (14:50 UTC)

    kim, _ = signed_in(console_app, "kim")
    rows = {row.area: row.to_json() for row in services.checkin_desk.today(staff["kim"])[1]}
    assert rows[HWAGOK1] == {
        "area": HWAGOK1,
        "due": 3,
        "sent": 3,
        "answered": 2,
        "pending": 1,
        "escalated": 1,
    }
    assert GWANGAN2 not in rows, "only the viewer's areas"
    page = kim.get("/checkins")
    assert page.status_code == 200 and messages.TODAY_TITLE in page.text
    assert '<td data-count="pending">1</td>' in page.text
    assert '<td data-count="due">3</td>' in page.text
    park, _ = signed_in(console_app, "park")
    theirs = park.get("/checkins").text
    assert HWAGOK1 not in theirs and '<td data-count="due">1</td>' in theirs
    shown = kim.get(f"/checkins/{fine}")
    assert messages.FIELD_CURRENT_STEP in shown.text and messages.NO_STEP in shown.text

    clock.now = at(4, 0, 30)  # the next Seoul day: nothing due yet
    day, rows_next = services.checkin_desk.today(staff["kim"])
    assert day.isoformat() == "2026-12-04"
    assert all(row.due == 0 for row in rows_next)


def test_the_latest_ladder_step_shows_on_the_person_page(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer], clock: SetClock
) -> None:
    person = enrol_linked(services, clock)
    sender = FakeSender()
    clock.now = at(3, 9)
    services.checkins.tick(clock.now, sender)
    answer(services, sender, "1001", "도움이 필요해요")
    kim, _ = signed_in(console_app, "kim")
    page = kim.get(f"/checkins/{person}").text
    field = page.split(messages.FIELD_CURRENT_STEP, 1)[1].split("</dd>", 1)[0]
    assert messages.CHECKIN_STEP_LABELS["flagged"] in field


def test_the_areas_worker_changes_tier_schedule_and_contacts_audited_without_phones(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer], clock: SetClock
) -> None:
    person = enrol_linked(services, clock)
    kim, csrf = signed_in(console_app, "kim")
    changed = kim.post(f"/api/checkins/{person}", json=CHANGE, headers={CSRF_HEADER: csrf})
    assert changed.status_code == 200, changed.text
    assert changed.json() == {
        "id": person,
        "changed": ["contacts", "days", "tier", "window"],
        "contacts_changed": [2],
    }
    assert snapshot(services, person) == (
        "caution",
        0b1010,
        "10:00",
        "12:00",
        [(1, "박영희", "010-1234-5678"), (2, "김철수", "010-9999-0000")],
    )
    [(actor, action, detail)] = edits(services, person)
    assert (actor, action) == ("kim", "checkin.edit")
    assert detail["before"] == {
        "tier": "danger",
        "days": [0, 1, 2, 3, 4, 5, 6],
        "window": ["09:00", "09:01"],
        "contacts": 1,
    }
    assert detail["after"] == {
        "tier": "caution",
        "days": [1, 3],
        "window": ["10:00", "12:00"],
        "contacts": 2,
    }
    recorded = json.dumps(detail, ensure_ascii=False)
    assert "010" not in recorded and "김철수" not in recorded

    # The form: one contact removed, the other's phone changed (their chat unlinked).
    page = kim.get(f"/checkins/{person}")
    assert 'value="010-9999-0000"' in page.text, "the form is filled from the record"
    form = {
        "csrf": form_csrf(page.text),
        "tier": "watch",
        "days": ["0"],
        "start": "08:00",
        "end": "09:00",
        "contact1_name": "박영희",
        "contact1_relation": "딸",
        "contact1_phone": "010-2222-3333",
    }
    saved = kim.post(f"/checkins/{person}/edit", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/checkins/{person}?done=edited#edit"
    assert messages.CHECKIN_DONE["edited"] in kim.get(saved.headers["location"]).text
    assert snapshot(services, person) == (
        "watch",
        0b1,
        "08:00",
        "09:00",
        [(1, "박영희", "010-2222-3333")],
    )
    assert edits(services, person)[-1][2]["contacts_changed"] == [1, 2]
    lee, _ = signed_in(console_app, "lee")
    assert messages.ACTION_LABELS["checkin.edit"] in lee.get("/audit").text


def test_another_areas_worker_and_the_admin_get_403_and_nothing_changes(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer], clock: SetClock
) -> None:
    person = enrol_linked(services, clock)
    before = snapshot(services, person)
    park, park_csrf = signed_in(console_app, "park")
    refused = park.post(f"/api/checkins/{person}", json=CHANGE, headers={CSRF_HEADER: park_csrf})
    assert refused.status_code == 403 and refused.json()["detail"] == say.PERSON_NOT_YOURS
    form = {"csrf": park_csrf, "tier": "watch", "days": ["0"], "start": "08:00", "end": "09:00"}
    assert park.post(f"/checkins/{person}/edit", data=form).status_code == 403
    choi, choi_csrf = signed_in(console_app, "choi")
    admin = choi.post(f"/api/checkins/{person}", json=CHANGE, headers={CSRF_HEADER: choi_csrf})
    assert admin.status_code == 403 and admin.json()["detail"] == say.EDIT_AREA_STAFF_ONLY
    assert snapshot(services, person) == before
    assert {(actor, action) for actor, action, _ in edits(services, person)} == {
        ("park", "checkin.denied"),
        ("choi", "checkin.denied"),
    }


def test_bad_input_is_refused_in_korean_and_nothing_changes(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer], clock: SetClock
) -> None:
    person = enrol_linked(services, clock)
    before = snapshot(services, person)
    kim, csrf = signed_in(console_app, "kim")
    three = [{"name": "가", "phone": "1"}] * 3
    cases: list[tuple[Any, str | None]] = [
        ({**CHANGE, "tier": "아주 위험"}, None),
        ({**CHANGE, "schedule": {"days": [], "window": ["10:00", "12:00"]}}, None),
        ({**CHANGE, "schedule": {"days": EVERY_DAY, "window": ["12:00", "10:00"]}}, None),
        ({**CHANGE, "contacts": three}, say.TOO_MANY_CONTACTS),
        ({**CHANGE, "contacts": [{"name": "가\x00", "phone": "1"}]}, messages.INPUT_PROBLEM),
        ([1, 2], None),
    ]
    for body, problem in cases:
        refused = kim.post(f"/api/checkins/{person}", json=body, headers={CSRF_HEADER: csrf})
        assert refused.status_code == 422, (body, refused.text)
        detail = refused.json()["detail"]
        assert detail == problem if problem else any("가" <= ch <= "힣" for ch in detail)
    page = kim.get(f"/checkins/{person}")
    form = {"csrf": form_csrf(page.text), "tier": "watch", "days": [], "start": "08:00"}
    shown = kim.post(f"/checkins/{person}/edit", data={**form, "end": "07:00"})
    assert shown.status_code == 422 and 'role="alert"' in shown.text
    assert 'value="07:00"' in shown.text, "what was typed is kept"
    assert snapshot(services, person) == before
    assert edits(services, person) == []


def test_changes_without_the_csrf_token_are_refused(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer], clock: SetClock
) -> None:
    person = enrol_linked(services, clock)
    before = snapshot(services, person)
    kim, _ = signed_in(console_app, "kim")
    assert kim.post(f"/api/checkins/{person}", json=CHANGE).status_code == 403
    form = {"tier": "watch", "days": ["0"], "start": "08:00", "end": "09:00"}
    assert kim.post(f"/checkins/{person}/edit", data=form).status_code == 403
    assert kim.post(f"/checkins/{person}/edit", data={**form, "csrf": "nope"}).status_code == 403
    assert snapshot(services, person) == before
