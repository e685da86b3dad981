"""Every threshold in the curated catalog carries its boundary cases.

For each age limit, a case exactly at the limit and one year past it; for each income
rule, a case exactly at the line and one won above it, in every period the line holds
for: each year's 기준중위소득 (2026 and 2027) and each edition of a fixed threshold. The
cases themselves are checked by test_program_cases; this test checks that they exist.
"""

from __future__ import annotations

import pytest

from knowledge.catalog import Catalog, condition_leaves
from knowledge.income import MedianIncomeTables, load_median_income
from knowledge.schema import (
    AgeRule,
    Condition,
    IncomeFixedRule,
    IncomeMedianRule,
    ParentsIncomeMedianRule,
    Program,
    ProgramTestCase,
)
from tests.catalog_fixtures import curated_catalog

MEDIANS = load_median_income()
MEDIAN_YEARS = (2026, 2027)
"""The years whose lines every 기준중위소득 rule is tested at."""


def thresholds() -> list[tuple[Program, Condition]]:
    return [
        (program, leaf)
        for program in curated_catalog()
        if program.eligibility.rule is not None
        for leaf in condition_leaves(program.eligibility.rule)
        if isinstance(leaf, AgeRule | IncomeMedianRule | ParentsIncomeMedianRule | IncomeFixedRule)
    ]


def missing_boundaries(program: Program, leaf: Condition, medians: MedianIncomeTables) -> list[str]:
    cases = list(program.tests)
    if isinstance(leaf, AgeRule):
        ages = {case.profile.get("age") for case in cases}
        wanted = [(leaf.min, -1), (leaf.max, 1)]
        return [
            f"age {bound} and {bound + step}"
            for bound, step in wanted
            if bound is not None and not {bound, bound + step} <= ages
        ]
    if isinstance(leaf, IncomeFixedRule):
        return [
            problem
            for number, threshold in enumerate(leaf.thresholds)
            for problem in _fixed_boundaries(
                leaf, number, cases, threshold.single, threshold.couple
            )
        ]
    assert isinstance(leaf, IncomeMedianRule | ParentsIncomeMedianRule)
    income_field, size_field = (
        ("monthly_income", "household_size")
        if isinstance(leaf, IncomeMedianRule)
        else ("parents_monthly_income", "parents_household_size")
    )
    problems = []
    for year in MEDIAN_YEARS:
        offsets = set()
        for case in cases:
            if case.on.year != year:
                continue
            p = case.profile
            size = p.get(size_field) or (
                1 if p.get("lives_alone") and size_field == "household_size" else None
            )
            income = p.get(income_field)
            if isinstance(size, int) and isinstance(income, int):
                offsets.add(income - medians.on(case.on).line(size, leaf.max_percent))
        if not {0, 1} <= offsets:
            problems.append(
                f"{income_field} at the {leaf.max_percent:g}% line and 1 won above, {year}"
            )
    return problems


def _fixed_boundaries(
    leaf: IncomeFixedRule, number: int, cases: list[ProgramTestCase], *limits: int
) -> list[str]:
    """Boundary cases of one edition of a fixed threshold, on days it is in force."""
    edition = leaf.thresholds[number]
    later = [t.starts for t in leaf.thresholds if t.starts > edition.starts]
    ends = min(later) if later else None
    incomes = {
        case.profile.get(field)
        for case in cases
        if case.on >= edition.starts and (ends is None or case.on < ends)
        for field in ("monthly_income", "own_monthly_income")
    }
    return [
        f"income {value} and {value + 1} from {edition.starts}"
        for value in limits
        if not {value, value + 1} <= incomes
    ]


@pytest.mark.parametrize(
    ("program", "leaf"),
    thresholds(),
    ids=lambda item: getattr(item, "id", getattr(item, "text", "")),
)
def test_threshold_has_boundary_cases(program: Program, leaf: Condition) -> None:
    assert missing_boundaries(program, leaf, MEDIANS) == []


def test_catalog_has_thresholds_to_check(catalog: Catalog) -> None:
    assert len(thresholds()) >= len(catalog) // 2
