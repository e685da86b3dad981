"""소득인정액: the property deductions, conversion rates and income bases of each scheme,
worked by hand at their boundaries, and the honest intervals when facts are missing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from knowledge.profile import CitizenProfile
from knowledge.recognition import load_schemes, recognised_income

ON_2026 = dt.date(2026, 7, 1)
LIVELIHOOD = load_schemes().get("livelihood")
PENSION = load_schemes().get("basic_pension")
NONE_ELSE = {"other_property_value": 0, "financial_assets": 0, "car_value": 0, "debts": 0}


def profile(**facts: Any) -> CitizenProfile:
    return CitizenProfile.parse(facts)


# --- livelihood (국민기초생활보장) ---------------------------------------------------------
def test_livelihood_worked_example() -> None:
    """서울, a 2억 home, 1,000만 in the bank, 40만 a month of pension.

    financial 1,000만 − 500만 = 500만; housing 2억 − 9,900만 = 1억 100만 (under the cap);
    1억 100만 × 1.04 % + 500만 × 6.26 % = 1,050,400 + 313,000 = 1,363,400 a month.
    """
    facts = {**NONE_ELSE, "home_value": 200_000_000, "financial_assets": 10_000_000}
    person = profile(region="서울특별시 강서구", monthly_income=400_000, employment="none", **facts)
    result = recognised_income(person, LIVELIHOOD, ON_2026, "household")
    assert (result.low, result.high) == (1_763_400, 1_763_400)
    assert result.parts() == (400_000, 1_363_400)


@pytest.mark.parametrize(
    ("region", "deduction"),
    [
        ("서울특별시 강서구", 99_000_000),
        ("경기도 수원시", 80_000_000),
        ("부산광역시 수영구", 77_000_000),
        ("경상남도 창원시", 77_000_000),
        ("경상북도 영양군", 53_000_000),
    ],
)
def test_livelihood_basic_deduction_by_region_class(region: str, deduction: int) -> None:
    """A home worth exactly the deduction counts for nothing; one won more, for 1.04 %."""
    at = profile(region=region, monthly_income=0, home_value=deduction, **NONE_ELSE)
    over = profile(region=region, monthly_income=0, home_value=deduction + 100, **NONE_ELSE)
    assert recognised_income(at, LIVELIHOOD, ON_2026, "household").low == 0
    assert recognised_income(over, LIVELIHOOD, ON_2026, "household").low == 1  # 100 × 1.04 %


def test_livelihood_housing_above_the_cap_counts_as_general_property() -> None:
    cap, deduction = 172_000_000, 99_000_000
    home = deduction + cap + 10_000_000  # 1,000만 above the cap after the deduction
    person = profile(region="서울특별시 강서구", monthly_income=0, home_value=home, **NONE_ELSE)
    expected = round(cap * 0.0104 + 10_000_000 * 0.0417)
    assert recognised_income(person, LIVELIHOOD, ON_2026, "household").low == expected


def test_livelihood_financial_reserve_and_car() -> None:
    facts = {**NONE_ELSE, "home_value": 0, "financial_assets": 5_000_000, "car_value": 3_000_000}
    person = profile(region="경상북도 영양군", monthly_income=0, **facts)
    # The deduction of the region (5,300만) is used up on nothing else: taken off the
    # financial assets after the 생활준비금, which leaves none; the car counts in full.
    assert recognised_income(person, LIVELIHOOD, ON_2026, "household").low == 3_000_000


def test_debts_come_off_general_property_first() -> None:
    facts = {
        "home_value": 0,
        "other_property_value": 60_000_000,
        "financial_assets": 0,
        "car_value": 0,
        "debts": 7_000_000,
    }
    person = profile(region="경상북도 영양군", monthly_income=0, **facts)
    # 6,000만 − 700만 = 5,300만, exactly the region's deduction: nothing left.
    assert recognised_income(person, LIVELIHOOD, ON_2026, "household").low == 0


def test_earned_income_has_its_deduction_only_when_earned() -> None:
    facts = {**NONE_ELSE, "home_value": 0}
    working = profile(monthly_income=1_000_000, employment="employed", **facts)
    retired = profile(monthly_income=1_000_000, employment="none", **facts)
    unknown = profile(monthly_income=1_000_000, **facts)
    assert recognised_income(working, LIVELIHOOD, ON_2026, "household").low == 700_000
    assert recognised_income(retired, LIVELIHOOD, ON_2026, "household").low == 1_000_000
    between = recognised_income(unknown, LIVELIHOOD, ON_2026, "household")
    assert (between.low, between.high) == (700_000, 1_000_000)
    assert "employment" in between.missing


# --- basic pension (기초연금, 장애인연금) ---------------------------------------------------
def test_a_15_eok_apartment_is_far_over_the_pension_line() -> None:
    """The issue's example: no income, a 15억 apartment in Seoul."""
    person = profile(
        age=70,
        region="서울특별시 강서구",
        household_size=1,
        monthly_income=0,
        home_value=1_500_000_000,
        **NONE_ELSE,
    )
    result = recognised_income(person, PENSION, ON_2026, "applicant")
    # (15억 − 1억 3,500만) × 4 % / 12 = 4,550,000 a month.
    assert result.low == result.high == 4_550_000


