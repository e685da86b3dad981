"""The eligibility engine: a profile in, a 보조금24-style verdict per program out."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from knowledge import fields, messages
from knowledge.income import MedianIncomeTable
from knowledge.profile import CitizenProfile
from knowledge.rules import Outcome, RuleContext, Verdict, evaluate
from knowledge.schema import (
    NATIONWIDE,
    AllOf,
    ByHouseholdAmount,
    Condition,
    FixedAmount,
    GapToLineAmount,
    PerChildAmount,
    Period,
    Program,
    RegionRule,
    Status,
)

STATUS_BY_OUTCOME: dict[Outcome, Status] = {
    Outcome.MET: "eligible",
    Outcome.UNKNOWN: "maybe",
    Outcome.NOT_MET: "ineligible",
}


@dataclass(frozen=True)
class AmountEstimate:
    """What the person would receive; ``value`` is None when facts are missing."""

    value: int | None
    period: Period
    text: str


@dataclass(frozen=True)
class ProgramResult:
    program: Program
    status: Status
    reasons: tuple[str, ...]
    failed: tuple[str, ...]
    missing: tuple[str, ...]
    amount: AmountEstimate | None
    near_miss: str | None = None
    """Ineligible by one narrowly failed condition: what is short, in plain words."""


@dataclass(frozen=True)
class NextQuestion:
    field: str
    about_self: str
    about_other: str
    options: tuple[tuple[str, str], ...]
    settles: int

    def to_json(self) -> dict[str, object]:
        return {
            "field": self.field,
            "question": self.about_self,
            "question_about_other": self.about_other,
            "options": [{"label": label, "value": value} for label, value in self.options],
            "settles": self.settles,
        }


@dataclass(frozen=True)
class MatchReport:
    eligible: list[ProgramResult] = field(default_factory=list)
    maybe: list[ProgramResult] = field(default_factory=list)
    ineligible: list[ProgramResult] = field(default_factory=list)

    def to_json(self) -> dict[str, list[dict[str, object]]]:
        return {
            "eligible": [
                {
                    "id": r.program.id,
                    "name": r.program.name,
                    "reasons": list(r.reasons),
                    "amount": _amount_json(r.amount),
                }
                for r in self.eligible
            ],
            "maybe": [
                {"id": r.program.id, "name": r.program.name, "missing": list(r.missing)}
                for r in self.maybe
            ],
            "ineligible": [
                {"id": r.program.id, "name": r.program.name, "failed": list(r.failed)}
                for r in self.ineligible
            ],
        }


def _amount_json(amount: AmountEstimate | None) -> dict[str, object] | None:
    if amount is None:
        return None
    return {"value": amount.value, "period": amount.period, "text": amount.text}


class EligibilityEngine:
    """Decides every program of a catalog for a profile, for one year's parameters."""

    def __init__(self, programs: Iterable[Program], median: MedianIncomeTable) -> None:
        self.programs = tuple(programs)
        self.median = median
        self._rules = {p.id: _effective_rule(p) for p in self.programs}

    def assess(self, profile: CitizenProfile, program: Program) -> ProgramResult:
        rule = self._rules[program.id]
        ctx = RuleContext(profile, self.median)
        verdict = (
            evaluate(rule, ctx)
            if rule is not None
            else Verdict(Outcome.MET, met=(messages.OPEN_TO_ALL,))
        )
        met, failed, missing = verdict.met, verdict.failed, _by_priority(verdict.missing)
        status = STATUS_BY_OUTCOME[verdict.outcome]
        amount = _estimate_amount(program, profile, self.median) if status != "ineligible" else None
        return ProgramResult(program, status, met, failed, missing, amount, verdict.near)

    def match(self, profile: CitizenProfile, on: dt.date | None = None) -> MatchReport:
        today = on or dt.date.today()
        report = MatchReport()
        for program in self.programs:
            if not program.is_active(today):
                continue
            result = self.assess(profile, program)
            getattr(report, result.status).append(result)
        return report

    def next_question(
        self, profile: CitizenProfile, report: MatchReport | None = None
    ) -> NextQuestion | None:
        """The one fact that would settle the most undecided programs now."""
        report = report or self.match(profile)
        counts: Counter[str] = Counter()
        sole: Counter[str] = Counter()
        for result in report.maybe:
            counts.update(result.missing)
            if len(result.missing) == 1:
                sole[result.missing[0]] += 1
        if not counts:
            return None
        best = min(counts, key=lambda f: (-counts[f], -sole[f], fields.priority(f)))
        wording = fields.FIELDS[best]
        return NextQuestion(
            best, wording.about_self, wording.about_other, wording.options, counts[best]
        )


def _by_priority(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(names, key=fields.priority))


def _effective_rule(program: Program) -> Condition | None:
    """The program's own rule, plus residence when the program is local."""
    rule = program.eligibility.rule
    if program.region == NATIONWIDE:
        return rule
    region_rule = RegionRule(
        kind="region",
        text=messages.REGION_TEXT.format(region=program.region),
        within=program.region,
    )
    if rule is None:
        return region_rule
    return AllOf(kind="all", of=[region_rule, rule])


def _estimate_amount(
    program: Program, profile: CitizenProfile, median: MedianIncomeTable
) -> AmountEstimate | None:
    spec = program.benefit.amount
    text = program.benefit.text
    match spec:
        case None:
            return None
        case FixedAmount():
            shown = messages.amount_text(spec.value, spec.period, spec.up_to, spec.months)
            return AmountEstimate(spec.value, spec.period, shown)
        case GapToLineAmount():
            if profile.household_size is None or profile.monthly_income is None:
                return AmountEstimate(None, spec.period, text)
            line = median.line(profile.household_size, spec.percent)
            value = max(line - profile.monthly_income, 0)
            return AmountEstimate(
                value, spec.period, messages.amount_text(value, spec.period, True, None)
            )
        case PerChildAmount():
            if profile.children_ages is None:
                return AmountEstimate(None, spec.period, text)
            value = sum(_child_amount(spec, age) for age in profile.children_ages)
            return AmountEstimate(
                value, spec.period, messages.amount_text(value, spec.period, False, None)
            )
        case ByHouseholdAmount():
            if profile.household_size is None:
                return AmountEstimate(None, spec.period, text)
            size = min(profile.household_size, max(spec.values))
            value = spec.values.get(size, 0)
            return AmountEstimate(
                value, spec.period, messages.amount_text(value, spec.period, False, None)
            )
    raise AssertionError(f"unhandled amount {spec!r}")


def _child_amount(spec: PerChildAmount, age: int) -> int:
    for bracket in sorted(spec.brackets, key=lambda b: b.max_age):
        if age <= bracket.max_age:
            return bracket.value
    return 0
