"""Held-apart eligibility cases (tests/data/eligibility_cases.yaml) against the catalog.

The cases were computed by hand from the official formulas and the 기준중위소득 tables,
apart from the programs' own ``tests:``, so that a wrong figure or formula in the catalog
shows up here even when the program's own cases agree with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from knowledge.catalog import Catalog
from knowledge.engine import EligibilityEngine, MatchReport, ProgramResult
from knowledge.income import load_median_income
from knowledge.profile import CitizenProfile
from knowledge.recognition import load_schemes
from knowledge.yaml_data import load_yaml
from tests.catalog_fixtures import curated_catalog

CASES_FILE = Path(__file__).parent / "data" / "eligibility_cases.yaml"
STATUSES = frozenset({"eligible", "maybe", "ineligible", "closed"})
MIN_CASES = 60


@dataclass(frozen=True)
class Case:
    name: str
    on: dt.date
    profile: dict[str, object]
    expect: dict[str, str]
    amounts: dict[str, int]
    missing: dict[str, list[str]]


def _load_cases() -> list[Case]:
    with CASES_FILE.open(encoding="utf-8") as handle:
        raw = load_yaml(handle)
    assert isinstance(raw, list), f"{CASES_FILE} must hold a list of cases"
    cases = []
    for item in raw:
        unknown = set(item) - {"name", "on", "profile", "expect", "amounts", "missing"}
        assert not unknown, f"{item.get('name')}: unknown keys {sorted(unknown)}"
        cases.append(
            Case(
                name=item["name"],
                on=item["on"],
                profile=item["profile"],
                expect=item["expect"],
                amounts=item.get("amounts", {}),
                missing=item.get("missing", {}),
            )
        )
    return cases


CASES = _load_cases()


@pytest.fixture(scope="module")
def held_apart_catalog() -> Catalog:
    return curated_catalog()


@pytest.fixture(scope="module")
def held_apart_engine(held_apart_catalog: Catalog) -> EligibilityEngine:
    # Built as tests/conftest.py builds the session engine.
    return EligibilityEngine(held_apart_catalog.programs, load_median_income(), load_schemes())


def _statuses(report: MatchReport) -> dict[str, str]:
    found: dict[str, str] = {c.program.id: "closed" for c in report.closed}
    for status in ("eligible", "maybe", "ineligible"):
        results: list[ProgramResult] = getattr(report, status)
        found.update({r.program.id: status for r in results})
    return found


def _results(report: MatchReport) -> dict[str, ProgramResult]:
    return {r.program.id: r for r in [*report.eligible, *report.maybe, *report.ineligible]}


def test_the_set_is_large_and_well_formed(held_apart_catalog: Catalog) -> None:
    names = [case.name for case in CASES]
    assert len(names) >= MIN_CASES
    assert len(set(names)) == len(names), "two cases share a name"
    known = {program.id for program in held_apart_catalog}
    for case in CASES:
        assert isinstance(case.on, dt.date), case.name
        assert case.expect, f"{case.name}: expects nothing"
        named = set(case.expect) | set(case.amounts) | set(case.missing)
        assert named <= known, f"{case.name}: unknown programs {sorted(named - known)}"
        assert set(case.expect.values()) <= STATUSES, case.name
        assert set(case.amounts) <= set(case.expect), f"{case.name}: amount without a status"
        CitizenProfile.parse(case.profile)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_held_apart_case(case: Case, held_apart_engine: EligibilityEngine) -> None:
    profile = CitizenProfile.parse(case.profile)
    report = held_apart_engine.match(profile, case.on)
    statuses = _statuses(report)
    results = _results(report)
    problems: list[str] = []
    for program_id, expected in case.expect.items():
        actual = statuses.get(program_id, "not active on the day")
        if actual != expected:
            detail = ""
            if program_id in results:
                result = results[program_id]
                detail = f" (failed: {list(result.failed)}; missing: {list(result.missing)})"
            problems.append(f"{program_id}: expected {expected}, got {actual}{detail}")
    for program_id, amount in case.amounts.items():
        found = results.get(program_id)
        value = None if found is None or found.amount is None else found.amount.value
        if value != amount:
            problems.append(f"{program_id}: expected amount {amount:,}, got {value}")
    for program_id, fields in case.missing.items():
        found = results.get(program_id)
        listed = set() if found is None else set(found.missing)
        if not set(fields) <= listed:
            problems.append(f"{program_id}: expected missing ⊇ {fields}, got {sorted(listed)}")
    assert problems == [], case.name
