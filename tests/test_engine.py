"""The eligibility engine: three-valued rules, explanations, amounts, next question."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from knowledge.engine import EligibilityEngine
from knowledge.income import load_median_income
from knowledge.profile import CitizenProfile, ProfileError
from knowledge.recognition import load_schemes
from knowledge.schema import CATALOG_TEST_DATE, Program

MEDIAN_2026 = load_median_income().for_year(2026)
ON = CATALOG_TEST_DATE


def make_program(program_id: str, rule: dict[str, Any] | None, **extra: Any) -> Program:
    data: dict[str, Any] = {
        "id": program_id,
        "name": f"시험 {program_id}",
        "category": "생계",
        "provider": "central",
        "summary": "시험용 지원",
        "description": "시험용 지원입니다.",
        "eligibility": {"text": "시험 대상", "rule": rule},
        "benefit": {"text": "시험 지원"},
        "apply": {"where": "행정복지센터"},
        "contact": {"name": "보건복지상담센터", "phone": "129"},
        "sources": [{"id": "s1", "title": "시험", "url": "https://example.org"}],
    }
    data.update(extra)
    return Program.model_validate(data)


def engine_for(*programs: Program) -> EligibilityEngine:
    return EligibilityEngine(programs, load_median_income(), load_schemes())


def profile(**facts: Any) -> CitizenProfile:
    return CitizenProfile.parse(facts)


LIVING = make_program(
    "living",
    {"kind": "income_median", "text": "소득 32% 이하", "max_percent": 32, "source": "s1"},
    benefit={
        "text": "차액",
        "amounts": [{"from": "2026-01-01", "source": "s1", "kind": "gap_to_line", "percent": 32}],
    },
)
ELDERLY = make_program("elderly", {"kind": "age", "text": "만 65세 이상", "min": 65})


# --- published lines and boundaries ------------------------------------------------
@pytest.mark.parametrize(
    ("household", "published"),
    [(1, 820_556), (2, 1_343_773), (3, 1_714_892), (4, 2_078_316)],
)
def test_selection_lines_equal_published_figures(household: int, published: int) -> None:
    assert MEDIAN_2026.line(household, 32) == published


@pytest.mark.parametrize(("income", "status"), [(1_714_892, "eligible"), (1_714_893, "ineligible")])
def test_income_boundary_is_inclusive(income: int, status: str) -> None:
    result = engine_for(LIVING).assess(profile(household_size=3, monthly_income=income), LIVING, ON)
    assert result.status == status


@pytest.mark.parametrize(("age", "status"), [(65, "eligible"), (64, "ineligible")])
def test_age_boundary_is_inclusive(age: int, status: str) -> None:
    assert engine_for(ELDERLY).assess(profile(age=age), ELDERLY, ON).status == status


def test_eight_and_more_add_the_step_from_six_to_seven() -> None:
    """The 고시's rule: 7인 is in the table; each person beyond adds (7인 − 6인)."""
    assert MEDIAN_2026.median(7) == 9_515_150
    step = 9_515_150 - 8_555_952
    assert MEDIAN_2026.median(8) == 9_515_150 + step
    assert MEDIAN_2026.median(10) == 9_515_150 + 3 * step


def test_the_day_chooses_the_table() -> None:
    tables = load_median_income()
    assert tables.on(dt.date(2026, 12, 31)).median(1) == 2_564_238
    assert tables.on(dt.date(2027, 1, 1)).median(1) == 2_736_042
    assert tables.on(dt.date(2027, 1, 1)).line(1, 32) == 875_533
    assert tables.on(dt.date(2027, 1, 1)).line(4, 32) == 2_217_563


def test_year_chooses_the_table() -> None:
    tables = load_median_income()
    assert tables.for_year(2025).median(1) == 2_392_013
    assert tables.for_year(2026).median(1) == 2_564_238
    with pytest.raises(KeyError):
        tables.for_year(1999)


# --- explanations come from the deciding objects ------------------------------------
def test_reasons_name_the_condition_and_the_observed_fact() -> None:
    result = engine_for(LIVING).assess(
        profile(household_size=1, monthly_income=500_000), LIVING, ON
    )
    assert result.status == "eligible"
    assert result.reasons == ("소득 32% 이하: 맞아요 (월 500,000원, 1인 가구 기준 820,556원)",)
    assert result.amount is not None and result.amount.value == 320_556


def test_failed_condition_is_explained() -> None:
    result = engine_for(ELDERLY).assess(profile(age=40), ELDERLY, ON)
    assert result.failed == ("만 65세 이상: 아니에요 (만 40세)",)


# --- unknown is never false ----------------------------------------------------------
def test_missing_fact_gives_maybe_with_the_missing_field() -> None:
    result = engine_for(LIVING).assess(profile(household_size=2), LIVING, ON)
    assert result.status == "maybe"
    assert result.missing == ("monthly_income",)
    assert result.amount is not None and result.amount.value is None


def test_empty_profile_leaves_everything_undecided() -> None:
    report = engine_for(LIVING, ELDERLY).match(profile(), ON)
    assert [r.program.id for r in report.maybe] == ["living", "elderly"]
    assert report.eligible == [] and report.ineligible == []


