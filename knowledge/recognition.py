"""소득인정액: income plus the income value of property, by each scheme's published rules.

Two schemes, with their parameters in ``knowledge/data/income_recognition.yaml``:

- ``livelihood`` (국민기초생활보장): 소득평가액 = income − 30 % of earned income. Property:
  financial assets less 생활준비금; debts taken off general property, then housing, then
  financial assets; the basic property deduction of the region class taken off housing,
  then general property, then financial assets; housing above the region's cap counts as
  general property. Monthly value = housing × 1.04 % + general × 4.17 % + financial ×
  6.26 % + car × 100 %.
- ``basic_pension`` (기초연금, 장애인연금): 소득평가액 = 0.7 × (earned income − the basic
  deduction) + other income. Property: housing + general − the region's basic deduction
  (not below zero), plus financial assets − 2,000만, less debts; its monthly value is 4 %
  a year.

The facts a citizen gives are often partial, so the result is an interval: ``low`` is
the least 소득인정액 the known facts allow (unknown property as none, unknown debts as
large as the property), ``high`` the most (None when an unknown asset could make it any
size), and ``missing`` names the facts that would narrow it. A verdict is only decided
where the interval lies wholly on one side of the line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from core.areas.provinces import normalise_region
from knowledge.profile import ASSET_FIELDS, CitizenProfile
from knowledge.schema import IncomeBase, RecognitionScheme, Source
from knowledge.yaml_data import load_yaml

RECOGNITION_FILE = Path(__file__).parent / "data" / "income_recognition.yaml"
WORKING = frozenset({"employed", "self_employed"})
METROPOLITAN = frozenset(
    {
        "서울특별시",
        "부산광역시",
        "대구광역시",
        "인천광역시",
        "광주광역시",
        "대전광역시",
        "울산광역시",
    }
)
SEJONG = "세종특별자치시"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class EarnedIncomeDeduction(_Model):
    basic: int = Field(ge=0, description="won a month taken off earned income first")
    rate: float = Field(ge=0, le=1, description="share of the rest taken off")


class MonthlyRates(_Model):
    housing: float
    general: float
    financial: float
    car: float


class SchemePeriod(_Model):
    """A scheme's parameters from ``starts`` until the next period."""

    starts: dt.date = Field(alias="from")
    basic_property_deduction: dict[str, int]
    housing_cap: dict[str, int] | None = None
    financial_deduction: int
    monthly_rates: MonthlyRates | None = None
    yearly_rate: float | None = None
    earned_income_deduction: EarnedIncomeDeduction
    source: Source


class RegionClass(_Model):
    name: str = Field(alias="class")
    within: list[str]


class Scheme(_Model):
    id: RecognitionScheme
    name: str
    region_classes: list[RegionClass] = Field(default_factory=list)
    periods: list[SchemePeriod] = Field(min_length=1)

    def period_on(self, on: dt.date) -> SchemePeriod:
        started = [p for p in self.periods if p.starts <= on]
        if not started:
            raise KeyError(f"{self.id}: no parameters in force on {on}")
        return max(started, key=lambda p: p.starts)

    def region_classes_of(self, region: str | None) -> frozenset[str]:
        """The region classes the place could be in (several when it is not precise)."""
        every = frozenset(self.period_on(dt.date.max).basic_property_deduction)
        if region is None:
            return every
        if self.id == "basic_pension":
            return _area_kind(normalise_region(region)) or every
        place = normalise_region(region)
        named = [c.name for c in self.region_classes if any(_within(place, w) for w in c.within)]
        if named:
            return frozenset(named[:1])
        rest = [c.name for c in self.region_classes if not c.within]
        # A 시도 that holds a named city (경상남도 holds 창원): either class.
        holds_named = [
            c.name for c in self.region_classes if any(w.startswith(place + " ") for w in c.within)
        ]
        return frozenset(rest + holds_named)


def _within(place: str, scope: str) -> bool:
    inner, outer = place.split(), scope.split()
    return len(inner) >= len(outer) and inner[: len(outer)] == outer


def _area_kind(place: str) -> frozenset[str] | None:
    """대도시 / 중소도시 / 농어촌 from the kind of area a place is (None: not a place)."""
    words = place.split()
    if not words:
        return None
    province, district = words[0], (words[1] if len(words) > 1 else None)
    if province == SEJONG:
        return frozenset({"중소도시"})
    if district is not None and district.endswith("군"):
        return frozenset({"농어촌"})
    if province in METROPOLITAN:
        return frozenset({"대도시"}) if district else frozenset({"대도시", "농어촌"})
    if district is not None and district.endswith("시"):
        return frozenset({"중소도시"})
    return frozenset({"중소도시", "농어촌"})


class Schemes(_Model):
    schemes: list[Scheme]

    def get(self, scheme_id: RecognitionScheme) -> Scheme:
        return next(s for s in self.schemes if s.id == scheme_id)


@lru_cache(maxsize=2)
def load_schemes(path: Path = RECOGNITION_FILE) -> Schemes:
    with path.open(encoding="utf-8") as handle:
        return Schemes.model_validate(load_yaml(handle))


@dataclass(frozen=True)
class Recognised:
    """소득인정액 as far as the facts tell: between ``low`` and ``high`` (None: unbounded)."""

    low: int
    high: int | None
    missing: frozenset[str] = frozenset()
    income: int | None = None
    """소득평가액, when the facts fix it."""
    property_income: int | None = None
    """재산의 소득환산액, when the facts fix it."""

    @property
    def exact(self) -> bool:
        return self.high is not None and self.low == self.high

    def parts(self) -> tuple[int, int] | None:
        """(소득평가액, 재산의 소득환산액) when the facts fix both."""
        if self.income is None or self.property_income is None:
            return None
        return self.income, self.property_income


