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
