"""Three-valued evaluation of catalog conditions, with explanations.

A condition is met, not met, or undecided because a fact is missing. The Korean
lines that explain a verdict are produced by the same code that decides it, from
the condition's own wording and the observed facts, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from core.areas.provinces import region_within
from knowledge import messages
from knowledge.fields import FIELDS
from knowledge.income import MedianIncomeTable
from knowledge.profile import CitizenProfile
from knowledge.recognition import Recognised, Schemes, recognised_income
from knowledge.schema import (
    AgeRule,
    AllOf,
    AnyOf,
    ChildRule,
    Condition,
    CrisisRule,
    DisabilityRule,
    EmploymentRule,
    FlagRule,
    HouseholdSizeRule,
    HousingRule,
    IncomeFixedRule,
    IncomeMedianRule,
    NotOf,
    ParentsIncomeMedianRule,
    ReceivesRule,
    RegionRule,
    SexRule,
    SituationRule,
    in_force,
)


class Outcome(Enum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


# A failed condition is a near miss when the person is this close to it: income at most
# this share over the line, or this many years short of the age. The person should hear
# about it ("소득이 조금 많아요", "2년 뒤에 받을 수 있어요") instead of never.
NEAR_INCOME_SHARE = 0.10
NEAR_AGE_YEARS = 2


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    met: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    missing: frozenset[str] = frozenset()
    near: str | None = None
    """Not met, but only narrowly by a single condition: what is short, in plain words."""


@dataclass(frozen=True)
class RuleContext:
    """What a rule is judged against: the profile, on a day, with that day's tables."""

    profile: CitizenProfile
    median: MedianIncomeTable
    on: dt.date
    schemes: Schemes


def evaluate(condition: Condition, ctx: RuleContext) -> Verdict:
    """Decide one condition (recursively) against the profile."""
    match condition:
        case AllOf():
            return _all([evaluate(c, ctx) for c in condition.of])
        case AnyOf():
            return _any(condition, [evaluate(c, ctx) for c in condition.of])
        case NotOf():
            return _not(condition, evaluate(condition.of, ctx))
        case _:
            return _leaf(condition, ctx)


def describe(condition: Condition) -> str:
    """The Korean wording of a condition, composed from its parts when it has none."""
    if condition.text:
        return condition.text
    if isinstance(condition, AllOf):
        return ", ".join(describe(c) for c in condition.of)
    if isinstance(condition, AnyOf):
        return " 또는 ".join(describe(c) for c in condition.of)
    raise AssertionError("every leaf has text")


def _all(verdicts: Sequence[Verdict]) -> Verdict:
    met = tuple(line for v in verdicts for line in v.met)
    failed = tuple(line for v in verdicts for line in v.failed)
    missing = frozenset().union(*(v.missing for v in verdicts if v.outcome is Outcome.UNKNOWN))
    if failed:
        failing = [v for v in verdicts if v.outcome is Outcome.NOT_MET]
        near = failing[0].near if len(failing) == 1 else None
        return Verdict(Outcome.NOT_MET, met, failed, missing, near)
    if missing:
        return Verdict(Outcome.UNKNOWN, met, (), missing)
    return Verdict(Outcome.MET, met)


def _any(condition: AnyOf, verdicts: Sequence[Verdict]) -> Verdict:
    passing = [v for v in verdicts if v.outcome is Outcome.MET]
    if passing:
        return Verdict(Outcome.MET, passing[0].met)
    unknown = [v for v in verdicts if v.outcome is Outcome.UNKNOWN]
    if unknown:
        return Verdict(Outcome.UNKNOWN, missing=frozenset().union(*(v.missing for v in unknown)))
    if condition.text:
        line = messages.condition_failed(condition.text, "")
    else:
        line = messages.none_of([describe(c) for c in condition.of])
    near = next((v.near for v in verdicts if v.near), None)
    return Verdict(Outcome.NOT_MET, failed=(line,), near=near)


def _not(condition: NotOf, inner: Verdict) -> Verdict:
    if inner.outcome is Outcome.UNKNOWN:
        return inner
    if inner.outcome is Outcome.MET:
        return Verdict(Outcome.NOT_MET, failed=(messages.condition_failed(condition.text, ""),))
    return Verdict(Outcome.MET, met=(messages.condition_met(condition.text, ""),))


def _decided(text: str, ok: bool, observed: str, near: str | None = None) -> Verdict:
    if ok:
        return Verdict(Outcome.MET, met=(messages.condition_met(text, observed),))
    return Verdict(Outcome.NOT_MET, failed=(messages.condition_failed(text, observed),), near=near)


def _unknown(*fields: str) -> Verdict:
    return Verdict(Outcome.UNKNOWN, missing=frozenset(fields))