Assets = Mapping[str, int]


def recognised_income(
    profile: CitizenProfile,
    scheme: Scheme,
    on: dt.date,
    base: IncomeBase,
    *,
    household_income_field: str = "monthly_income",
) -> Recognised:
    """The interval of 소득인정액 of the person (``applicant``: with the spouse) or their
    household, on ``on``, by ``scheme``."""
    period = scheme.period_on(on)
    missing: set[str] = set()
    income_range = _income_range(profile, base, household_income_field, missing)
    evaluated = _evaluated_income(profile, income_range, period, missing)
    property_low, property_high = _property_range(profile, scheme, period, missing)
    low = evaluated[0] + property_low
    high = None if evaluated[1] is None or property_high is None else evaluated[1] + property_high
    exact_income = evaluated[0] if evaluated[0] == evaluated[1] else None
    exact_property = property_low if property_low == property_high else None
    return Recognised(low, high, frozenset(missing), exact_income, exact_property)


def _income_range(
    profile: CitizenProfile, base: IncomeBase, household_field: str, missing: set[str]
) -> tuple[int, int | None]:
    """The monthly income the rule counts, as an interval."""
    household = getattr(profile, household_field)
    if base == "household":
        if household is None:
            missing.add(household_field)
            return 0, None
        return household, household
    own = profile.own_monthly_income
    if own is not None:
        return own, own
    if household is not None and _household_is_couple_or_alone(profile):
        return household, household  # the household is the applicant and spouse
    if household is not None:
        missing.add("own_monthly_income")
        return 0, household  # the applicant's share of the household's income
    alone_or_couple = profile.household_size is None or _household_is_couple_or_alone(profile)
    missing.add(household_field if alone_or_couple else "own_monthly_income")
    return 0, None


def _household_is_couple_or_alone(profile: CitizenProfile) -> bool:
    if profile.household_size == 1:
        return True
    return profile.household_size == 2 and profile.married is True


def _evaluated_income(
    profile: CitizenProfile,
    income: tuple[int, int | None],
    period: SchemePeriod,
    missing: set[str],
) -> tuple[int, int | None]:
    """소득평가액: earned income less its deduction. Whether income is earned follows
    from ``employment``; unknown, the deduction may or may not apply."""
    low, high = income
    deduction = period.earned_income_deduction

    def after(amount: int) -> int:
        # (earned income − the basic deduction) × (1 − the rate): 0.7 × (근로소득 − 110만)
        # for 기초연금, 0.7 × 근로소득 for 기초생활보장.
        return round(max(amount - deduction.basic, 0) * (1 - deduction.rate))

    if profile.employment in WORKING:
        return after(low), None if high is None else after(high)
    if profile.employment is not None:
        return low, high
    if low != after(low) or (high is not None and high != after(high)):
        missing.add("employment")
    return after(low), high


def _property_range(
    profile: CitizenProfile, scheme: Scheme, period: SchemePeriod, missing: set[str]
) -> tuple[int, int | None]:
    """재산의 소득환산액 as an interval over unknown assets, debts and region class."""
    assets = {name: getattr(profile, name) for name in ASSET_FIELDS}
    unknown = [name for name, value in assets.items() if value is None]
    if unknown:
        missing.update(["has_assets"] if profile.has_assets is None else unknown)
    known = {name: value or 0 for name, value in assets.items()}
    classes = scheme.region_classes_of(profile.region)
    value = _livelihood_value if scheme.id == "livelihood" else _pension_value
    # Least: unknown assets as none, unknown debts as large as everything owned.
    debts_low = profile.debts if profile.debts is not None else sum(known.values())
    low = min(value(known, debts_low, region_class, period) for region_class in classes)
    if unknown:
        return low, None
    debts_high = profile.debts or 0
    by_class = {value(known, debts_high, region_class, period) for region_class in classes}
    high = max(by_class)
    if len(by_class) > 1:
        missing.add("region")
    if profile.debts is None and high != low:
        missing.add("debts")
    return low, high


def _take(amount: int, *pots: list[int]) -> None:
    """Take ``amount`` off the pots in order, none below zero."""
    for pot in pots:
        taken = min(amount, pot[0])
        pot[0] -= taken
        amount -= taken


def _livelihood_value(assets: Assets, debts: int, region_class: str, period: SchemePeriod) -> int:
    rates = period.monthly_rates
    assert rates is not None, "the livelihood scheme has monthly rates"
    housing, general = [assets["home_value"]], [assets["other_property_value"]]
    financial = [max(assets["financial_assets"] - period.financial_deduction, 0)]
    _take(debts, general, housing, financial)
    _take(period.basic_property_deduction[region_class], housing, general, financial)
    cap = (period.housing_cap or {}).get(region_class)
    if cap is not None and housing[0] > cap:
        general[0] += housing[0] - cap
        housing[0] = cap
    monthly = (
        housing[0] * rates.housing
        + general[0] * rates.general
        + financial[0] * rates.financial
        + assets["car_value"] * rates.car
    )
    return round(monthly)


def _pension_value(assets: Assets, debts: int, region_class: str, period: SchemePeriod) -> int:
    assert period.yearly_rate is not None, "the basic pension scheme has a yearly rate"
    buildings = assets["home_value"] + assets["other_property_value"] + assets["car_value"]
    general = max(buildings - period.basic_property_deduction[region_class], 0)
    financial = max(assets["financial_assets"] - period.financial_deduction, 0)
    net = max(general + financial - debts, 0)
    return round(net * period.yearly_rate / 12)
