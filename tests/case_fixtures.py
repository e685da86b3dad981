"""Case-store fixtures: a settable clock, the case services on SQLite and PostgreSQL, staff
of three areas, and a helper to file reports."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from cases.access import Viewer
from cases.report_draft import ReportDraft, Reporter
from cases.reports import ConsentGiven, ReportReceipt
from cases.service import CaseServices, case_services

SEOUL = ZoneInfo("Asia/Seoul")
HWAGOK1 = "서울특별시 강서구 화곡1동"
HWAGOK2 = "서울특별시 강서구 화곡2동"
GANGSEO = "서울특별시 강서구"
GWANGAN2 = "부산광역시 수영구 광안2동"
CONSENT = ConsentGiven("telegram:42", "report-2026-12")
_KEYS = itertools.count(1)


class SetClock:
    """A clock that stands still until a test moves it (``now`` is assignable)."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> SetClock:
    """Thursday 2026-12-03 10:00 in Seoul: office hours, a working day."""
    return SetClock(dt.datetime(2026, 12, 3, 10, 0, tzinfo=SEOUL))


# argon2id at its lowest cost: the production parameters take ~0.2 s a hash.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def services(case_engine: Engine, clock: SetClock) -> CaseServices:
    return case_services(case_engine, clock, FAST_HASHER)


@pytest.fixture
def staff(services: CaseServices) -> dict[str, Viewer]:
    """A worker in 화곡1동, a worker in 광안2동, the 강서구 supervisor and an admin."""
    people = {
        "kim": ("worker", [HWAGOK1]),
        "park": ("worker", [GWANGAN2]),
        "lee": ("supervisor", [GANGSEO]),
        "choi": ("admin", []),
    }
    found: dict[str, Viewer] = {}
    for login, (role, areas) in people.items():
        account = services.staff.create_user(
            login, role=role, areas=areas, password="correct horse battery", actor="test"
        )
        found[login] = account.viewer
    return found


def draft(**changes: Any) -> ReportDraft:
    """A report about a neighbour in 화곡1동 who has not been seen; fields can be changed."""
    fields: dict[str, Any] = {
        "about": "other",
        "relation": "이웃",
        "region": "강서구 화곡1동",
        "signs": ("not_seen", "rubbish_smell"),
        "text": "옆집 할머니가 일주일째 안 보이세요.",
        "household": "elderly_alone",
        "reporter": Reporter("홍길동", "010-1234-5678"),
    }
    fields.update(changes)
    return ReportDraft(**fields)


def file(services: CaseServices, report: ReportDraft | None = None, **kwargs: Any) -> ReportReceipt:
    """File ``report`` (``draft()`` by default) under a fresh dedup key unless one is given."""
    options: dict[str, Any] = {
        "consent": CONSENT,
        "channel": "telegram",
        "dedup_key": f"test:{next(_KEYS)}",
        "conversation_id": "telegram:42",
    }
    options.update(kwargs)
    return services.reports.file_report(report or draft(), **options)
