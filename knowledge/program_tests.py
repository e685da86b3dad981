"""Running a program's own YAML test cases against the engine."""

from __future__ import annotations

from knowledge.engine import EligibilityEngine, closed_on
from knowledge.profile import CitizenProfile
from knowledge.schema import Program, ProgramTestCase


def case_mismatches(
    engine: EligibilityEngine, program: Program, case: ProgramTestCase
) -> list[str]:
    """What differs between the case's expectation and the engine's verdict (empty: pass).

    A case is judged on its own day (``on``): rounds, thresholds and amounts follow it.
    """
    closed = closed_on(program, case.on)
    if case.expect == "closed" or closed is not None:
        if case.expect == "closed" and closed is not None:
            return []
        return [f"{'closed' if closed else 'open'} on {case.on} (expected {case.expect})"]
    result = engine.assess(CitizenProfile.parse(case.profile), program, case.on)
    problems: list[str] = []
    if result.status != case.expect:
        problems.append(
            f"status {result.status} (expected {case.expect}); "
            f"met={list(result.reasons)} failed={list(result.failed)} "
            f"missing={list(result.missing)}"
        )
    if case.missing is not None and list(result.missing) != case.missing:
        problems.append(f"missing {list(result.missing)} (expected {case.missing})")
    if case.amount is not None:
        value = result.amount.value if result.amount else None
        if value != case.amount:
            problems.append(f"amount {value} (expected {case.amount})")
    return problems
