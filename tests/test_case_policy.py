"""The case policy: deadlines in working time, report priority, the file's checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cases.models import KINDS, PRIORITIES
from cases.policy import POLICY_FILE, PolicyError, load_policy

SEOUL = ZoneInfo("Asia/Seoul")
POLICY = load_policy()


def seoul(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("kind", "priority", "opened", "due"),
    [
        # Friday 17:30 → three working days later, same time: Wednesday 17:30.
        ("report", "normal", seoul(2026, 12, 4, 17, 30), seoul(2026, 12, 9, 17, 30)),
        # Saturday: counted from Monday's opening.
        ("report", "normal", seoul(2026, 12, 5, 10, 0), seoul(2026, 12, 10, 9, 0)),
        # A weekday evening: counted from the next morning.
        ("report", "normal", seoul(2026, 12, 8, 20, 0), seoul(2026, 12, 14, 9, 0)),
        # 추석 (9-24, 9-25) and the weekend are skipped.
        ("report", "normal", seoul(2026, 9, 22, 10, 0), seoul(2026, 9, 29, 10, 0)),
        # 성탄절 (Friday 12-25) is skipped.
        ("report", "normal", seoul(2026, 12, 24, 11, 0), seoul(2026, 12, 30, 11, 0)),
        # Before opening on a working day: from that morning's opening.
        ("report", "normal", seoul(2026, 12, 3, 7, 0), seoul(2026, 12, 8, 9, 0)),
        # Critical: two hours on the clock, even on a Saturday night.
        ("report", "critical", seoul(2026, 12, 5, 2, 0), seoul(2026, 12, 5, 4, 0)),
        ("emergency", "critical", seoul(2026, 12, 31, 23, 30), seoul(2027, 1, 1, 1, 30)),
        # High: closing time the same working day, or the next working day's.
        ("report", "high", seoul(2026, 12, 3, 10, 0), seoul(2026, 12, 3, 18, 0)),
        ("report", "high", seoul(2026, 12, 3, 18, 0), seoul(2026, 12, 4, 18, 0)),
        # 10-03 개천절 (Sat), its substitute Monday 10-05: Friday night → Tuesday.
        ("report", "high", seoul(2026, 10, 2, 19, 0), seoul(2026, 10, 6, 18, 0)),
        # One working day for a handoff.
        ("handoff", "normal", seoul(2026, 12, 4, 15, 0), seoul(2026, 12, 7, 15, 0)),
    ],
)
def test_due_at(kind: str, priority: str, opened: dt.datetime, due: dt.datetime) -> None:
    assert POLICY.due_at(kind, priority, opened) == due


def test_due_at_reads_utc_in_office_time() -> None:
    # Friday 2026-12-04 08:30 UTC is 17:30 in Seoul.
    opened = dt.datetime(2026, 12, 4, 8, 30, tzinfo=dt.UTC)
    assert POLICY.due_at("report", "normal", opened) == seoul(2026, 12, 9, 17, 30)


@given(
    st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 20)),
    st.sampled_from(KINDS),
    st.sampled_from(PRIORITIES),
)
def test_a_deadline_is_later_and_working_deadlines_fall_in_office_hours(
    opened: dt.datetime, kind: str, priority: str
) -> None:
    at = opened.replace(tzinfo=SEOUL)
    due = POLICY.due_at(kind, priority, at)
    assert due > at
    deadline = POLICY.deadlines[(kind, priority)]
    if deadline.clock_hours is None:
        assert POLICY.is_working_day(due.date())
        assert POLICY.office.opens <= due.time() <= POLICY.office.closes


@pytest.mark.parametrize(
    ("signs", "urgent", "danger", "priority"),
    [
        (["self_harm"], False, False, "critical"),
        (["abuse", "debt"], False, False, "critical"),
        (["debt"], False, True, "critical"),
        (["debt"], True, False, "high"),
        (["utility_cut"], False, False, "high"),
        (["skipping_meals"], False, False, "high"),
        (["not_seen"], False, False, "high"),
        (["rent_arrears", "rubbish_smell"], False, False, "normal"),
        ([], False, False, "normal"),
    ],
)
def test_report_priority(signs: list[str], urgent: bool, danger: bool, priority: str) -> None:
    assert POLICY.report_priority(signs, urgent=urgent, danger=danger) == priority


def test_the_holidays_are_weekdays_of_2026_and_2027_and_2026_is_checked() -> None:
    assert POLICY.holidays
    for day, holiday in POLICY.holidays.items():
        assert day.weekday() < 5, holiday
        assert day.year in (2026, 2027)
        assert holiday.verified or day.year == 2027, holiday
    assert not POLICY.is_working_day(dt.date(2026, 7, 17))  # 제헌절, a holiday again
    assert POLICY.is_working_day(dt.date(2026, 5, 1))  # 노동절: not for 관공서 (yet)


def test_outcomes_have_korean_labels() -> None:
    assert POLICY.outcomes["service_linked"] == "서비스 연계"
    assert len(POLICY.outcomes) == 10


def _broken(tmp_path: Path, change: str) -> Path:
    raw = yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))
    if change == "missing kind":
        del raw["deadlines"]["fallback"]
    elif change == "bad deadline":
        raw["deadlines"]["report"]["normal"] = {"working_days": 0}
    elif change == "unknown sign":
        raw["report_priority"]["high_signs"].append("grumpy")
    elif change == "office inside out":
        raw["office"]["opens"] = "19:00"
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "change", ["missing kind", "bad deadline", "unknown sign", "office inside out"]
)
def test_a_broken_policy_file_is_refused(tmp_path: Path, change: str) -> None:
    with pytest.raises(PolicyError):
        load_policy(_broken(tmp_path, change))
