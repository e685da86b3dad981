"""The case policy (``policy.yaml``): deadlines in working time, report priority, outcomes,
retention.

Working time is the office's weekdays and hours in its time zone, minus the public
holidays the file lists; see the file for what each kind of deadline means.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from cases.models import KINDS, PRIORITIES, SIGNS, Priority

POLICY_FILE = Path(__file__).resolve().parent / "policy.yaml"


class PolicyError(ValueError):
    """The policy file is not what this module can use."""


@dataclass(frozen=True)
class Deadline:
    """Exactly one of the three forms is set (see ``policy.yaml``)."""

    clock_hours: float | None = None
    working_days: int | None = None
    same_working_day: bool = False


@dataclass(frozen=True)
class Office:
    zone: ZoneInfo
    weekdays: frozenset[int]
    opens: dt.time
    closes: dt.time


@dataclass(frozen=True)
class Holiday:
    date: dt.date
    name: str
    verified: bool


@dataclass(frozen=True)
class CasePolicy:
    office: Office
    holidays: Mapping[dt.date, Holiday]
    deadlines: Mapping[tuple[str, str], Deadline]
    """(kind, priority) → deadline, for every kind and priority."""
    critical_signs: frozenset[str]
    high_signs: frozenset[str]
    outcomes: Mapping[str, str]
    """Outcome code → Korean label, in the file's order."""
    reporter_contact_days: int
    """Days after closure until the reporter's name and phone are erased."""

    def due_at(self, kind: str, priority: str, opened_at: dt.datetime) -> dt.datetime:
        """When a case of ``kind`` and ``priority`` opened at ``opened_at`` must be answered
        (in the office's time zone)."""
        deadline = self.deadlines[(kind, priority)]
        local = opened_at.astimezone(self.office.zone)
        if deadline.clock_hours is not None:
            return local + dt.timedelta(hours=deadline.clock_hours)
        if deadline.same_working_day:
            day = local.date()
            if not (self.is_working_day(day) and local.time() < self.office.closes):
                day = self.next_working_day(day)
            return self._at(day, self.office.closes)
        assert deadline.working_days is not None
        start = local if self.is_open(local) else self.next_opening(local)
        day = start.date()
        for _ in range(deadline.working_days):
            day = self.next_working_day(day)
        return self._at(day, start.time())

    def report_priority(self, signs: Iterable[str], *, urgent: bool, danger: bool) -> Priority:
        """A report's priority by the rules in the file (first that holds)."""
        seen = frozenset(signs)
        if danger or seen & self.critical_signs:
            return "critical"
        if urgent or seen & self.high_signs:
            return "high"
        return "normal"

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() in self.office.weekdays and day not in self.holidays

    def is_open(self, at: dt.datetime) -> bool:
        """Whether the office is open at ``at``."""
        local = at.astimezone(self.office.zone)
        opens, closes = self.office.opens, self.office.closes
        return self.is_working_day(local.date()) and opens <= local.time() < closes

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day after ``day``."""
        for ahead in range(1, 366):
            candidate = day + dt.timedelta(days=ahead)
            if self.is_working_day(candidate):
                return candidate
        raise PolicyError("no working day within a year")

    def next_opening(self, at: dt.datetime) -> dt.datetime:
        """The next time the office opens after ``at`` (``at`` itself excluded)."""
        local = at.astimezone(self.office.zone)
        day = local.date()
        if self.is_working_day(day) and local.time() < self.office.opens:
            return self._at(day, self.office.opens)
        return self._at(self.next_working_day(day), self.office.opens)

    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, self.office.zone)


@cache
def load_policy(path: Path = POLICY_FILE) -> CasePolicy:
    """The policy in ``path`` (the file beside this module by default), checked."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise PolicyError(f"{path}: not a mapping")
    try:
        return _policy(raw)
    except (KeyError, TypeError, ValueError) as error:
        raise PolicyError(f"{path}: {error}") from error


def _policy(raw: dict[str, Any]) -> CasePolicy:
    office = raw["office"]
    opens, closes = dt.time.fromisoformat(office["opens"]), dt.time.fromisoformat(office["closes"])
    if not opens < closes:
        raise PolicyError("the office must open before it closes")
    weekdays = frozenset(int(day) for day in office["weekdays"])
    if not weekdays or not weekdays <= set(range(7)):
        raise PolicyError("office weekdays must be some of 0 (Monday) to 6")
    holidays = {
        entry["date"]: Holiday(entry["date"], str(entry["name"]), bool(entry["verified"]))
        for entry in raw["holidays"]
    }
    priority = raw["report_priority"]
    critical, high = frozenset(priority["critical_signs"]), frozenset(priority["high_signs"])
    if not (critical | high) <= set(SIGNS):
        raise PolicyError(f"unknown signs: {sorted((critical | high) - set(SIGNS))}")
    outcomes = {str(code): str(label) for code, label in raw["outcomes"].items()}
    if not outcomes:
        raise PolicyError("at least one outcome is needed")
    return CasePolicy(
        office=Office(ZoneInfo(office["timezone"]), weekdays, opens, closes),
        holidays=MappingProxyType(holidays),
        deadlines=MappingProxyType(_deadlines(raw["deadlines"])),
        critical_signs=critical,
        high_signs=high,
        outcomes=MappingProxyType(outcomes),
        reporter_contact_days=int(raw["retention"]["reporter_contact_days_after_close"]),
    )


def _deadlines(raw: dict[str, dict[str, Any]]) -> dict[tuple[str, str], Deadline]:
    found: dict[tuple[str, str], Deadline] = {}
    if set(raw) != set(KINDS):
        raise PolicyError(f"deadlines must name exactly the kinds {list(KINDS)}")
    for kind, by_priority in raw.items():
        if set(by_priority) != set(PRIORITIES):
            raise PolicyError(f"deadlines of {kind} must name exactly {list(PRIORITIES)}")
        for priority, rule in by_priority.items():
            found[(kind, priority)] = _deadline(rule)
    return found


def _deadline(rule: Any) -> Deadline:
    if rule == "same_working_day":
        return Deadline(same_working_day=True)
    if isinstance(rule, dict) and set(rule) == {"clock_hours"} and float(rule["clock_hours"]) > 0:
        return Deadline(clock_hours=float(rule["clock_hours"]))
    if isinstance(rule, dict) and set(rule) == {"working_days"} and int(rule["working_days"]) > 0:
        return Deadline(working_days=int(rule["working_days"]))
    raise PolicyError(f"not a deadline: {rule!r}")
