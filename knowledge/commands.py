"""Command-line handlers of the knowledge component (wired up in ``ieum.cli``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from core.settings import Settings
from knowledge import messages
from knowledge.catalog import CatalogError, load_catalog
from knowledge.engine import MatchReport
from knowledge.fields import label
from knowledge.profile import CitizenProfile, ProfileError
from knowledge.program_tests import case_mismatches
from knowledge.service import build_engine


def read_profile(source: str, stdin: TextIO) -> CitizenProfile:
    """A profile from a JSON file path, or from standard input when ``source`` is '-'."""
    text = stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProfileError([messages.PROFILE_NOT_JSON]) from error
    return CitizenProfile.parse(data)


def match_command(
    settings: Settings, profile_source: str, as_json: bool, next_question: bool
) -> int:
    try:
        profile = read_profile(profile_source, sys.stdin)
    except (ProfileError, OSError) as error:
        problems = error.problems if isinstance(error, ProfileError) else [str(error)]
        for line in problems:
            print(line, file=sys.stderr)
        return 2
    engine = build_engine(settings)
    report = engine.match(profile)
    if next_question:
        question = engine.next_question(profile, report)
        payload = question.to_json() if question else None
        if as_json:
            print(json.dumps(payload, ensure_ascii=False))
        else:
            print(question.about_self if question else messages.NOTHING_LEFT_TO_ASK)
        return 0
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render_report(report))
    return 0


def render_report(report: MatchReport) -> str:
    """The match as plain Korean text, eligible programs first."""
    lines: list[str] = []
    if report.eligible:
        lines.append(messages.HEADING_ELIGIBLE)
        for result in report.eligible:
            amount = f" — {result.amount.text}" if result.amount else ""
            lines.append(f"● {result.program.name}{amount}")
            lines.extend(f"   · {reason}" for reason in result.reasons)
            lines.append(f"   {messages.APPLY_AT} {result.program.apply.where}")
    if report.maybe:
        lines.append(messages.HEADING_MAYBE)
        for result in report.maybe:
            needed = ", ".join(label(f) for f in result.missing)
            lines.append(f"○ {result.program.name} — {messages.NEEDS} {needed}")
    lines.append(messages.ineligible_count(len(report.ineligible)))
    return "\n".join(lines)


def validate_command(settings: Settings) -> int:
    """Schema, cross references and every program's own test cases."""
    try:
        catalog = load_catalog(settings.catalog_dirs)
    except CatalogError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    engine = build_engine(settings, catalog)
    failures = 0
    for program in catalog:
        for case in program.tests:
            for problem in case_mismatches(engine, program, case):
                failures += 1
                print(f"{program.id} · {case.name}: {problem}", file=sys.stderr)
    cases = sum(len(p.tests) for p in catalog)
    print(messages.catalog_summary(len(catalog), cases, failures, catalog.digest))
    return 1 if failures else 0
