"""Command-line handlers of the knowledge component (wired up in ``ieum.cli``)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TextIO

from core.clock import local_clock
from core.settings import Settings
from knowledge import messages
from knowledge.catalog import CatalogError, condition_leaves, load_catalog
from knowledge.engine import MatchReport
from knowledge.fields import label
from knowledge.profile import CitizenProfile, ProfileError
from knowledge.program_tests import case_mismatches
from knowledge.schema import IncomeFixedRule, IncomeMedianRule, ParentsIncomeMedianRule, Program
from knowledge.service import build_engine

STALE_AFTER_DAYS = 365
"""A checked figure is checked again after a year."""


def read_profile(source: str, stdin: TextIO) -> CitizenProfile:
    """A profile from a JSON file path, or from standard input when ``source`` is '-'."""
    text = stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProfileError([messages.PROFILE_NOT_JSON]) from error
    return CitizenProfile.parse(data)


def match_command(
    settings: Settings,
    profile_source: str,
    as_json: bool,
    next_question: bool,
    on: dt.date | None = None,
) -> int:
    """Judge a profile on ``on`` (default: today where the office is, Asia/Seoul)."""
    try:
        profile = read_profile(profile_source, sys.stdin)
    except (ProfileError, OSError) as error:
        problems = error.problems if isinstance(error, ProfileError) else [str(error)]
        for line in problems:
            print(line, file=sys.stderr)
        return 2
    day = on or local_clock(settings.office_timezone)().date()
    engine = build_engine(settings)
    report = engine.match(profile, day)
    if next_question:
        question = engine.next_question(profile, day, report)
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
    if report.closed:
        lines.append(messages.HEADING_CLOSED)
        for closed in report.closed:
            lines.append(f"× {closed.program.name} — {closed.reason}")
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


def audit_command(settings: Settings, on: dt.date | None = None) -> int:
    """Figures to verify, for the staff who keep the catalog: those whose source was never
    checked against the official guide, and those checked more than a year ago."""
    try:
        catalog = load_catalog(settings.catalog_dirs)
    except CatalogError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    today = on or local_clock(settings.office_timezone)().date()
    found = [finding for program in catalog for finding in figure_findings(program, today)]
    for finding in found:
        print(finding)
    print(messages.audit_summary(len(found), len(catalog)))
    return 0


def figure_findings(program: Program, today: dt.date) -> list[str]:
    """One line per figure of a program that needs a person to check it."""
    lines: list[str] = []
    for figure, source_id in figures_of(program):
        source = program.source(source_id)
        if source.checked is None:
            lines.append(messages.audit_unverified(program.id, figure, source.title))
        elif (today - source.checked).days > STALE_AFTER_DAYS:
            lines.append(messages.audit_stale(program.id, figure, source.title, source.checked))
    return lines


def figures_of(program: Program) -> list[tuple[str, str]]:
    """(what the figure is, the id of its source) for every figure of a program."""
    found = [(messages.figure_amount(a.starts), a.source) for a in program.benefit.amounts]
    found += [(messages.figure_round(r.opens, r.closes), r.source) for r in program.rounds]
    for rule in condition_leaves(program.eligibility.rule) if program.eligibility.rule else []:
        if isinstance(rule, IncomeMedianRule | ParentsIncomeMedianRule):
            found.append((messages.figure_percent(rule.max_percent), rule.source))
        elif isinstance(rule, IncomeFixedRule):
            found += [(messages.figure_threshold(t.starts), t.source) for t in rule.thresholds]
    return found
