"""Table-driven cases for the entity normalisers in ``actions.normalise``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from actions.normalise import (
    AgeReading,
    HouseholdReading,
    MoneyAmount,
    ProgramMatcher,
    RegionReading,
    find_numbers,
    find_region,
    is_about_self,
    normalise_relation,
    parse_age,
    parse_household,
    parse_lump_sum,
    parse_money,
    parse_monthly_won,
    parse_number,
    read_age,
)
from core.areas.provinces import OFFICIAL_NAMES
from core.areas.region import sigungu_table
from knowledge.catalog import load_catalog

TODAY = date(2026, 11, 23)

NUMBER_CASES = [
    ("백이십만", 1_200_000),
    ("삼천오백", 3500),
    ("만오천", 15000),
    ("일흔셋", 73),
    ("스물다섯", 25),
    ("아흔아홉", 99),
    ("열다섯", 15),
    ("칠십삼", 73),
    ("1,200,000", 1_200_000),
    ("1 200 000", 1_200_000),
    ("1억 2천만", 120_000_000),
    ("일억이천만", 120_000_000),
    ("120만", 1_200_000),
    ("3.5만", 35000),
    ("2백만", 2_000_000),
    ("2천5백", 2500),
    ("백 이십 만", 1_200_000),
    ("스물 다섯", 25),
    ("일흔 셋", 73),
    ("0", 0),
    ("  65 ", 65),
    ("-5만", -50000),
    # Not a number, or not only a number.
    ("3.5", None),
    ("이번 달", None),
    ("일하고", None),
    ("삼촌", None),
    ("몰라요", None),
    ("ㅋㅋ", None),
    ("", None),
    ("이삼", None),
]


@pytest.mark.parametrize(("text", "expected"), NUMBER_CASES)
def test_parse_number(text: str, expected: int | None) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("올해예순다섯", [65]),
        ("월팔십만원", [800_000]),
        ("한달에 90만원", [1, 900_000]),
        ("만 65세", [10000, 65]),
        ("80-90만", [80, 900_000]),
        ("이 사람", [2, 4]),
        ("65세", [65]),
        ("사람들이 일하고", [4, 1]),
        ("저희 둘이", [2]),
        ("기억이 잘 안 나요", []),
        ("좋은 추억이에요", []),
        ("월 1억이에요", [100_000_000]),
        ("억이천만 원", [120_000_000]),
        ("월 80만이에요", [800_000]),
        ("150만이요", [1_500_000]),
        ("천만이 넘어요", [10_000_000]),
        ("육십이라고 했어요", [60]),
        ("육십이세", [62]),
        ("육십이 살", [62]),
        ("육십이", [62]),
        ("육십이요", [62]),
        ("삼백만이천원", [3_002_000]),
    ],
)
def test_find_numbers(text: str, values: list[int]) -> None:
    assert [span.value for span in find_numbers(text)] == values


def test_single_numeral_syllables_are_weak() -> None:
    weak = {text: find_numbers(text)[0].weak for text in ("이번", "세 명", "스물", "5", "백만")}
    assert weak == {"이번": True, "세 명": True, "스물": False, "5": False, "백만": False}


MONEY_CASES: list[tuple[str, int | None]] = [
    ("월 80만원", 800_000),
    ("백이십만 원", 1_200_000),
    ("1,200,000원", 1_200_000),
    ("120만", 1_200_000),
    ("한달에 90만원 정도", 900_000),
    ("2백만원", 2_000_000),
    ("200만 원 조금 넘어요", 2_000_000),
    ("월팔십만원", 800_000),
    ("오만원", 50000),
    ("만 원", 10000),
    ("3.5만원", 35000),
    ("연금 30만원 받아요", 300_000),
    ("이번 달에 80만원 들어왔어요", 800_000),
    ("한 80만원이요", 800_000),
    ("1억 2천만 원", 120_000_000),
    ("연 2400만원", 2_000_000),
    ("연봉 3천만", 2_500_000),
    ("1년에 1200만원", 1_000_000),
    ("소득 없어요", 0),
    ("수입 없음", 0),
    ("0원", 0),
    ("없어요", 0),
    ("벌이가 한 푼도 없어요", 0),
    # Unknown, nonsense or absurd.
    ("몰라요", None),
    ("ㅋㅋ", None),
    ("-5만", None),
    ("마이너스 5만원", None),
    ("100억", None),
    ("80", None),
    ("이번 달", None),
    ("일하고 있어요", None),
    ("삼촌이 도와줘요", None),
    ("이천 살아요", None),
    ("1952년생", None),
    ("소득이 없진 않아요", None),
]


@pytest.mark.parametrize(("text", "monthly"), MONEY_CASES)
def test_parse_monthly_won(text: str, monthly: int | None) -> None:
    assert parse_monthly_won(text) == monthly


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("월 80만원", MoneyAmount(800_000, 800_000, "month", approximate=False)),
        ("연 2400만원", MoneyAmount(2_000_000, 24_000_000, "year", approximate=False)),
        ("연소득 1000만원", MoneyAmount(833_333, 10_000_000, "year", approximate=False)),
        ("200만 원 조금 넘어요", MoneyAmount(2_000_000, 2_000_000, "month", approximate=True)),
        ("한달에 90만원 정도", MoneyAmount(900_000, 900_000, "month", approximate=True)),
        ("월 100만원, 연 1200만원", MoneyAmount(1_000_000, 1_000_000, "month", approximate=False)),
        ("소득 없어요", MoneyAmount(0, 0, "month", approximate=False)),
    ],
)
def test_parse_money_keeps_what_was_said(text: str, expected: MoneyAmount) -> None:
    assert parse_money(text) == expected


AGE_CASES: list[tuple[str, int | None]] = [
    ("73세", 73),
    ("만 65세", 65),
    ("만65세", 65),
    ("일흔셋", 73),
    ("일흔 셋이에요", 73),
    ("칠십삼세", 73),
    ("65살", 65),
    ("서른 살이에요", 30),
    ("스물세 살", 23),
    ("세 살", 3),
    ("올해 예순다섯", 65),
    ("73", 73),
    ("나이가 73이에요", 73),
    ("엄마가 올해 65세인데 연금 나오나요", 65),
    ("삼촌이 70세예요", 70),
    ("5월에 73세 돼요", 73),
    ("1952년생", 74),
    ("52년생이에요", 74),
    ("1952년에 태어났어요", 74),
    ("05년생", 21),
    ("오십이년생", 74),
    # Decades are not an age for the profile.
    ("70대", None),
    ("칠십대 초반", None),
    # Unknown, nonsense or absurd.
    ("몰라요", None),
    ("ㅋㅋ", None),
    ("200세", None),
    ("-5세", None),
    ("2030년생", None),
    ("1800년생", None),
    ("이번 달에 병원 가요", None),
    ("일하고 있어요", None),
    ("삼촌이 도와줘요", None),
    ("이 세상 살기 힘들어요", None),
    ("하나도 몰라요", None),
    ("1,200,000원", None),
    # One numeral syllable glued to 세 is a verb or a noun, not an age.
    ("어머니 혼자 사세요", None),
    ("딸이랑 둘이 사세요", None),
    ("우리 집에 오세요", None),
    ("구세군 냄비", None),
    ("칠십사세요", 74),
    ("사 세", 4),
    ("혼자 사세요 일흔셋이고요", 73),
    # A native age glued to 세요: the third word is no part of the number.
    ("여든하나세요", 81),
    ("여든셋세요", 83),
    ("일흔세살", 73),
    # Sino-Korean tens with a native unit, dialect endings, syllables typed apart.
    ("칠십셋이여", 73),
    ("팔십둘", 82),
    ("올해일흔여덟되셨어요", 78),
    ("일 흔 셋", 73),
]


@pytest.mark.parametrize(("text", "age"), AGE_CASES)
def test_parse_age(text: str, age: int | None) -> None:
    assert parse_age(text, TODAY) == age


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("73세", TODAY, AgeReading(73, 73, 73, "stated")),
        ("70대", TODAY, AgeReading(70, 70, 79, "decade")),
        ("1952년생", TODAY, AgeReading(74, 73, 74, "birth_year")),
        ("1952년생", date(2026, 12, 31), AgeReading(74, 74, 74, "birth_year")),
        ("2026년생", TODAY, AgeReading(0, 0, 0, "birth_year")),
        ("99년생", date(2026, 1, 1), AgeReading(27, 26, 27, "birth_year")),
    ],
)
def test_read_age_says_how_exact(text: str, today: date, expected: AgeReading) -> None:
    reading = read_age(text, today)
    assert reading == expected
    assert reading.exact is (expected.low == expected.high)


HOUSEHOLD_CASES: list[tuple[str, HouseholdReading | None]] = [
    ("혼자", HouseholdReading(1, True)),
    ("혼자 살아요", HouseholdReading(1, True)),
    ("저 혼자요", HouseholdReading(1, True)),
    ("혼자서 지내요", HouseholdReading(1, True)),
    ("독거노인이에요", HouseholdReading(1, True)),
    ("저희는 1인 가구예요", HouseholdReading(1, True)),
    ("둘이서", HouseholdReading(2, False)),
    ("셋이서", HouseholdReading(3, False)),
    ("4인 가구", HouseholdReading(4, False)),
    ("4인가구예요", HouseholdReading(4, False)),
    ("네 식구", HouseholdReading(4, False)),
    ("세 식구예요", HouseholdReading(3, False)),
    ("부부 둘이", HouseholdReading(2, False)),
    ("저까지 다섯 명", HouseholdReading(5, False)),
    ("저 포함 3명", HouseholdReading(3, False)),
    ("엄마랑 둘이", HouseholdReading(2, False)),
    ("남편이랑 둘이 살아요", HouseholdReading(2, False)),
    ("단둘이 살아요", HouseholdReading(2, False)),
    ("부부만 살아요", HouseholdReading(2, False)),
    ("식구는 넷이에요", HouseholdReading(4, False)),
    ("가족이 다섯 명", HouseholdReading(5, False)),
    ("3명이요", HouseholdReading(3, False)),
    ("네, 다섯 명이에요", HouseholdReading(5, False)),
    ("두 명이서 살아요", HouseholdReading(2, False)),
    ("혼자 아니에요", HouseholdReading(None, False)),
    ("엄마랑 같이 살아요", HouseholdReading(None, False)),
    # Not the household, unknown or absurd.
    ("자녀 둘 있어요", None),
    ("아들 2명이에요", None),
    ("혼자 애 키워요", None),
    ("100인 가구", None),
    ("0명", None),
    ("몰라요", None),
    ("ㅋㅋ", None),
    ("이번 달", None),
    ("일하고 있어요", None),
    ("삼촌이랑 살아요", None),
    ("네이버에서 봤어요", None),
]


@pytest.mark.parametrize(("text", "expected"), HOUSEHOLD_CASES)
def test_parse_household(text: str, expected: HouseholdReading | None) -> None:
    assert parse_household(text) == expected


def _unique(sido: str, sigungu: str | None = None, dong: str | None = None) -> RegionReading:
    normalised = f"{sido} {sigungu}" if sigungu else sido
    return RegionReading(sido, sigungu, dong, normalised, (normalised,))


REGION_CASES: list[tuple[str, RegionReading | None]] = [
    ("서울 강서구 화곡동", _unique("서울특별시", "강서구", "화곡동")),
    ("부산 수영구", _unique("부산광역시", "수영구")),
    ("광주 서구", _unique("광주광역시", "서구")),
    ("대전 중구에 살아요", _unique("대전광역시", "중구")),
    ("서울에 살아요", _unique("서울특별시")),
    ("서울시", _unique("서울특별시")),
    ("강원도 고성군", _unique("강원특별자치도", "고성군")),
    ("전라북도 전주시 완산구", _unique("전북특별자치도", "전주시 완산구")),
    ("해운대구에 살아요", _unique("부산광역시", "해운대구")),
    ("부산진구", _unique("부산광역시", "부산진구")),
    ("강남 살아요", _unique("서울특별시", "강남구")),
    ("이천에 살아요", _unique("경기도", "이천시")),
    ("인천 검단구", _unique("인천광역시", "검단구")),
    ("수원 영통구 매탄동", _unique("경기도", "수원시 영통구", "매탄동")),
    ("대구 달성군 화원읍", _unique("대구광역시", "달성군", "화원읍")),
    ("경기 양평군 양평읍 오빈리", _unique("경기도", "양평군", "양평읍 오빈리")),
    ("세종시 조치원읍", _unique("세종특별자치시", None, "조치원읍")),
    ("서울특별시 종로구 종로1가", _unique("서울특별시", "종로구", "종로1가")),
    ("노원구 상계동 살아요", _unique("서울특별시", "노원구", "상계동")),
    ("서울강서구화곡동", _unique("서울특별시", "강서구", "화곡동")),
    ("강서구, 서울이요", _unique("서울특별시", "강서구")),
    ("광주", _unique("광주광역시")),
    ("경기 광주", _unique("경기도", "광주시")),
    ("광주시 서구", _unique("광주광역시", "서구")),
    ("제주시 노형동", _unique("제주특별자치도", "제주시", "노형동")),
    ("서울 해운대구", _unique("서울특별시")),
    (
        "강서구",
        RegionReading(None, "강서구", None, None, ("서울특별시 강서구", "부산광역시 강서구")),
    ),
    (
        "강서구 화곡동이요",
        RegionReading(None, "강서구", "화곡동", None, ("서울특별시 강서구", "부산광역시 강서구")),
    ),
    ("광주시", RegionReading(None, None, None, None, ("광주광역시", "경기도 광주시"))),
    ("몰라요", None),
    ("ㅋㅋ", None),
    ("고양이 키워요", None),
    ("운동하러 가요", None),
    ("수영 다녀요", None),
    ("경기가 안 좋아요", None),
    ("고령이라 힘들어요", None),
    ("화곡1동이요", None),
]


@pytest.mark.parametrize(("text", "expected"), REGION_CASES)
def test_find_region(text: str, expected: RegionReading | None) -> None:
    assert find_region(text) == expected


def test_find_region_lists_every_city_with_that_gu() -> None:
    reading = find_region("서구")
    assert reading is not None and reading.ambiguous
    assert {option.split()[0] for option in reading.candidates} == {
        "부산광역시",
        "대구광역시",
        "인천광역시",
        "광주광역시",
        "대전광역시",
    }


def test_sigungu_table_covers_the_cities_and_gyeonggi() -> None:
    table = sigungu_table()
    assert set(table) == OFFICIAL_NAMES
    sizes = {sido: len(table[sido]) for sido in ("서울특별시", "부산광역시", "경기도")}
    assert sizes == {"서울특별시": 25, "부산광역시": 16, "경기도": 31}
    assert sum(name.endswith("시") for name in table["경기도"]) == 28


RELATION_CASES: list[tuple[str, str | None]] = [
    ("어머니", "mother"),
    ("엄마가요", "mother"),
    ("어머님께서", "mother"),
    ("모친", "mother"),
    ("울엄마", "mother"),
    ("저희 어머니", "mother"),
    ("아버지", "father"),
    ("아빠요", "father"),
    ("부모님", "parents"),
    ("엄마랑 아빠", "parents"),
    ("할머니", "grandparent"),
    ("외할아버지", "grandparent"),
    ("시어머니", "parent_in_law"),
    ("이웃", "neighbour"),
    ("옆집 할머니", "neighbour"),
    ("본인", "self"),
    ("저요", "self"),
    ("제가", "self"),
    ("나", "self"),
    ("제 거예요", "self"),
    ("아들", "child"),
    ("딸이요", "child"),
    ("자녀", "child"),
    ("배우자", "spouse"),
    ("남편", "spouse"),
    ("영감이", "spouse"),
    ("아내", "spouse"),
    ("동생", "sibling"),
    ("삼촌", "relative"),
    ("큰아버지", "relative"),
    ("친구", "friend"),
    ("아는 언니", "acquaintance"),
    ("집주인", "landlord"),
    ("통장님", "community_leader"),
    ("반장", "community_leader"),
    ("요양보호사", "carer"),
    ("제가 엄마 대신 물어봐요", "mother"),
    ("엄마가 아니라 저요", "self"),
    ("제가 아니라 엄마요", "mother"),
    ("몰라요", None),
    ("ㅋㅋ", None),
    ("딸기 먹어요", None),
    ("형편이 어려워요", None),
    ("저녁", None),
    ("이모티콘", None),
    ("통장으로 받아요", None),
    ("나이가 많아요", None),
    ("아이고", None),
]


@pytest.mark.parametrize(("text", "relation"), RELATION_CASES)
def test_normalise_relation(text: str, relation: str | None) -> None:
    assert normalise_relation(text) == relation


@pytest.mark.parametrize(
    ("relation", "about_self"),
    [("self", True), ("mother", False), ("neighbour", False), (None, False)],
)
def test_is_about_self(relation: str | None, about_self: bool) -> None:
    assert is_about_self(relation) is about_self


@pytest.fixture(scope="module")
def matcher() -> ProgramMatcher:
    return ProgramMatcher(load_catalog([Path("knowledge/programs")]))


PROGRAM_CASES: list[tuple[str, list[str]]] = [
    ("기초연금", ["basic_pension"]),
    ("기초 연금", ["basic_pension"]),
    ("기초연금 신청하고 싶어요", ["basic_pension"]),
    ("노령 연금", ["basic_pension"]),
    ("기초노령연금", ["basic_pension"]),
    ("어르신연금 받을 수 있나요", ["basic_pension"]),
    ("생계급여", ["basic_livelihood_living"]),
    ("생계 급여 받고 있어요", ["basic_livelihood_living"]),
    ("국민기초생활보장 생계급여", ["basic_livelihood_living"]),
    ("기초생활 수급", ["basic_livelihood_living"]),
    ("기초연금이랑 생계급여", ["basic_pension", "basic_livelihood_living"]),
    ("생계비 지원이랑 기초연금", ["basic_livelihood_living", "basic_pension"]),
    ("연금", []),
    ("몰라요", []),
    ("ㅋㅋ", []),
]


@pytest.mark.parametrize(("text", "ids"), PROGRAM_CASES)
def test_program_matcher(matcher: ProgramMatcher, text: str, ids: list[str]) -> None:
    assert matcher.find(text) == ids


LUMP_SUM_CASES = [
    ("3억 5천", 350_000_000),
    ("삼억오천", 350_000_000),
    ("1억2천만원", 120_000_000),
    ("2억 3000만원", 230_000_000),
    ("5천 정도", 50_000_000),
    ("오백 정도요", 5_000_000),
    ("전세 2억이에요", 200_000_000),
    ("8천만 원", 80_000_000),
    ("1억", 100_000_000),
    ("없어요", 0),
    ("집 없어요", 0),
    ("자동차 2대 있어요", None),
    ("잘 모르겠어요", None),
    ("월 30만 원이요", None),
    ("매달 20만", None),
    ("보증금 500에 월 30", 5_000_000),
    ("월세 보증금 1000만원", 10_000_000),
]


@pytest.mark.parametrize(("text", "won"), LUMP_SUM_CASES)
def test_parse_lump_sum(text: str, won: int | None) -> None:
    assert parse_lump_sum(text) == won


@pytest.mark.parametrize(
    ("text", "monthly"),
    [
        ("일주일에 20만원", 866_667),
        ("주급 30만원", 1_300_000),
        ("1년에 1200만원", 1_000_000),
        ("하루에 10만원 벌어요", None),
        ("일당 12만원", None),
    ],
)
def test_income_by_week_or_day_is_not_a_month(text: str, monthly: int | None) -> None:
    assert parse_monthly_won(text) == monthly
