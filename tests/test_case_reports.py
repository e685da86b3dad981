"""Filing blind-spot reports: one transaction, masked, deduplicated, checked; receipts
reveal only the status."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Mapper

from cases import messages
from cases.access import Viewer
from cases.errors import ReportRejected
from cases.models import AuditEntry, Case, CaseEvent, Consent, Report
from cases.receipts import parse_receipt
from cases.report_draft import PhotoRef, Reporter
from cases.reports import ConsentGiven
from cases.retention import erase_reporter_contacts
from cases.service import CaseServices
from core.privacy import mask_rrn
from tests.case_fixtures import CONSENT, HWAGOK1, SEOUL, SetClock, draft, file

TABLES = (Case, CaseEvent, Report, Consent, AuditEntry)


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.__tablename__: connection.scalar(select(func.count()).select_from(table)) or 0
            for table in TABLES
        }


def test_a_report_is_stored_whole_and_routed(services: CaseServices, clock: SetClock) -> None:
    receipt = file(services)
    assert parse_receipt(receipt.receipt) == receipt.receipt
    assert (receipt.area, receipt.priority) == (HWAGOK1, "high")  # not_seen
    assert receipt.due_at == dt.datetime(2026, 12, 3, 18, 0, tzinfo=SEOUL)
    assert receipt.to_json()["due"] == "2026-12-03T18:00:00+09:00"
    with services.engine.connect() as connection:
        case = connection.execute(select(Case)).one()
        report = connection.execute(select(Report)).one()
        consent = connection.execute(select(Consent)).one()
        events = connection.execute(select(CaseEvent.kind, CaseEvent.actor)).all()
        audit = connection.execute(select(AuditEntry.action, AuditEntry.case_id)).all()
    assert (case.kind, case.status, case.receipt, case.channel) == (
        "report",
        "new",
        receipt.receipt,
        "telegram",
    )
    assert case.summary == "[신고] 이웃 · 며칠째 안 보임, 쓰레기·악취 · 독거노인"
    assert (report.about, report.household, report.signs) == (
        "other",
        "elderly_alone",
        ["not_seen", "rubbish_smell"],
    )
    assert (report.reporter_name, report.reporter_phone) == ("홍길동", "01012345678")
    assert report.region_text == "강서구 화곡1동"
    assert (consent.purpose, consent.subject, consent.wording_version) == (
        "report",
        "telegram:42",
        "report-2026-12",
    )
    assert report.consent_id == consent.id
    assert events == [("opened", "ieum")]
    assert audit == [("report.file", case.id)]


def test_every_text_is_masked(services: CaseServices) -> None:
    rrn = "800101-2234567"
    file(
        services,
        draft(
            text=f"주민번호 {rrn} 라고 하셨어요",
            relation=f"이웃 {rrn}",
            address_detail=f"101동 {rrn}",
            region=f"강서구 화곡1동 {rrn}",
            reporter=Reporter(f"홍길동 {rrn}", "010-1234-5678"),
        ),
        transcript=[{"role": "user", "text": f"제 번호 {rrn}", "at": "2026-12-03T01:00:00Z"}],
    )
    with services.engine.connect() as connection:
        stored = [str(row) for table in TABLES for row in connection.execute(select(table))]
    assert stored and not any("2234567" in row for row in stored)
    assert any("******-*******" in row for row in stored)


def test_sql_looking_text_is_stored_verbatim(
    services: CaseServices, staff: dict[str, Viewer]
) -> None:
    text = "'); DROP TABLE cases; -- \" OR 1=1 <script>alert(1)</script>"
    receipt = file(services, draft(text=text, relation="Robert'); DROP TABLE reports;--"))
    record = services.desk.detail(staff["choi"], receipt.case_id)
    assert record.report is not None
    assert record.report.text == text
    assert record.report.relation == "Robert'); DROP TABLE reports;--"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(min_size=1, max_size=300))
def test_any_text_is_stored_as_written_but_masked(services: CaseServices, text: str) -> None:
    receipt = file(services, draft(text=text))
    with services.engine.connect() as connection:
        stored = connection.scalar(select(Report.text).where(Report.case_id == receipt.case_id))
    assert stored == mask_rrn(text.replace("\x00", ""))[0]


def test_a_retried_filing_returns_the_same_receipt(services: CaseServices) -> None:
    first = file(services, dedup_key="telegram:42:1001")
    again = file(services, dedup_key="telegram:42:1001")
    assert again == first
    assert counts(services.engine)["cases"] == 1
    other = file(services, dedup_key="telegram:42:1002")
    assert other.receipt != first.receipt and other.case_id != first.case_id


@pytest.mark.parametrize("case_database_url", ["postgresql"], indirect=True)
def test_simultaneous_retries_store_one_case(services: CaseServices) -> None:
    """A race of writers: PostgreSQL only (SQLite serialises writers)."""
    results: list[str] = []
    barrier = threading.Barrier(8)

    def retry() -> None:
        barrier.wait()
        results.append(file(services, dedup_key="telegram:42:2001").receipt)

    threads = [threading.Thread(target=retry) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and len(set(results)) == 1
    assert counts(services.engine)["cases"] == 1


@pytest.fixture
def failing_report_insert() -> Iterator[None]:
    """The database fails right after the case row is written."""

    def fail(_mapper: Mapper[Case], _connection: object, _target: Case) -> None:
        raise RuntimeError("disk full")

    event.listen(Case, "after_insert", fail)
    yield
    event.remove(Case, "after_insert", fail)


def test_a_failure_midway_leaves_nothing_half_saved(
    services: CaseServices, failing_report_insert: None
) -> None:
    with pytest.raises(RuntimeError, match="disk full"):
        file(services)
    assert set(counts(services.engine).values()) == {0}


def test_an_anonymous_report_keeps_no_contact(services: CaseServices) -> None:
    file(services, draft(anonymous=True, reporter=None))
    with services.engine.connect() as connection:
        report = connection.execute(select(Report)).one()
    assert report.anonymous and report.reporter_name is None and report.reporter_phone is None


def test_routing_without_a_region_a_location_and_priorities(services: CaseServices) -> None:
    unrouted = file(services, draft(region=None))
    assert unrouted.area is None
    located = file(services, draft(region="화곡동", area="서울특별시 강서구 화곡2동"))
    assert located.area == "서울특별시 강서구 화곡2동"
    district = file(services, draft(region="부산 수영구", signs=("rent_arrears",)))
    assert (district.area, district.priority) == ("부산광역시 수영구", "normal")
    danger = file(services, draft(signs=("self_harm",)))
    assert danger.priority == "critical"
    assert danger.due_at - dt.datetime(2026, 12, 3, 10, 0, tzinfo=SEOUL) == dt.timedelta(hours=2)


def test_the_same_consent_is_recorded_once(services: CaseServices) -> None:
    file(services)
    file(services)
    file(services, consent=ConsentGiven("telegram:42", "report-2027-01"))
    assert counts(services.engine)["consents"] == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"about": "them"}, messages.ABOUT_INVALID),
        ({"signs": ("grumpy",)}, messages.unknown_signs(["grumpy"])),
        ({"signs": (), "text": "  "}, messages.NOTHING_REPORTED),
        ({"household": "castle"}, messages.HOUSEHOLD_INVALID),
        ({"reporter": None}, messages.CONTACT_NEEDED),
        ({"reporter": Reporter("홍길동", None)}, messages.CONTACT_NEEDED),
        ({"anonymous": True}, messages.ANONYMOUS_WITH_CONTACT),
        ({"reporter": Reporter(None, "1234")}, messages.PHONE_INVALID),
        ({"reporter": Reporter(None, "010-1234-5678-9")}, messages.PHONE_INVALID),
        ({"region": "서울"}, messages.AREA_UNKNOWN),
        ({"area": "서울특별시 강서구 화곡99동"}, messages.AREA_KEY_UNKNOWN),
        ({"photo": PhotoRef("../../etc/passwd", "image/png")}, messages.PHOTO_INVALID),
        ({"photo": PhotoRef("2026/12/a.gif", "image/gif")}, messages.PHOTO_INVALID),
        ({"text": "가" * 4001}, messages.too_long("text", 4000)),
    ],
)
def test_a_report_that_fails_a_check_is_refused_politely_and_not_stored(
    services: CaseServices, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ReportRejected) as refused:
        file(services, dataclasses.replace(draft(), **changes))
    assert refused.value.message == message
    assert set(counts(services.engine).values()) == {0}


def test_an_ambiguous_region_lists_the_candidates(services: CaseServices) -> None:
    with pytest.raises(ReportRejected) as refused:
        file(services, draft(region="서구"))
    assert len(refused.value.candidates) == 5
    assert "광주광역시 서구" in refused.value.message
    with pytest.raises(ReportRejected, match="영문 소문자"):
        file(services, channel="Phone Call")


def test_phone_numbers_are_read_as_people_write_them(services: CaseServices) -> None:
    for phone in ("010 1234 5678", "+82 10-1234-5678", "(02) 123-4567"):
        file(services, draft(reporter=Reporter(None, phone)))
    with services.engine.connect() as connection:
        phones = connection.scalars(select(Report.reporter_phone).order_by(Report.case_id)).all()
    assert phones == ["01012345678", "01012345678", "021234567"]


def test_a_receipt_reveals_only_the_status_and_its_date(
    services: CaseServices, clock: SetClock, staff: dict[str, Viewer]
) -> None:
    receipt = file(services)
    status = services.reports.status_by_receipt(receipt.receipt.lower().replace("-", " "))
    assert status is not None
    assert status.to_json() == {
        "receipt": receipt.receipt,
        "status": "new",
        "updated_at": "2026-12-03T01:00:00+00:00",
    }
    kim = staff["kim"]
    clock.advance(hours=1)
    services.desk.add_note(kim, receipt.case_id, "전화 안 받음")
    unchanged = services.reports.status_by_receipt(receipt.receipt)
    assert unchanged == status, "a staff note is not the reporter's business"
    clock.advance(hours=1)
    services.desk.assign(kim, receipt.case_id, "kim")
    moved = services.reports.status_by_receipt(receipt.receipt)
    assert moved is not None and moved.status == "assigned"
    assert moved.updated_at == clock.now
    assert services.reports.status_by_receipt("R7KQ-M2XD-9HTC") is None
    assert services.reports.status_by_receipt("not a receipt") is None


def test_status_by_receipt_ignores_cases_that_are_not_reports(services: CaseServices) -> None:
    record = services.store.open_escalation(
        kind="handoff",
        priority="normal",
        conversation_id="c",
        channel="telegram",
        summary="s",
        transcript=[],
    )
    assert record.receipt is None
    assert services.reports.status_by_receipt(CONSENT.subject) is None


def test_reporter_contacts_are_erased_a_year_after_closing(
    services: CaseServices, clock: SetClock, staff: dict[str, Viewer]
) -> None:
    closed = file(services).case_id
    still_open = file(services).case_id
    services.desk.change_status(staff["kim"], closed, "closed", outcome="service_linked")
    clock.advance(days=365)
    assert erase_reporter_contacts(services.engine, services.policy, clock) == 0
    clock.advance(days=1)
    assert erase_reporter_contacts(services.engine, services.policy, clock) == 1
    assert erase_reporter_contacts(services.engine, services.policy, clock) == 0
    erased = services.desk.detail(staff["choi"], closed)
    assert erased.report is not None
    assert (erased.report.reporter_name, erased.report.reporter_phone) == (None, None)
    assert erased.report.text == draft().text, "the report itself stays"
    assert erased.events[-1].kind == "contact_erased"
    kept = services.desk.detail(staff["choi"], still_open)
    assert kept.report is not None and kept.report.reporter_phone == "01012345678"