def _in_range(value: int, low: int | None, high: int | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _label(field: str, value: str) -> str:
    return FIELDS[field].value_label(value)


def _leaf(rule: Condition, ctx: RuleContext) -> Verdict:
    p = ctx.profile
    match rule:
        case AgeRule():
            if p.age is None:
                return _unknown("age")
            short = (rule.min or 0) - p.age
            soon = messages.age_short_by(short) if 0 < short <= NEAR_AGE_YEARS else None
            return _decided(
                rule.text, _in_range(p.age, rule.min, rule.max), messages.years_old(p.age), soon
            )
        case IncomeMedianRule():
            return _income_median(rule, ctx)
        case ParentsIncomeMedianRule():
            income = p.parents_monthly_income
            known = Recognised(income, income) if income is not None else None
            return _against_median_line(
                rule.text,
                rule.max_percent,
                known or Recognised(0, None, frozenset({"parents_monthly_income"})),
                p.parents_household_size,
                "parents_household_size",
                ctx,
            )
        case IncomeFixedRule():
            return _income_fixed(rule, ctx)
        case FlagRule():
            value = getattr(p, rule.field)
            if value is None:
                return _unknown(rule.field)
            return _decided(rule.text, value == rule.value, messages.YES if value else messages.NO)
        case SexRule() | DisabilityRule() | HousingRule() | EmploymentRule():
            field = {
                SexRule: "sex",
                DisabilityRule: "disability",
                HousingRule: "housing",
                EmploymentRule: "employment",
            }[type(rule)]
            current = getattr(p, field)
            if current is None:
                return _unknown(field)
            return _decided(rule.text, current in rule.values, _label(field, current))
        case ChildRule():
            if p.children_ages is None:
                return _unknown("children_ages")
            fitting = [a for a in p.children_ages if rule.min_age <= a <= rule.max_age]
            observed = ", ".join(f"자녀 {messages.years_old(a)}" for a in fitting)
            return _decided(rule.text, bool(fitting), observed or messages.NO_CHILD)
        case CrisisRule():
            if p.crisis is None:
                return _unknown("crisis")
            hits: list[str] = [c for c in p.crisis if not rule.any_of or c in rule.any_of]
            return _decided(
                rule.text,
                bool(hits),
                ", ".join(_label("crisis", c) for c in hits) or messages.NO_CRISIS,
            )
        case SituationRule():
            if p.situations is None:
                return _unknown("situations")
            found = [_label("situations", x) for x in p.situations if x in rule.any_of]
            return _decided(rule.text, bool(found), ", ".join(found) or messages.NO_SITUATION)
        case ReceivesRule():
            if p.receives is None:
                return _unknown("receives")
            hits = [r for r in p.receives if r in rule.any_of]
            return _decided(rule.text, bool(hits), ", ".join(hits) or messages.NOT_RECEIVING)
        case HouseholdSizeRule():
            if p.household_size is None:
                return _unknown("household_size")
            return _decided(
                rule.text,
                _in_range(p.household_size, rule.min, rule.max),
                messages.people(p.household_size),
            )
        case RegionRule():
            if p.region is None:
                return _unknown("region")
            return _decided(rule.text, region_within(p.region, rule.within), p.region)
    raise AssertionError(f"unhandled condition {rule!r}")


def _income_median(rule: IncomeMedianRule, ctx: RuleContext) -> Verdict:
    p = ctx.profile
    if rule.recognition is None:
        # A program that looks at income only.
        income = p.monthly_income
        recognised = (
            Recognised(income, income, income=income)
            if income is not None
            else Recognised(0, None, frozenset({"monthly_income"}))
        )
    else:
        scheme = ctx.schemes.get(rule.recognition)
        recognised = recognised_income(p, scheme, ctx.on, rule.base)
    return _against_median_line(
        rule.text, rule.max_percent, recognised, p.household_size, "household_size", ctx
    )


def _against_median_line(
    text: str,
    percent: float,
    recognised: Recognised,
    household: int | None,
    household_field: str,
    ctx: RuleContext,
) -> Verdict:
    if household is None:
        return Verdict(Outcome.UNKNOWN, missing=frozenset({household_field, *recognised.missing}))
    line = ctx.median.line(household, percent)
    return _against_line(text, recognised, line, messages.people(household))


def _against_line(text: str, recognised: Recognised, line: int, whose: str) -> Verdict:
    """Decided only where the whole interval of 소득인정액 lies on one side of the line."""
    parts = recognised.parts()
    observed = messages.recognised_against_line(recognised.low, recognised.high, parts, line, whose)
    if recognised.low > line:
        near = _narrowly_over(recognised.low, line) if recognised.exact else None
        return _decided(text, False, observed, near)
    if recognised.high is not None and recognised.high <= line:
        return _decided(text, True, observed)
    return Verdict(Outcome.UNKNOWN, missing=recognised.missing)


def _narrowly_over(income: int, line: int) -> str | None:
    if line < income <= line * (1 + NEAR_INCOME_SHARE):
        return messages.income_over_by(income - line)
    return None


def _income_fixed(rule: IncomeFixedRule, ctx: RuleContext) -> Verdict:
    p = ctx.profile
    threshold = in_force(rule.thresholds, ctx.on) or min(rule.thresholds, key=lambda t: t.starts)
    if rule.recognition is None:
        income = p.own_monthly_income if rule.base == "applicant" else p.monthly_income
        recognised = (
            Recognised(income, income, income=income)
            if income is not None
            else Recognised(0, None, frozenset({"monthly_income"}))
        )
    else:
        scheme = ctx.schemes.get(rule.recognition)
        recognised = recognised_income(p, scheme, ctx.on, rule.base)
    if p.married is None:
        # Whichever way the marriage question goes, some incomes are already decided.
        single = _against_line(rule.text, recognised, threshold.single, messages.SINGLE)
        couple = _against_line(rule.text, recognised, threshold.couple, messages.COUPLE)
        if single.outcome is couple.outcome is Outcome.MET:
            return single  # within even the lower line
        if single.outcome is couple.outcome is Outcome.NOT_MET:
            return couple  # over even the higher line
        return Verdict(Outcome.UNKNOWN, missing=frozenset({"married"}) | recognised.missing)
    limit = threshold.couple if p.married else threshold.single
    whose = messages.COUPLE if p.married else messages.SINGLE
    return _against_line(rule.text, recognised, limit, whose)