def test_all_fails_when_one_part_fails_even_if_another_is_unknown() -> None:
    both = make_program(
        "both",
        {
            "kind": "all",
            "of": [
                {"kind": "age", "text": "만 65세 이상", "min": 65},
                {
                    "kind": "income_median",
                    "text": "소득 50% 이하",
                    "max_percent": 50,
                    "source": "s1",
                },
            ],
        },
    )
    assert engine_for(both).assess(profile(age=30), both, ON).status == "ineligible"


def test_any_passes_when_one_branch_passes_despite_unknowns() -> None:
    either = make_program(
        "either",
        {
            "kind": "any",
            "of": [
                {"kind": "flag", "text": "혼자 삶", "field": "lives_alone", "value": True},
                {"kind": "age", "text": "만 80세 이상", "min": 80},
            ],
        },
    )
    assert engine_for(either).assess(profile(age=85), either, ON).status == "eligible"
    undecided = engine_for(either).assess(profile(age=70), either, ON)
    assert undecided.status == "maybe" and undecided.missing == ("lives_alone",)


def test_not_inverts_and_keeps_unknown() -> None:
    homeless = make_program(
        "homeless",
        {
            "kind": "not",
            "text": "본인 명의 집 없음",
            "of": {"kind": "flag", "text": "집 있음", "field": "owns_home", "value": True},
        },
    )
    e = engine_for(homeless)
    assert e.assess(profile(owns_home=False), homeless, ON).status == "eligible"
    assert e.assess(profile(owns_home=True), homeless, ON).status == "ineligible"
    assert e.assess(profile(), homeless, ON).missing == ("owns_home",)


def test_local_program_requires_residence() -> None:
    local = make_program("local", None, provider="local", region="서울특별시 강서구")
    e = engine_for(local)
    assert e.assess(profile(region="서울 강서구 화곡동"), local, ON).status == "eligible"
    assert e.assess(profile(region="부산광역시 강서구"), local, ON).status == "ineligible"
    assert e.assess(profile(), local, ON).missing == ("region",)


def test_living_alone_implies_a_household_of_one() -> None:
    result = engine_for(LIVING).assess(
        profile(lives_alone=True, monthly_income=800_000), LIVING, ON
    )
    assert result.status == "eligible"


# --- contradictory and malformed input -----------------------------------------------
@pytest.mark.parametrize(
    "facts",
    [
        {"lives_alone": True, "household_size": 3},
        {"married": True, "household_size": 1},
        {"pregnant": True, "sex": "m"},
        {"housing": "own", "owns_home": False},
        {"household_size": 2, "children_ages": [3, 5]},
        {"married": True, "single_parent": True},
    ],
)
def test_contradictions_are_refused_in_korean(facts: dict[str, Any]) -> None:
    with pytest.raises(ProfileError) as caught:
        CitizenProfile.parse(facts)
    assert all("확인해 주세요" in p for p in caught.value.problems)


@pytest.mark.parametrize(
    "facts",
    [{"age": -1}, {"monthly_income": -5}, {"household_size": 0}, {"sex": "x"}, {"shoe": 1}],
)
def test_malformed_facts_are_refused(facts: dict[str, Any]) -> None:
    with pytest.raises(ProfileError):
        CitizenProfile.parse(facts)


def test_non_object_profile_is_refused() -> None:
    with pytest.raises(ProfileError):
        CitizenProfile.parse([1, 2])


# --- amounts ---------------------------------------------------------------------------
def test_per_child_amount_sums_children_by_age() -> None:
    parent = make_program(
        "parent",
        {"kind": "child", "text": "만 1세 이하 자녀", "max_age": 1},
        benefit={
            "text": "0세 100만 원, 1세 50만 원",
            "amounts": [
                {
                    "from": "2026-01-01",
                    "source": "s1",
                    "kind": "per_child",
                    "period": "month",
                    "brackets": [
                        {"max_age": 0, "value": 1_000_000},
                        {"max_age": 1, "value": 500_000},
                    ],
                }
            ],
        },
    )
    result = engine_for(parent).assess(profile(children_ages=[0, 1, 7]), parent, ON)
    assert result.status == "eligible"
    assert result.amount is not None and result.amount.value == 1_500_000


# --- next question ---------------------------------------------------------------------
def test_next_question_asks_what_settles_most_programs() -> None:
    young = make_program("young", {"kind": "age", "text": "만 19~34세", "min": 19, "max": 34})
    e = engine_for(LIVING, ELDERLY, young)
    question = e.next_question(profile(), ON)
    assert question is not None
    assert question.field == "age" and question.settles == 2


def test_next_question_moves_on_once_answered() -> None:
    e = engine_for(LIVING, ELDERLY)
    question = e.next_question(profile(age=70), ON)
    assert question is not None and question.field == "household_size"


def test_no_question_when_everything_is_decided() -> None:
    assert engine_for(ELDERLY).next_question(profile(age=70), ON) is None


def test_report_json_has_the_public_shape() -> None:
    report = engine_for(LIVING, ELDERLY).match(profile(age=70, household_size=1), ON)
    data = report.to_json()
    assert set(data) == {"eligible", "maybe", "ineligible", "closed"}
    assert data["eligible"][0].keys() == {"id", "name", "reasons", "amount"}
    assert data["maybe"][0] == {
        "id": "living",
        "name": "시험 living",
        "missing": ["monthly_income"],
    }
