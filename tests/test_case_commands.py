"""``reports file``, ``reports status`` and ``staff create-user`` as command functions
(the ``ieum`` command line wires them)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from cases import messages
from cases.commands import purge_command
from cases.db import create_db_engine
from cases.models import Case, StaffUser
from cases.report_commands import file_command, status_command
from cases.staff_commands import create_user_command
from core.settings import Settings

REPORT: dict[str, Any] = {
    "about": "other",
    "relation": "이웃",
    "region": "서울 강서구 화곡제1동",
    "address_detail": "OO빌라 2층",
    "signs": ["utility_cut", "skipping_meals"],
    "text": "전기가 끊긴 것 같아요.",
    "household": "elderly_alone",
    "urgent": False,
    "reporter": {"name": "김통장", "phone": "010-2222-3333"},
    "anonymous": False,
    "consent": True,
    "channel": "phone",
}


@pytest.fixture
def settings(case_engine: Engine, case_database_url: str, tmp_path: Path) -> Settings:
    """Settings on a migrated, empty case store."""
    return Settings(data_dir=tmp_path / "var", database_url=case_database_url)


def stored_cases(settings: Settings) -> int:
    engine = create_db_engine(settings.database_url)
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(Case)) or 0
    engine.dispose()
    return count


def file_json(settings: Settings, data: object) -> int:
    return file_command(settings, "-", io.StringIO(json.dumps(data, ensure_ascii=False)))


def test_reports_file_prints_the_receipt(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(REPORT, ensure_ascii=False), encoding="utf-8")
    assert file_command(settings, str(path)) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"receipt", "case_id", "area", "priority", "due"}
    assert (printed["area"], printed["priority"]) == ("서울특별시 강서구 화곡1동", "high")
    assert printed["due"].endswith("+09:00")
    assert file_json(settings, REPORT) == 0, "the same report filed again"
    assert json.loads(capsys.readouterr().out) == printed
    assert stored_cases(settings) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**REPORT, "consent": False}, messages.CONSENT_REQUIRED),
        ({k: v for k, v in REPORT.items() if k != "consent"}, messages.CONSENT_REQUIRED),
        ({**REPORT, "colour": "blue"}, messages.unknown_fields(["colour"])),
        ({**REPORT, "urgent": "yes"}, messages.field_invalid("urgent")),
        ({**REPORT, "signs": "utility_cut"}, messages.field_invalid("signs")),
        ({**REPORT, "reporter": {"email": "a@b"}}, messages.field_invalid("reporter")),
        ({**REPORT, "region": "화곡동"}, None),
        (["not", "an", "object"], messages.NOT_JSON),
    ],
    ids=[
        "no consent",
        "consent missing",
        "unknown field",
        "not a flag",
        "signs not a list",
        "reporter shape",
        "ambiguous region",
        "not an object",
    ],
)
def test_bad_input_is_refused_in_korean_and_nothing_is_stored(
    settings: Settings, capsys: pytest.CaptureFixture[str], data: object, message: str | None
) -> None:
    assert file_json(settings, data) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    if message is None:  # an ambiguous region lists the 행정동 to choose from
        assert "서울특별시 강서구 화곡본동" in captured.err
    else:
        assert captured.err.strip() == message
    assert stored_cases(settings) == 0


def test_reports_file_refuses_what_is_not_json(
    settings: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert file_command(settings, "-", io.StringIO("{not json")) == 2
    assert file_command(settings, str(tmp_path / "missing.json")) == 2
    assert capsys.readouterr().err.splitlines() == [messages.NOT_JSON] * 2


def test_reports_status_shows_only_the_status(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert file_json(settings, REPORT) == 0
    receipt = json.loads(capsys.readouterr().out)["receipt"]
    assert status_command(settings, receipt.lower(), as_json=True) == 0
    shown = json.loads(capsys.readouterr().out)
    assert set(shown) == {"receipt", "status", "updated_at"}
    assert (shown["receipt"], shown["status"]) == (receipt, "new")
    assert status_command(settings, receipt, as_json=False) == 0
    assert capsys.readouterr().out.startswith(f"접수번호 {receipt}: 접수 (")
    assert status_command(settings, "R7KQ-M2XD-9HTC", as_json=True) == 1
    assert capsys.readouterr().err.strip() == messages.RECEIPT_NOT_FOUND


def test_staff_create_user_resolves_areas_as_written(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    password = io.StringIO("a long enough password\n")
    assert create_user_command(settings, "kim", "worker", ["강서구 화곡1동"], True, password) == 0
    assert "서울특별시 강서구 화곡1동" in capsys.readouterr().out
    assert create_user_command(settings, "lee", "supervisor", ["서울 강서구"], True, password) == 2
    assert capsys.readouterr().err.strip() == messages.PASSWORD_TOO_SHORT  # stdin was read
    again = io.StringIO("a long enough password\n")
    assert create_user_command(settings, "lee", "worker", ["화곡동"], True, again) == 2
    assert "서울특별시 강서구 우장산동" in capsys.readouterr().err
    assert create_user_command(settings, "lee", "worker", ["화곡1동"], False) == 2
    assert capsys.readouterr().err.strip() == messages.PASSWORD_MISSING
    engine = create_db_engine(settings.database_url)
    with engine.connect() as connection:
        assert connection.scalars(select(StaffUser.login)).all() == ["kim"]
    engine.dispose()


def test_cases_purge_says_how_many_contacts_it_erased(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert purge_command(settings) == 0
    assert capsys.readouterr().out.strip() == messages.contacts_erased(0, 365)
