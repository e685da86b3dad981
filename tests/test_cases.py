"""The case store on SQLite and PostgreSQL: migrations, the chat's repository, the
append-only logs, ``ieum escalations list``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import cast

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from cases.db import alembic_config, create_db_engine, upgrade_database
from cases.errors import CaseNotFound
from cases.masking import TranscriptEntry
from cases.models import PRIORITIES, Base, CaseKind, Priority
from cases.store import CaseStore
from core.settings import get_settings
from ieum.cli import main

TRANSCRIPT: list[TranscriptEntry] = [
    {
        "role": "user",
        "text": "주민번호 9001011234567 알려드려요",
        "at": "2026-11-24T01:00:00+00:00",
    },
    {"role": "bot", "text": "주민등록번호는 보내지 마세요.", "at": "2026-11-24T01:00:01+00:00"},
]


class Clock:
    """A clock that moves one minute each time it is read."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


@pytest.fixture
def store(case_engine: Engine) -> CaseStore:
    return CaseStore(case_engine, clock=Clock())


def open_case(store: CaseStore, kind: str = "handoff", priority: str = "normal") -> int:
    """Open a case; kind and priority are plain strings so tests can pass invalid ones."""
    record = store.open_escalation(
        kind=cast(CaseKind, kind),
        priority=cast(Priority, priority),
        conversation_id="telegram-42",
        channel="telegram",
        summary="주민이 담당자 상담을 요청함 / 900101-1234567",
        transcript=TRANSCRIPT,
        area="서울특별시 강서구",
    )
    return record.id


# --- schema ----------------------------------------------------------------------------
def test_the_migration_builds_the_schema_the_models_describe(case_engine: Engine) -> None:
    with case_engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, Base.metadata) == []
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert context.get_current_revision() == head


def test_migrations_run_again_harmlessly_and_downgrade(case_database_url: str) -> None:
    engine = create_db_engine(case_database_url)
    upgrade_database(engine)
    upgrade_database(engine)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade_database(engine)
    assert set(inspect(engine).get_table_names()) == {
        "alembic_version",
        "cases",
        "case_events",
        "reports",
        "consents",
        "staff_users",
        "staff_sessions",
        "audit_log",
        "outbound_replies",
        "checkin_people",
        "checkin_contacts",
        "checkin_invitations",
        "checkins",
        "checkin_attempts",
        "checkin_answers",
        "checkin_steps",
    }
    engine.dispose()


def migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def test_escalations_become_cases_with_their_events_and_guards(case_database_url: str) -> None:
    engine = create_db_engine(case_database_url)
    migrate(engine, "0001")
    opened = "2026-11-24 01:00:00+00:00"
    with engine.begin() as connection:
        for number, status in ((7, "open"), (8, "in_progress"), (9, "closed")):
            connection.execute(
                text(
                    "INSERT INTO escalations (id, kind, priority, status, conversation_id, "
                    "channel, summary, transcript, area, created_at, updated_at) VALUES "
                    "(:id, 'handoff', 'normal', :status, 'c', 'telegram', 's', '[]', NULL, "
                    ":at, :at)"
                ),
                {"id": number, "status": status, "at": opened},
            )
            connection.execute(
                text(
                    "INSERT INTO escalation_events (escalation_id, at, kind, actor, detail) "
                    "VALUES (:id, :at, 'opened', 'ieum', '{}')"
                ),
                {"id": number, "at": opened},
            )
    upgrade_database(engine)
    assert "escalations" not in inspect(engine).get_table_names()
    store = CaseStore(engine, clock=Clock())
    assert [(r.id, r.status) for r in store.list_open(include_closed=True)] == [
        (7, "new"),
        (8, "assigned"),
        (9, "closed"),
    ]
    migrated = store.get(7)
    assert migrated is not None and migrated.due_at == migrated.created_at
    assert [e.kind for e in migrated.events] == ["opened"]
    assert open_case(store) == 10, "new ids go on after the migrated ones"
    with pytest.raises((IntegrityError, DBAPIError)), engine.begin() as connection:
        connection.execute(text("DELETE FROM case_events"))
    migrate(engine, "0001", down=True)
    with engine.connect() as connection:
        statuses = connection.execute(text("SELECT id, status FROM escalations ORDER BY id"))
        assert [tuple(row) for row in statuses] == [
            (7, "open"),
            (8, "in_progress"),
            (9, "closed"),
            (10, "open"),
        ]
    engine.dispose()


# --- the repository --------------------------------------------------------------------
def test_an_opened_escalation_is_stored_masked_with_its_opened_event(store: CaseStore) -> None:
    number = open_case(store, "emergency", "critical")
    record = store.get(number)
    assert record is not None
    assert (record.kind, record.priority, record.status) == ("emergency", "critical", "new")
    assert record.due_at == record.created_at + dt.timedelta(hours=2)
    assert record.area == "서울특별시 강서구"
    assert record.summary.endswith("******-*******")
    assert record.transcript[0]["text"] == "주민번호 ******-******* 알려드려요"
    assert record.transcript[1] == dict(TRANSCRIPT[1])
    assert record.created_at.tzinfo is not None
    assert [(e.kind, e.actor) for e in record.events] == [("opened", "ieum")]
    assert record.events[0].detail == {"kind": "emergency", "priority": "critical"}


