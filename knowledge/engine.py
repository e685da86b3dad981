"""The eligibility engine: a profile and a day in, a 보조금24-style verdict per program out.

The day chooses everything that changes with time: the 기준중위소득 table, each
program's thresholds and amounts, the 소득인정액 parameters, and whether a program with
application rounds takes applications. A program outside its rounds is neither eligible
nor maybe: it is listed as closed, with its next round when one is announced.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from knowledge import fields, messages
from knowledge.income import MedianIncomeTable, MedianIncomeTables
from knowledge.profile import ASSET_FIELDS, CitizenProfile
from knowledge.recognition import Schemes, recognised_income
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
    Round,
    Status,
)

STATUS_BY_OUTCOME: dict[Outcome, Status] = {
    Outcome.MET: "eligible",
    Outcome.UNKNOWN: "maybe",
    Outcome.NOT_MET: "ineligible",
}


@dataclass(frozen=True)
class AmountEstimate:
    """What the person would receive; ``value`` is None when facts are missing.

    ``verified`` is false when the figure's source was not checked: citizens are then told
    the amount may have changed.
    """

    value: int | None
    period: Period
    text: str
    verified: bool = True


@dataclass(frozen=True)
class ClosedProgram:
    """A program that takes applications in rounds, none of them open on the day."""

    program: Program
    last_round: Round | None
    next_round: Round | None

    @property
    def reason(self) -> str:
        last = self.last_round
        if last is None:
            return messages.closed_reason(None, None)
        return messages.closed_reason(last.opens, last.closes, last.closes_at)

    def to_json(self) -> dict[str, object]:
        def when(round_: Round | None) -> dict[str, str] | None:
            if round_ is None or round_.opens is None or round_.closes is None:
                return None
            return {"opens": round_.opens.isoformat(), "closes": round_.closes.isoformat()}

        return {
            "id": self.program.id,
            "name": self.program.name,
            "reason": self.reason,
            "next_round": when(self.next_round),
        }


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
    closed: list[ClosedProgram] = field(default_factory=list)

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
            "closed": [c.to_json() for c in self.closed],
        }


def _amount_json(amount: AmountEstimate | None) -> dict[str, object] | None:
    if amount is None:
        return None
    return {
        "value": amount.value,
        "period": amount.period,
        "text": amount.text,
        "verified": amount.verified,
    }


class EligibilityEngine:
    """Decides every program of a catalog for a profile, on a given day."""

    def __init__(
        self, programs: Iterable[Program], medians: MedianIncomeTables, schemes: Schemes
    ) -> None:
        self.programs = tuple(programs)
        self.medians = medians
        self.schemes = schemes
        self._rules = {p.id: _effective_rule(p) for p in self.programs}

    def assess(self, profile: CitizenProfile, program: Program, on: dt.date) -> ProgramResult:
        """The verdict on one program on ``on`` (its rounds aside: see ``match``)."""
        rule = self._rules[program.id]
        median = self.medians.on(on)
        ctx = RuleContext(profile, median, on, self.schemes)
        verdict = (
            evaluate(rule, ctx)
            if rule is not None
            else Verdict(Outcome.MET, met=(messages.OPEN_TO_ALL,))
        )
        met, failed, missing = verdict.met, verdict.failed, _by_priority(verdict.missing)
        status = STATUS_BY_OUTCOME[verdict.outcome]
        amount = None
        if status != "ineligible":
            amount = _estimate_amount(program, profile, median, on, self.schemes)
        return ProgramResult(program, status, met, failed, missing, amount, verdict.near)

    def match(self, profile: CitizenProfile, on: dt.date) -> MatchReport:
        """Every program active on ``on``: eligible, maybe, ineligible, or closed."""
        report = MatchReport()
        for program in self.programs:
            if not program.is_active(on):
                continue
            closed = closed_on(program, on)
            if closed is not None:
                report.closed.append(closed)
                continue
            result = self.assess(profile, program, on)
            getattr(report, result.status).append(result)
        return report

    def next_question(
        self, profile: CitizenProfile, on: dt.date, report: MatchReport | None = None
    ) -> NextQuestion | None:
        """The one fact that would settle the most undecided programs now."""
        report = report or self.match(profile, on)
        counts: Counter[str] = Counter()
        sole: Counter[str] = Counter()
        for result in report.maybe:
            counts.update(result.missing)
            if len(result.missing) == 1:
                sole[result.missing[0]] += 1
        if not counts:
            return None
        # Once the person says they have assets, the amounts come next, so the talk about
        # assets is finished before another topic starts.
        follow_ups = [f for f in counts if profile.has_assets and f in ASSET_FIELDS]
        best = min(follow_ups or counts, key=lambda f: (-counts[f], -sole[f], fields.priority(f)))
        wording = fields.FIELDS[best]
        return NextQuestion(
            best, wording.about_self, wording.about_other, wording.options, counts[best]
        )


def closed_on(program: Program, on: dt.date) -> ClosedProgram | None:
    """Why a program with rounds takes no applications on ``on``; None when it does."""
    if not program.rounds or any(r.takes_applications(on) for r in program.rounds):
        return None
    past = [r for r in program.rounds if r.closes is None or r.closes < on]
    coming = [r for r in program.rounds if r.opens is not None and r.opens > on]
    return ClosedProgram(
        program,
        max(past, key=lambda r: r.closes or dt.date.min) if past else None,
        min(coming, key=lambda r: r.opens or dt.date.max) if coming else None,
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
    program: Program,
    profile: CitizenProfile,
    median: MedianIncomeTable,
    on: dt.date,
    schemes: Schemes,
) -> AmountEstimate | None:
    spec = program.amount_on(on)
    if spec is None:
        return None
    text = program.benefit.text
    verified = program.source(spec.source).verified
    match spec:
        case FixedAmount():
            shown = messages.amount_text(spec.value, spec.period, spec.up_to, spec.months)
            return AmountEstimate(spec.value, spec.period, shown, verified)
        case GapToLineAmount():
            least = _least_counted_income(program, profile, on, schemes)
            if profile.household_size is None or least is None:
                return AmountEstimate(None, spec.period, text, verified)
            line = median.line(profile.household_size, spec.percent)
            value = max(line - least, 0)
            shown = messages.amount_text(value, spec.period, True, None)
            return AmountEstimate(value, spec.period, shown, verified)
        case PerChildAmount():
            if profile.children_ages is None:
                return AmountEstimate(None, spec.period, text, verified)
            value = sum(_child_amount(spec, age) for age in profile.children_ages)
            shown = messages.amount_text(value, spec.period, False, None)
            return AmountEstimate(value, spec.period, shown, verified)
        case ByHouseholdAmount():
            if profile.household_size is None:
                return AmountEstimate(None, spec.period, text, verified)
            size = min(profile.household_size, max(spec.values))
            value = spec.values.get(size, 0)
            shown = messages.amount_text(value, spec.period, False, None)
            return AmountEstimate(value, spec.period, shown, verified)
    raise AssertionError(f"unhandled amount {spec!r}")


def _least_counted_income(
    program: Program, profile: CitizenProfile, on: dt.date, schemes: Schemes
) -> int | None:
    """The least income a gap-to-line amount can be reduced by: the household's
    소득인정액 by the scheme of the program's income rule (its lowest possible value while
    facts are missing, so the amount is an upper bound), or its income when the rule
    counts income alone."""
    scheme_id = program.recognition_scheme()
    if scheme_id is None:
        return profile.monthly_income
    if profile.monthly_income is None:
        return None
    return recognised_income(profile, schemes.get(scheme_id), on, "household").low


def _child_amount(spec: PerChildAmount, age: int) -> int:
    for bracket in sorted(spec.brackets, key=lambda b: b.max_age):
        if age <= bracket.max_age:
            return bracket.value
    return 0
