"""Every threshold in the curated catalog carries its boundary cases.

For each age limit, a case exactly at the limit and one year past it; for each income
rule, a case exactly at the published line and one won above it. The cases themselves
are checked by test_program_cases; this test checks that they exist.
"""

from __future__ import annotations

from typing import Any

import pytest

from knowledge.catalog import Catalog, condition_leaves
from knowledge.income import MedianIncomeTable, load_median_income
from knowledge.schema import (
    AgeRule,
    Condition,
    IncomeFixedRule,
    IncomeMedianRule,
    ParentsIncomeMedianRule,
    Program,
)
from tests.catalog_fixtures import curated_catalog

MEDIAN = load_median_income().for_year(2026)


def thresholds() -> list[tuple[Program, Condition]]:
    return [
        (program, leaf)
        for program in curated_catalog()
        if program.eligibility.rule is not None
        for leaf in condition_leaves(program.eligibility.rule)
        if isinstance(leaf, AgeRule | IncomeMedianRule | ParentsIncomeMedianRule | IncomeFixedRule)
    ]


def missing_boundaries(program: Program, leaf: Condition, median: MedianIncomeTable) -> list[str]:
    profiles: list[dict[str, Any]] = [case.profile for case in program.tests]
    if isinstance(leaf, AgeRule):
        ages = {p.get("age") for p in profiles}
        wanted = [(leaf.min, -1), (leaf.max, 1)]
        return [
            f"age {bound} and {bound + step}"
            for bound, step in wanted
            if bound is not None and not {bound, bound + step} <= ages
        ]
    if isinstance(leaf, IncomeFixedRule):
        threshold = leaf.by_year[max(leaf.by_year)]
        incomes = {p.get("monthly_income") for p in profiles}
        return [
            f"income {value} and {value + 1}"
            for value in (threshold.single, threshold.couple)
            if not {value, value + 1} <= incomes
        ]
    assert isinstance(leaf, IncomeMedianRule | ParentsIncomeMedianRule)
    income_field, size_field = (
        ("monthly_income", "household_size")
        if isinstance(leaf, IncomeMedianRule)
        else ("parents_monthly_income", "parents_household_size")
    )
    offsets = set()
    for p in profiles:
        size = p.get(size_field) or (
            1 if p.get("lives_alone") and size_field == "household_size" else None
        )
        income = p.get(income_field)
        if isinstance(size, int) and isinstance(income, int):
            offsets.add(income - median.line(size, leaf.max_percent))
    return (
        []
        if {0, 1} <= offsets
        else [f"{income_field} at the {leaf.max_percent:g}% line and 1 won above"]
    )


@pytest.mark.parametrize(
    ("program", "leaf"),
    thresholds(),
    ids=lambda item: getattr(item, "id", getattr(item, "text", "")),
)
def test_threshold_has_boundary_cases(program: Program, leaf: Condition) -> None:
    assert missing_boundaries(program, leaf, MEDIAN) == []


def test_catalog_has_thresholds_to_check(catalog: Catalog) -> None:
    assert len(thresholds()) >= len(catalog) // 2
