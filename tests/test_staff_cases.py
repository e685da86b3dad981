"""The console's queue and case pages and the case API: who sees what, CSRF, escaping,
input kept verbatim, the lifecycle, photos and the access record."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cases.access import Viewer
from cases.masking import TranscriptEntry
from cases.models import AuditEntry, CaseEvent
from cases.report_draft import PhotoRef
from cases.service import CaseServices
from core.settings import Settings
from staff import messages
from tests.case_fixtures import SetClock, draft, file
from tests.staff_fixtures import form_csrf, signed_in

SCRIPT = "<script>alert('x')</script>"
SQL = "'; DROP TABLE cases; -- \" OR 1=1"


@pytest.fixture
def cases(services: CaseServices, staff: dict[str, Viewer], clock: SetClock) -> dict[str, int]:
    """Reports in 화곡1동 (one with markup in its text), 화곡2동 and 광안2동."""
    found = {
        "hwagok1": file(services, draft(text=f"문 앞에 {SCRIPT} 쪽지가 있어요")).case_id,
        "hwagok2": file(services, draft(region="강서구 화곡2동", signs=("debt",))).case_id,
        "gwangan2": file(services, draft(region="수영구 광안2동")).case_id,
    }
    clock.advance(minutes=1)
    return found


def events_of(services: CaseServices, case_id: int) -> int:
    with services.engine.connect() as connection:
        count = select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id)
        return int(connection.scalar(count) or 0)


def audit_rows(services: CaseServices, case_id: int) -> list[tuple[str, str]]:
    with services.engine.connect() as connection:
        rows = connection.execute(
            select(AuditEntry.actor, AuditEntry.action)
            .where(AuditEntry.case_id == case_id)
            .order_by(AuditEntry.id)
        )
        return [(actor, action) for actor, action in rows]


def test_a_worker_sees_their_dong_and_another_dongs_worker_gets_403(
    console_app: FastAPI, cases: dict[str, int], services: CaseServices
) -> None:
    park, _ = signed_in(console_app, "park")
    listed = park.get("/api/cases").json()
    assert [item["id"] for item in listed["items"]] == [cases["gwangan2"]]
    case_id = cases["hwagok1"]
    api = park.get(f"/api/cases/{case_id}")
    assert api.status_code == 403
    assert api.json()["detail"] == "담당 지역의 사례가 아니어서 볼 수 없습니다."
    page = park.get(f"/cases/{case_id}")
    assert page.status_code == 403 and "담당 지역의 사례가 아니어서" in page.text
    assert SCRIPT not in page.text and "쪽지" not in page.text
    assert park.get(f"/api/cases/{case_id}/events").status_code == 403
    assert park.get(f"/cases/{case_id}/photo").status_code == 403
    assert ("park", "case.denied") in audit_rows(services, case_id)
    assert park.get("/api/cases/999999").status_code == 404
    assert park.get("/cases/999999").status_code == 404
    assert park.get("/cases/99999999999").status_code == 422, "refused, not a server error"


def test_a_supervisor_sees_the_whole_district(console_app: FastAPI, cases: dict[str, int]) -> None:
    lee, _ = signed_in(console_app, "lee")
    listed = {item["id"] for item in lee.get("/api/cases").json()["items"]}
    assert listed == {cases["hwagok1"], cases["hwagok2"]}
    assert lee.get(f"/api/cases/{cases['hwagok2']}").status_code == 200
    assert lee.get(f"/api/cases/{cases['gwangan2']}").status_code == 403
    page = lee.get("/")
    assert f'href="/cases/{cases["hwagok2"]}"' in page.text
    assert f'href="/cases/{cases["gwangan2"]}"' not in page.text


def test_the_queue_filters_by_kind_area_status_and_overdue(
    console_app: FastAPI, cases: dict[str, int], clock: SetClock
) -> None:
    lee, csrf = signed_in(console_app, "lee")

    def ids(**query: Any) -> set[int]:
        answer = lee.get("/api/cases", params=query)
        assert answer.status_code == 200, answer.text
        return {item["id"] for item in answer.json()["items"]}

    assert ids(area="서울특별시 강서구 화곡2동") == {cases["hwagok2"]}
    assert ids(kind="handoff") == set()
    assert ids(kind="report") == {cases["hwagok1"], cases["hwagok2"]}
    assert ids(status="new") == {cases["hwagok1"], cases["hwagok2"]}
    assert ids(overdue="true") == set()
    headers = {"X-CSRF-Token": csrf}
    lee.post(f"/api/cases/{cases['hwagok1']}/status", json={"status": "contacted"}, headers=headers)
    assert ids(status="contacted") == {cases["hwagok1"]}
    clock.advance(days=10)
    lee, _ = signed_in(console_app, "lee")  # the session of ten days ago has ended
    assert ids(overdue="true") == {cases["hwagok1"], cases["hwagok2"]}
    page = lee.get("/", params={"area": "서울특별시 강서구 화곡2동", "kind": "", "status": ""})
    assert f'href="/cases/{cases["hwagok2"]}"' in page.text
    assert f'href="/cases/{cases["hwagok1"]}"' not in page.text
    rows = lee.get("/queue/rows", params={"overdue": "true"})
    assert rows.status_code == 200 and messages.OVERDUE in rows.text


def test_bad_queue_parameters_are_refused_in_korean(
    console_app: FastAPI, cases: dict[str, int]
) -> None:
    kim, _ = signed_in(console_app, "kim")
    answer = kim.get("/api/cases", params={"kind": "nonsense", "page": "0"})
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith(messages.INPUT_PROBLEM)
    assert "종류" in answer.json()["detail"]
    page = kim.get("/", params={"status": "nonsense"})
    assert page.status_code == 422 and messages.INPUT_PROBLEM in page.text
    assert kim.get("/api/cases", params={"area": "화곡\x001동"}).status_code == 422


def test_markup_in_a_report_is_shown_as_text(console_app: FastAPI, cases: dict[str, int]) -> None:
    kim, _ = signed_in(console_app, "kim")
    page = kim.get(f"/cases/{cases['hwagok1']}")
    assert page.status_code == 200
    assert SCRIPT not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


def test_the_case_page_shows_the_report_in_korean_words(
    console_app: FastAPI, cases: dict[str, int]
) -> None:
    kim, _ = signed_in(console_app, "kim")
    page = kim.get(f"/cases/{cases['hwagok1']}").text
    for shown in ("며칠째 안 보임", "쓰레기·악취", "독거노인", "홍길동", "010-1234-5678", "이웃"):
        assert shown in page
    anonymous = file(
        console_app.state.console.services,
        draft(reporter=None, anonymous=True, text="익명입니다"),
    ).case_id
    page = kim.get(f"/cases/{anonymous}").text
    assert messages.REPORTER_ANONYMOUS in page and "홍길동" not in page


def test_changes_without_the_csrf_token_are_refused_and_change_nothing(
    console_app: FastAPI, cases: dict[str, int], services: CaseServices
) -> None:
    kim, _ = signed_in(console_app, "kim")
    case_id = cases["hwagok1"]
    before = events_of(services, case_id)
    changes: list[tuple[str, dict[str, Any]]] = [
        ("status", {"status": "contacted"}),
        ("reply", {"text": "안녕하세요"}),
        ("notes", {"text": "메모"}),
        ("assign", {"assignee": "kim"}),
    ]
    for action, body in changes:
        for headers in ({}, {"X-CSRF-Token": "forged"}, {"X-CSRF-Token": ""}):
            answer = kim.post(f"/api/cases/{case_id}/{action}", json=body, headers=headers)
            assert answer.status_code == 403, (action, headers)
            assert answer.json()["detail"] == messages.CSRF_REFUSED
    for action, form in (
        ("status", {"status": "contacted"}),
        ("reply", {"text": "안녕하세요"}),
        ("notes", {"text": "메모"}),
        ("assign", {"action": "take"}),
    ):
        for token in ({}, {"csrf": "forged"}):
            answer = kim.post(f"/cases/{case_id}/{action}", data={**form, **token})
            assert answer.status_code == 403, (action, token)
    _, other_sessions_csrf = signed_in(console_app, "kim")
    stolen = kim.post(
        f"/api/cases/{case_id}/notes",
        json={"text": "x"},
        headers={"X-CSRF-Token": other_sessions_csrf},
    )
    assert stolen.status_code == 403, "another session's token is not this session's"
    assert events_of(services, case_id) == before
    assert kim.get(f"/api/cases/{case_id}").json()["status"] == "new"


def test_sql_looking_input_is_stored_verbatim(
    console_app: FastAPI, cases: dict[str, int], services: CaseServices
) -> None:
    kim, csrf = signed_in(console_app, "kim")
    case_id = cases["hwagok1"]
    headers = {"X-CSRF-Token": csrf}
    note = kim.post(f"/api/cases/{case_id}/notes", json={"text": SQL}, headers=headers)
    assert note.status_code == 200 and note.json()["detail"]["text"] == SQL
    events = kim.get(f"/api/cases/{case_id}/events").json()["events"]
    assert events[-1]["kind"] == "note" and events[-1]["detail"]["text"] == SQL
    assert kim.get("/api/cases", params={"area": SQL[:100]}).json()["total"] == 0
    assert kim.get("/api/cases").json()["total"] == 1, "the cases table is still there"
    page = kim.get(f"/cases/{case_id}")
    assert "&#39;; DROP TABLE cases; -- &#34; OR 1=1" in page.text


def test_the_lifecycle_through_the_api(
    console_app: FastAPI, cases: dict[str, int], services: CaseServices
) -> None:
    kim, csrf = signed_in(console_app, "kim")
    headers = {"X-CSRF-Token": csrf}
    case_id = cases["hwagok1"]
    base = f"/api/cases/{case_id}"

    def status(body: dict[str, Any]) -> Any:
        return kim.post(f"{base}/status", json=body, headers=headers)

    taken = kim.post(f"{base}/assign", json={"assignee": "kim"}, headers=headers)
    assert taken.status_code == 200
    assert kim.get(base).json()["status"] == "assigned", "taking a new case assigns it"
    for step in ("contacted", "visited", "linked"):
        assert status({"status": step}).status_code == 200
    no_outcome = status({"status": "closed"})
    assert no_outcome.status_code == 409
    assert no_outcome.json()["detail"] == "종결하려면 처리 결과를 골라 주세요."
    assert status({"status": "closed", "outcome": "made up"}).status_code == 409
    assert status({"status": "visited"}).status_code == 409, "no going back"
    assert status({"status": "unknown"}).status_code == 422
    closed = status({"status": "closed", "outcome": "service_linked"})
    assert closed.status_code == 200
    assert closed.json()["detail"] == {
        "from": "linked",
        "to": "closed",
        "outcome": "service_linked",
    }
    assert kim.get(base).json()["outcome"] == "service_linked"
    assert status({"status": "assigned"}).status_code == 409, "a worker cannot reopen"
    lee, lee_csrf = signed_in(console_app, "lee")
    reopened = lee.post(
        f"{base}/status",
        json={"status": "assigned", "reason": "다시 연락 옴"},
        headers={"X-CSRF-Token": lee_csrf},
    )
    assert reopened.status_code == 200 and reopened.json()["detail"]["reason"] == "다시 연락 옴"


def test_the_lifecycle_through_the_case_page(console_app: FastAPI, cases: dict[str, int]) -> None:
    kim, _ = signed_in(console_app, "kim")
    case_id = cases["hwagok1"]
    page = kim.get(f"/cases/{case_id}")
    csrf = form_csrf(page.text)
    assert messages.TAKE_CASE in page.text
    taken = kim.post(f"/cases/{case_id}/assign", data={"csrf": csrf, "action": "take"})
    assert taken.status_code == 200 and messages.DONE in taken.text
    assert messages.DROP_CASE in taken.text
    refused = kim.post(f"/cases/{case_id}/status", data={"csrf": csrf, "status": "closed"})
    assert refused.status_code == 409 and "종결하려면 처리 결과를 골라 주세요." in refused.text
    assert '<option value="closed" selected>' in refused.text, "the choice is kept"
    closed = kim.post(
        f"/cases/{case_id}/status",
        data={"csrf": csrf, "status": "closed", "outcome": "no_need"},
    )
    assert closed.status_code == 200 and "지원 불필요" in closed.text
    assert messages.STATUS_NONE_LEFT in closed.text


def test_notes_are_added_and_an_empty_one_is_refused_with_the_text_kept(
    console_app: FastAPI, cases: dict[str, int], services: CaseServices
) -> None:
    kim, _ = signed_in(console_app, "kim")
    case_id = cases["hwagok1"]
    csrf = form_csrf(kim.get(f"/cases/{case_id}").text)
    before = events_of(services, case_id)
    empty = kim.post(f"/cases/{case_id}/notes", data={"csrf": csrf, "text": "   "})
    assert empty.status_code == 422 and messages.INPUT_PROBLEM in empty.text
    too_long = kim.post(f"/cases/{case_id}/notes", data={"csrf": csrf, "text": "가" * 4001})
    assert too_long.status_code == 422 and "가" * 4001 in too_long.text
    assert events_of(services, case_id) == before
    added = kim.post(
        f"/cases/{case_id}/notes",
        data={"csrf": csrf, "text": "집주인과 통화함"},
        follow_redirects=False,
    )
    assert added.headers["location"] == f"/cases/{case_id}?done=note#note", "back to the form"
    shown = kim.get(added.headers["location"])
    assert messages.DONE in shown.text and "집주인과 통화함" in shown.text


def test_api_bad_input_is_refused_in_korean_and_changes_nothing(
    console_app: FastAPI, cases: dict[str, int], services: CaseServices
) -> None:
    kim, csrf = signed_in(console_app, "kim")
    case_id = cases["hwagok1"]
    headers = {"X-CSRF-Token": csrf}
    before = events_of(services, case_id)
    for action, body in (
        ("notes", {"text": ""}),
        ("notes", {"text": "x", "extra": 1}),
        ("notes", {}),
        ("reply", {"text": "가" * 2001}),
        ("status", {"status": "closed", "outcome": "x" * 31}),
    ):
        answer = kim.post(f"/api/cases/{case_id}/{action}", json=body, headers=headers)
        assert answer.status_code == 422, (action, body)
        assert answer.json()["detail"].startswith(messages.INPUT_PROBLEM)
    raw = kim.post(
        f"/api/cases/{case_id}/notes",
        content=b"{not json",
        headers={**headers, "Content-Type": "application/json"},
    )
    assert raw.status_code == 422
    assert events_of(services, case_id) == before


def test_reads_and_changes_are_in_the_access_record_with_who(
    console_app: FastAPI, cases: dict[str, int], services: CaseServices
) -> None:
    kim, csrf = signed_in(console_app, "kim")
    case_id = cases["hwagok1"]
    kim.get(f"/cases/{case_id}")
    kim.get(f"/api/cases/{case_id}")
    kim.post(f"/api/cases/{case_id}/notes", json={"text": "메모"}, headers={"X-CSRF-Token": csrf})
    assert audit_rows(services, case_id)[-3:] == [
        ("kim", "case.read"),
        ("kim", "case.read"),
        ("kim", "case.note"),
    ]
    assert kim.get("/audit").status_code == 403, "workers have no access record page"
    assert kim.get("/api/audit").status_code == 403
    lee, _ = signed_in(console_app, "lee")
    page = lee.get("/audit", params={"case_id": case_id})
    assert page.status_code == 200 and "사례 열람" in page.text and "메모" in page.text
    entries = lee.get("/api/audit").json()["entries"]
    assert {entry["case_id"] for entry in entries} <= {cases["hwagok1"], cases["hwagok2"]}
    choi, _ = signed_in(console_app, "choi")
    everything = choi.get("/api/audit", params={"limit": 500}).json()["entries"]
    assert {"session.login", "user.create"} <= {entry["action"] for entry in everything}


def test_the_photo_is_served_only_to_staff_of_the_area(
    console_app: FastAPI, console_settings: Settings, services: CaseServices, cases: dict[str, int]
) -> None:
    folder = console_settings.report_photos_dir / "2026"
    folder.mkdir(parents=True)
    (folder / "door.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    case_id = file(services, draft(photo=PhotoRef("2026/door.png", "image/png"))).case_id
    kim, _ = signed_in(console_app, "kim")
    page = kim.get(f"/cases/{case_id}")
    assert f'src="/cases/{case_id}/photo"' in page.text
    photo = kim.get(f"/cases/{case_id}/photo")
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/png"
    assert photo.content.startswith(b"\x89PNG")
    assert kim.get(f"/api/cases/{case_id}").json()["report"]["photo"]["url"] == (
        f"/cases/{case_id}/photo"
    )
    park, _ = signed_in(console_app, "park")
    assert park.get(f"/cases/{case_id}/photo").status_code == 403
    anonymous = TestClient(console_app)
    assert anonymous.get(f"/cases/{case_id}/photo", follow_redirects=False).status_code == 303
    no_photo = kim.get(f"/cases/{cases['hwagok1']}/photo")
    assert no_photo.status_code == 404


def test_health_answers_without_signing_in(client: TestClient) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


def test_a_supervisor_gives_a_case_to_a_worker_of_its_area(
    console_app: FastAPI, cases: dict[str, int]
) -> None:
    lee, _ = signed_in(console_app, "lee")
    case_id = cases["hwagok1"]
    page = lee.get(f"/cases/{case_id}")
    assert messages.ASSIGN_OTHER_FIELD in page.text
    csrf = form_csrf(page.text)
    elsewhere = lee.post(
        f"/cases/{case_id}/assign", data={"csrf": csrf, "action": "give", "assignee": "park"}
    )
    assert elsewhere.status_code == 409 and "이 사례의 지역을 맡고 있지 않습니다" in elsewhere.text
    given = lee.post(
        f"/cases/{case_id}/assign", data={"csrf": csrf, "action": "give", "assignee": "kim"}
    )
    assert given.status_code == 200 and messages.DONE in given.text
    assert lee.get(f"/api/cases/{case_id}").json()["assignee"] == "kim"
    kim, _ = signed_in(console_app, "kim")
    assert messages.ASSIGN_OTHER_FIELD not in kim.get(f"/cases/{case_id}").text


def test_resident_numbers_never_show_in_the_transcript_or_a_reply(
    console_app: FastAPI, services: CaseServices, staff: dict[str, Viewer]
) -> None:
    said = TranscriptEntry(
        role="user", text="제 주민번호는 900101-1234567 이에요", at="2026-12-03T01:00:00+00:00"
    )
    case_id = file(services, conversation_id="telegram-4242", transcript=[said]).case_id
    kim, csrf = signed_in(console_app, "kim")
    reply = kim.post(
        f"/api/cases/{case_id}/reply",
        json={"text": "확인했습니다. 900101-1234567 은 보내지 마세요."},
        headers={"X-CSRF-Token": csrf},
    )
    assert reply.status_code == 200
    page = kim.get(f"/cases/{case_id}").text
    assert "900101-1234567" not in page and "제 주민번호는 ******-******* 이에요" in page
    assert "확인했습니다. ******-******* 은" in page
    assert "900101-1234567" not in kim.get(f"/api/cases/{case_id}").text
