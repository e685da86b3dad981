"""Every program's own YAML cases (profile → expected verdict), rules-as-code style."""

from __future__ import annotations

import pytest

from knowledge.catalog import Catalog
from knowledge.engine import EligibilityEngine
from knowledge.program_tests import case_mismatches
from knowledge.schema import Program, ProgramTestCase
from tests.catalog_fixtures import curated_catalog


def _cases() -> list[tuple[Program, ProgramTestCase]]:
    return [(program, case) for program in curated_catalog() for case in program.tests]


@pytest.mark.parametrize(
    ("program", "case"), _cases(), ids=lambda item: getattr(item, "id", getattr(item, "name", ""))
)
def test_program_case(program: Program, case: ProgramTestCase, engine: EligibilityEngine) -> None:
    assert case_mismatches(engine, program, case) == []


def test_every_program_carries_cases(catalog: Catalog) -> None:
    without = [p.id for p in catalog if not p.tests]
    assert without == []


# Words about ieum's own workings: the sentences citizens read never mention them.
_INTERNAL_WORDS = ("엔진", "프로필", "규칙에", "모형", "스키마")


def test_what_the_office_checks_is_said_in_citizens_words(catalog: Catalog) -> None:
    internal = [
        (program.id, check)
        for program in catalog
        for check in program.eligibility.office_checks
        if any(word in check for word in _INTERNAL_WORDS)
    ]
    assert internal == []
