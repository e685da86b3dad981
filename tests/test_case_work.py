"""Staff work on cases: who sees what, the queue, a case's page, its lifecycle, replies,
the overdue tick and the access record."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Mapper

from cases import messages
from cases.access import Viewer
from cases.errors import AccessDenied, CaseNotFound, TransitionRefused
from cases.models import AuditEntry, CaseEvent, OutboundReply
from cases.overdue import mark_overdue
from cases.queue import CaseFilters
from cases.records import CaseSummary
from cases.service import CaseServices
from tests.case_fixtures import GANGSEO, GWANGAN2, HWAGOK1, HWAGOK2, SetClock, draft, file


def listed(services: CaseServices, viewer: Viewer, **filters: Any) -> list[int]:
    page = services.queue.list_cases(viewer, CaseFilters(**filters))
    return [item.id for item in page.items]


@pytest.fixture
def cases(services: CaseServices, clock: SetClock) -> dict[str, int]:
    """Reports in 화곡1동 (normal, then high), 화곡2동, 강서구 (district), 광안2동 and an
    unrouted one, a minute apart."""
    found: dict[str, int] = {}
    for name, region, signs in (
        ("hwagok1", "강서구 화곡1동", ("rent_arrears",)),
        ("hwagok1_high", "강서구 화곡1동", ("utility_cut",)),
        ("hwagok2", "강서구 화곡2동", ("debt",)),
        ("gangseo", "서울 강서구", ("debt",)),
        ("gwangan2", "수영구 광안2동", ("debt",)),
        ("unrouted", None, ("debt",)),
    ):
        found[name] = file(services, draft(region=region, signs=signs)).case_id
        clock.advance(minutes=1)
    return found


# --- who sees what --------------------------------------------------------------------------
def test_a_worker_sees_only_their_dong(
    services: CaseServices, staff: dict[str, Viewer], cases: dict[str, int]
) -> None:
    assert listed(services, staff["kim"]) == [cases["hwagok1_high"], cases["hwagok1"]]
    assert listed(services, staff["park"]) == [cases["gwangan2"]]


def test_another_areas_worker_cannot_read_or_touch_a_case(
    services: CaseServices, staff: dict[str, Viewer], cases: dict[str, int]
) -> None:
    park, case_id = staff["park"], cases["hwagok1"]
    for attempt in (
        lambda: services.desk.detail(park, case_id),
        lambda: services.desk.add_note(park, case_id, "메모"),
        lambda: services.desk.change_status(park, case_id, "contacted"),
        lambda: services.desk.reply(park, case_id, "안녕하세요"),
        lambda: services.desk.assign(park, case_id, "park"),
    ):
        with pytest.raises(AccessDenied) as denied:
            attempt()
        assert denied.value.message == messages.ACCESS_DENIED
    record = services.desk.detail(staff["kim"], case_id)
    assert [e.kind for e in record.events] == ["opened"], "nothing was changed"
    with services.engine.connect() as connection:
        denials = connection.execute(
            select(AuditEntry.actor, AuditEntry.case_id).where(AuditEntry.action == "case.denied")
        ).all()
    assert denials == [("park", case_id)] * 5
    with pytest.raises(CaseNotFound):
        services.desk.detail(staff["kim"], 99999)


def test_a_supervisor_sees_the_district_and_its_dongs_and_an_admin_everything(
    services: CaseServices, staff: dict[str, Viewer], cases: dict[str, int]
) -> None:
    seoul = {cases[n] for n in ("hwagok1", "hwagok1_high", "hwagok2", "gangseo")}
    assert set(listed(services, staff["lee"])) == seoul
    assert set(listed(services, staff["choi"])) == set(cases.values())
    assert listed(services, staff["choi"], unrouted=True) == [cases["unrouted"]]
    assert listed(services, staff["lee"], unrouted=True) == []
    assert set(listed(services, staff["lee"], area=HWAGOK1)) == {
        cases["hwagok1"],
        cases["hwagok1_high"],
    }
    assert listed(services, staff["lee"], area=GWANGAN2) == [], "a filter never widens"
    assert set(listed(services, staff["choi"], area=GANGSEO)) == seoul


# --- the queue ------------------------------------------------------------------------------
def test_the_queue_is_most_urgent_then_oldest_and_overdue_first_for_supervisors(
    services: CaseServices, staff: dict[str, Viewer], cases: dict[str, int], clock: SetClock
) -> None:
    emergency = services.store.open_escalation(
        kind="emergency",
        priority="critical",
        conversation_id="telegram:7",
        channel="telegram",
        summary="쓰러지셨어요",
        transcript=[],
        area=HWAGOK2,
    ).id
    assert listed(services, staff["lee"])[:3] == [
        emergency,
        cases["hwagok1_high"],
        cases["hwagok1"],
    ]
    clock.advance(hours=3)  # the emergency is overdue (2 h); the rest are not (18:00 / 3 days)
    clock.now = clock.now.replace(hour=17)
    page = services.queue.list_cases(staff["lee"])
    assert [item.id for item in page.items][:2] == [emergency, cases["hwagok1_high"]]
    assert [item.overdue for item in page.items][:2] == [True, False]
    clock.advance(hours=2)  # 19:00: the high one (due 18:00) is overdue as well
    supervisor = listed(services, staff["lee"])
    assert supervisor[:2] == [emergency, cases["hwagok1_high"]]
    assert listed(services, staff["lee"], overdue=True) == [emergency, cases["hwagok1_high"]]
    assert listed(services, staff["lee"], kind="emergency") == [emergency]


def test_the_queue_pages_and_counts(
    services: CaseServices, staff: dict[str, Viewer], cases: dict[str, int]
) -> None:
    first = services.queue.list_cases(staff["choi"], page=1, page_size=4)
    second = services.queue.list_cases(staff["choi"], page=2, page_size=4)
    assert (first.total, second.total) == (6, 6)
    assert len(first.items) == 4 and len(second.items) == 2
    assert not {i.id for i in first.items} & {i.id for i in second.items}
    item = first.items[0]
    assert isinstance(item, CaseSummary) and not hasattr(item, "transcript")
    assert set(item.to_json()) >= {"id", "kind", "priority", "status", "area", "due_at"}


def test_closed_cases_leave_the_default_queue(
    services: CaseServices, staff: dict[str, Viewer], cases: dict[str, int]
) -> None:
    kim = staff["kim"]
    services.desk.change_status(kim, cases["hwagok1"], "closed", outcome="no_need")
    assert listed(services, kim) == [cases["hwagok1_high"]]
    assert listed(services, kim, status="closed") == [cases["hwagok1"]]
    services.desk.assign(kim, cases["hwagok1_high"], "kim")
    assert listed(services, kim, assignee="kim") == [cases["hwagok1_high"]]


# --- a case's page ------------------------------------------------------------------------
def test_the_case_page_has_report_events_and_notes_and_each_read_is_recorded(
    services: CaseServices, staff: dict[str, Viewer], cases: dict[str, int]
) -> None:
    kim, case_id = staff["kim"], cases["hwagok1"]
    services.desk.add_note(kim, case_id, "통장님께 확인 부탁드림 900101-1234567")
    record = services.desk.detail(kim, case_id)
    assert record.report is not None and record.report.household == "elderly_alone"
    [note] = record.notes
    assert (note.actor, note.detail["text"]) == ("kim", "통장님께 확인 부탁드림 ******-*******")
    assert record.to_json()["report"]["reporter"] == {"name": "홍길동", "phone": "01012345678"}
    entries = services.audit.entries(kim, case_id=case_id)
    assert [(e.action, e.actor) for e in entries] == [
        ("case.read", "kim"),
        ("case.note", "kim"),
        ("report.file", "ieum"),
    ]
    assert services.audit.entries(staff["park"], case_id=case_id) == []
    with pytest.raises(TransitionRefused):
        services.desk.add_note(kim, case_id, "   ")


# --- the lifecycle --------------------------------------------------------------------------
def test_a_case_moves_forward_and_closes_with_an_outcome(
    services: CaseServices, staff: dict[str, Viewer], cases: dict[str, int]
) -> None:
    kim, case_id = staff["kim"], cases["hwagok1"]
    services.desk.change_status(kim, case_id, "contacted")  # skipping 'assigned'
    refusals = [
        ("assigned", None, messages.BACKWARD_STATUS),
        ("contacted", None, messages.SAME_STATUS),
        ("closed", None, messages.OUTCOME_NEEDED),
        ("closed", "vanished", messages.OUTCOME_UNKNOWN),
        ("visited", "no_need", messages.OUTCOME_ONLY_WHEN_CLOSING),
    ]
    for status, outcome, message in refusals:
        with pytest.raises(TransitionRefused) as refused:
            services.desk.change_status(kim, case_id, status, outcome=outcome)  # type: ignore[arg-type]
        assert refused.value.message == message
    services.desk.change_status(kim, case_id, "closed", outcome="service_linked")
    record = services.desk.detail(kim, case_id)
    assert (record.status, record.outcome) == ("closed", "service_linked")
    moves = [e.detail for e in record.events if e.kind == "status_changed"]
    assert moves == [
        {"from": "new", "to": "contacted"},
        {"from": "contacted", "to": "closed", "outcome": "service_linked"},
    ]


def test_only_a_supervisor_or_admin_reopens_a_closed_case(
    services: CaseServices, staff: dict[str, Viewer], cases: dict[str, int]
) -> None:
    kim, lee, case_id = staff["kim"], staff["lee"], cases["hwagok1"]
    services.desk.change_status(kim, case_id, "closed", outcome="unreachable")
    with pytest.raises(TransitionRefused, match="관리자만"):
        services.desk.change_status(kim, case_id, "assigned")
    with pytest.raises(TransitionRefused) as refused:
        services.desk.change_status(lee, case_id, "contacted")
    assert refused.value.message == messages.REOPEN_TO_ASSIGNED
    services.desk.change_status(lee, case_id, "assigned", reason="이웃이 다시 신고함")
    record = services.desk.detail(lee, case_id)
    assert (record.status, record.outcome) == ("assigned", None)
    assert record.events[-1].detail == {
        "from": "closed",
        "to": "assigned",
        "reason": "이웃이 다시 신고함",
    }


def test_assignment(
    services: CaseServices, staff: dict[str, Viewer], cases: dict[str, int]
) -> None:
    kim, lee, case_id = staff["kim"], staff["lee"], cases["hwagok1"]
    with pytest.raises(TransitionRefused) as refused:
        services.desk.assign(kim, case_id, "lee")
    assert refused.value.message == messages.ASSIGN_ONLY_SELF
    with pytest.raises(TransitionRefused) as refused:
        services.desk.assign(lee, case_id, "park")  # park works in 광안2동
    assert refused.value.message == messages.ASSIGNEE_UNKNOWN
    services.desk.assign(kim, case_id, "kim")
    record = services.desk.detail(kim, case_id)
    assert (record.assignee, record.status) == ("kim", "assigned")
    assert [e.kind for e in record.events][-2:] == ["assigned", "status_changed"]
    services.desk.assign(lee, case_id, "lee")
    with pytest.raises(TransitionRefused):
        services.desk.assign(kim, case_id, None)  # not kim's any more
    services.desk.assign(lee, case_id, None)
    assert services.desk.detail(lee, case_id).assignee is None


# --- replies --------------------------------------------------------------------------------
def test_a_reply_is_an_event_a_transcript_entry_and_a_delivery_job(
    services: CaseServices, staff: dict[str, Viewer], cases: dict[str, int], clock: SetClock
) -> None:
    kim, case_id = staff["kim"], cases["hwagok1"]
    services.desk.reply(kim, case_id, "내일 오전에 방문하겠습니다.")
    record = services.desk.detail(kim, case_id)
    assert record.events[-1].kind == "reply"
    assert record.transcript[-1] == {
        "role": "staff",
        "text": "내일 오전에 방문하겠습니다.",
        "at": clock.now.isoformat(),
    }
    [job] = services.replies.claim()
    assert (job.case_id, job.conversation_id, job.text, job.author, job.attempt) == (
        case_id,
        "telegram:42",
        "내일 오전에 방문하겠습니다.",
        "kim",
        1,
    )


def test_a_reply_only_goes_where_ieum_can_write(
    services: CaseServices, staff: dict[str, Viewer], cases: dict[str, int]
) -> None:
    kim = staff["kim"]
    intake = file(services, draft(), conversation_id=None, channel="phone").case_id
    web = file(services, draft(), channel="webchat").case_id
    for case_id in (intake, web):
        with pytest.raises(TransitionRefused) as refused:
            services.desk.reply(kim, case_id, "안녕하세요")
        assert refused.value.message == messages.REPLY_UNREACHABLE
    services.desk.change_status(kim, cases["hwagok1"], "closed", outcome="no_need")
    with pytest.raises(TransitionRefused, match="종결"):
        services.desk.reply(kim, cases["hwagok1"], "안녕하세요")


@pytest.fixture
def failing_job_insert() -> Iterator[None]:
    def fail(_mapper: Mapper[OutboundReply], _connection: object, _target: object) -> None:
        raise RuntimeError("disk full")

    event.listen(OutboundReply, "before_insert", fail)
    yield
    event.remove(OutboundReply, "before_insert", fail)


def test_a_reply_that_cannot_be_queued_leaves_no_trace(
    services: CaseServices,
    staff: dict[str, Viewer],
    cases: dict[str, int],
    failing_job_insert: None,
) -> None:
    kim, case_id = staff["kim"], cases["hwagok1"]
    before = services.desk.detail(kim, case_id)
    with pytest.raises(RuntimeError):
        services.desk.reply(kim, case_id, "내일 방문하겠습니다.")
    after = services.desk.detail(kim, case_id)
    assert after.transcript == before.transcript
    assert [e.kind for e in after.events] == [e.kind for e in before.events]


def test_delivery_retries_with_backoff_then_gives_up_visibly(
    services: CaseServices, staff: dict[str, Viewer], cases: dict[str, int], clock: SetClock
) -> None:
    kim, case_id = staff["kim"], cases["hwagok1"]
    services.desk.reply(kim, case_id, "첫 답장")
    services.desk.reply(kim, case_id, "둘째 답장")
    first, second = services.replies.claim()
    assert services.replies.claim() == [], "claimed rows are leased"
    services.replies.delivered(first.id)
    services.replies.failed(second.id, "TimedOut")
    clock.advance(seconds=29)
    assert services.replies.claim() == []
    clock.advance(seconds=2)
    [retry] = services.replies.claim()
    assert (retry.id, retry.attempt) == (second.id, 2)
    for _ in range(6):
        services.replies.failed(retry.id, "TimedOut")
        clock.advance(hours=1)
        [retry] = services.replies.claim()
    services.replies.failed(retry.id, "TimedOut")  # the eighth failure
    clock.advance(hours=2)
    assert services.replies.claim() == []
    kinds = [e.kind for e in services.desk.detail(kim, case_id).events]
    assert kinds.count("reply_delivered") == 1 and kinds[-1] == "reply_failed"


@pytest.mark.parametrize("case_database_url", ["postgresql"], indirect=True)
def test_concurrent_claims_never_take_the_same_reply(
    services: CaseServices,
    staff: dict[str, Viewer],
    cases: dict[str, int],
) -> None:
    """Row locks (FOR UPDATE SKIP LOCKED): PostgreSQL only."""
    for number in range(40):
        services.desk.reply(staff["kim"], cases["hwagok1"], f"답장 {number}")
    claimed: list[int] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        barrier.wait()
        while jobs := services.replies.claim(limit=3):
            claimed.extend(job.id for job in jobs)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed) == sorted(set(claimed)) and len(claimed) == 40


# --- the overdue tick -----------------------------------------------------------------------
def test_the_overdue_tick_appends_one_event_per_case_once(
    services: CaseServices, cases: dict[str, int], clock: SetClock, case_database_url: str
) -> None:
    assert mark_overdue(services.engine, clock) == 0
    clock.now = clock.now.replace(hour=19)  # the high one was due at 18:00
    assert mark_overdue(services.engine, clock) == 1
    assert mark_overdue(services.engine, clock) == 0
    clock.advance(days=7)
    if case_database_url.startswith("sqlite"):
        assert mark_overdue(services.engine, clock) == 5
    else:
        ticks: list[int] = []
        barrier = threading.Barrier(4)

        def tick() -> None:
            barrier.wait()
            ticks.append(mark_overdue(services.engine, clock))

        threads = [threading.Thread(target=tick) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(ticks) == 5
    with services.engine.connect() as connection:
        overdue = connection.execute(
            select(CaseEvent.case_id, func.count())
            .where(CaseEvent.kind == "overdue")
            .group_by(CaseEvent.case_id)
        ).all()
    assert len(overdue) == 6 and {count for _, count in overdue} == {1}


# --- the access record ----------------------------------------------------------------------
def test_lists_are_recorded_and_the_record_is_append_only(
    services: CaseServices, staff: dict[str, Viewer], case_engine: Engine, case_database_url: str
) -> None:
    services.queue.list_cases(staff["kim"], CaseFilters(kind="report"))
    [entry] = [e for e in services.audit.entries(staff["choi"]) if e.action == "case.list"]
    assert entry.actor == "kim"
    assert entry.detail["filters"]["kind"] == "report"
    statements = ["UPDATE audit_log SET actor = 'nobody'", "DELETE FROM audit_log"]
    if not case_database_url.startswith("sqlite"):
        statements += ["TRUNCATE audit_log", "TRUNCATE case_events"]
    for statement in statements:
        with pytest.raises((IntegrityError, DBAPIError)), case_engine.begin() as connection:
            connection.execute(text(statement))
    with case_engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(AuditEntry))