@pytest.mark.parametrize(
    ("region", "deduction"),
    [
        ("서울특별시 강서구", 135_000_000),
        ("경기도 수원시", 85_000_000),
        ("세종특별자치시", 85_000_000),
        ("경상북도 영양군", 72_500_000),
        ("부산광역시 기장군", 72_500_000),
    ],
)
def test_pension_basic_deduction_by_kind_of_area(region: str, deduction: int) -> None:
    at = profile(
        region=region, household_size=1, monthly_income=0, home_value=deduction, **NONE_ELSE
    )
    over = profile(
        region=region, household_size=1, monthly_income=0, home_value=deduction + 300, **NONE_ELSE
    )
    assert recognised_income(at, PENSION, ON_2026, "applicant").low == 0
    assert recognised_income(over, PENSION, ON_2026, "applicant").low == 1  # 300 × 4 % / 12


def test_pension_earned_income_deduction() -> None:
    working = profile(
        household_size=1, monthly_income=2_100_000, employment="employed", has_assets=False
    )
    # 0.7 × (2,100,000 − 1,100,000) = 700,000
    assert recognised_income(working, PENSION, ON_2026, "applicant").low == 700_000


def test_earned_income_below_the_basic_deduction_counts_as_none() -> None:
    working = profile(household_size=1, monthly_income=900_000, employment="employed")
    assert recognised_income(working, PENSION, ON_2026, "applicant").income == 0


def test_an_elder_with_an_earning_son_counts_only_her_own_income() -> None:
    person = profile(
        household_size=3,
        monthly_income=5_000_000,
        own_monthly_income=300_000,
        married=False,
        has_assets=False,
        employment="none",
    )
    result = recognised_income(person, PENSION, ON_2026, "applicant")
    assert result.low == result.high == 300_000


def test_without_her_own_income_only_the_household_bounds_it() -> None:
    person = profile(household_size=3, monthly_income=5_000_000, has_assets=False)
    result = recognised_income(person, PENSION, ON_2026, "applicant")
    assert (result.low, result.high) == (0, 5_000_000)
    assert "own_monthly_income" in result.missing


# --- honest intervals ----------------------------------------------------------------------
def test_unknown_property_leaves_the_top_open_and_asks_about_assets() -> None:
    person = profile(region="서울특별시 강서구", monthly_income=300_000, employment="none")
    result = recognised_income(person, LIVELIHOOD, ON_2026, "household")
    assert (result.low, result.high) == (300_000, None)
    assert result.missing == {"has_assets"}


def test_having_assets_asks_for_each_unknown_one() -> None:
    person = profile(monthly_income=0, employment="none", has_assets=True, home_value=0)
    result = recognised_income(person, LIVELIHOOD, ON_2026, "household")
    assert {"other_property_value", "financial_assets", "car_value"} <= result.missing


def test_unknown_debts_only_lower_it() -> None:
    facts = {"home_value": 0, "financial_assets": 0, "car_value": 0}
    person = profile(
        region="경상북도 영양군",
        monthly_income=0,
        employment="none",
        other_property_value=63_000_000,
        **facts,
    )
    result = recognised_income(person, LIVELIHOOD, ON_2026, "household")
    # With no debts: (6,300만 − 5,300만) × 4.17 % = 417,000; with debts, as low as 0.
    assert (result.low, result.high) == (0, 417_000)
    assert "debts" in result.missing


def test_an_imprecise_region_spans_its_classes() -> None:
    person = profile(region="경상남도", monthly_income=0, home_value=60_000_000, **NONE_ELSE)
    result = recognised_income(person, LIVELIHOOD, ON_2026, "household")
    # 창원 (7,700만: nothing counts) or elsewhere in 경남 (5,300만: 700만 × 1.04 %).
    assert (result.low, result.high) == (0, 72_800)
    assert "region" in result.missing