def test_events_are_appended_in_order_and_masked(store: CaseStore) -> None:
    number = open_case(store)
    store.add_event(number, "note", "staff:kim", {"text": "전화함 800101-2345678"})
    store.set_status(number, "assigned", "staff:kim")
    record = store.get(number)
    assert record is not None
    assert [e.kind for e in record.events] == ["opened", "note", "status_changed"]
    assert record.events[1].detail == {"text": "전화함 ******-*******"}
    assert record.events[2].detail == {"from": "new", "to": "assigned"}
    assert record.status == "assigned"
    assert record.updated_at == record.events[2].at > record.created_at
    times = [e.at for e in record.events]
    assert times == sorted(times)


def test_unknown_escalations(store: CaseStore) -> None:
    assert store.get(999) is None
    with pytest.raises(CaseNotFound):
        store.add_event(999, "note", "staff:kim")


def test_the_database_refuses_to_change_or_remove_events(
    store: CaseStore, case_engine: Engine
) -> None:
    open_case(store)
    for statement in (
        "UPDATE case_events SET actor = 'someone'",
        "DELETE FROM case_events",
        "DELETE FROM cases",
    ):
        with pytest.raises((IntegrityError, DBAPIError)), case_engine.begin() as connection:
            connection.execute(text(statement))
    assert len(store.list_open()) == 1


def test_the_repository_has_no_way_to_change_an_event() -> None:
    public = {name for name in dir(CaseStore) if not name.startswith("_")}
    assert public == {
        "open_escalation",
        "open_or_follow_up",
        "add_event",
        "set_status",
        "list_open",
        "get",
    }


def test_open_ones_are_listed_most_urgent_first(store: CaseStore) -> None:
    normal = open_case(store, "handoff", "normal")
    critical = open_case(store, "emergency", "critical")
    high = open_case(store, "checkin_concern", "high")
    closed = open_case(store, "fallback", "normal")
    store.set_status(closed, "closed", "staff:kim")
    assert [r.id for r in store.list_open()] == [critical, high, normal]
    assert [r.id for r in store.list_open(include_closed=True)] == [critical, high, normal, closed]


def test_a_region_that_names_no_area_leaves_the_case_unrouted(store: CaseStore) -> None:
    record = store.open_escalation(
        kind="handoff",
        priority="normal",
        conversation_id="web-1",
        channel="webchat",
        summary="상담 요청",
        transcript=[],
        area="서울특별시",
    )
    assert record.area is None
    assert record.events[0].detail["region"] == "서울특별시"
    named = store.open_escalation(
        kind="handoff",
        priority="normal",
        conversation_id="web-2",
        channel="webchat",
        summary="상담 요청",
        transcript=[],
        area="부산 수영구",
    )
    assert named.area == "부산광역시 수영구"


def test_priorities_sort_alphabetically_in_urgency_order() -> None:
    # The queue's ORDER BY priority relies on it (and so the queue index serves the sort).
    assert sorted(PRIORITIES) == list(PRIORITIES)


def test_only_known_kinds_priorities_and_statuses_are_stored(
    store: CaseStore, case_engine: Engine
) -> None:
    with pytest.raises(KeyError):  # the policy has no deadline for it
        open_case(store, "gossip", "normal")
    number = open_case(store)
    for column, value in (
        ("kind", "gossip"),
        ("priority", "whenever"),
        ("status", "open"),
        ("outcome", "no_need"),  # an outcome only on a closed case
    ):
        with pytest.raises(IntegrityError), case_engine.begin() as connection:
            connection.execute(
                text(f"UPDATE cases SET {column} = :value WHERE id = :id"),
                {"value": value, "id": number},
            )


# --- ieum escalations list ---------------------------------------------------------------
@pytest.fixture
def cli_database(
    case_database_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[CaseStore]:
    monkeypatch.setenv("IEUM_DATA_DIR", str(tmp_path_factory.mktemp("var")))
    monkeypatch.setenv("IEUM_DATABASE_URL", case_database_url)
    get_settings.cache_clear()
    engine = create_db_engine(case_database_url)
    upgrade_database(engine)
    yield CaseStore(engine, clock=Clock())
    engine.dispose()
    get_settings.cache_clear()


def test_escalations_list_json_shows_open_ones(
    cli_database: CaseStore, capsys: pytest.CaptureFixture[str]
) -> None:
    handoff = open_case(cli_database)
    emergency = open_case(cli_database, "emergency", "critical")
    closed = open_case(cli_database, "fallback")
    cli_database.set_status(closed, "closed", "staff:kim")

    assert main(["escalations", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [item["id"] for item in listed] == [emergency, handoff]
    first = listed[0]
    assert first["kind"] == "emergency" and first["priority"] == "critical"
    assert first["status"] == "new" and first["area"] == "서울특별시 강서구"
    assert first["transcript"][0]["text"] == "주민번호 ******-******* 알려드려요"
    assert first["events"][0]["kind"] == "opened"
    dt.datetime.fromisoformat(first["created_at"])

    assert main(["escalations", "list", "--json", "--all"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_escalations_list_in_text(
    cli_database: CaseStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["escalations", "list"]) == 0
    assert capsys.readouterr().out.strip() == "처리할 요청이 없습니다."
    number = open_case(cli_database, "emergency", "critical")
    assert main(["escalations", "list"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("처리할 요청 1건\n")
    assert f"#{number} [긴급] 긴급 상황 · 접수 · 2026-11-24 10:01 · 서울특별시 강서구" in out
