"""The routing table (core/areas/areas.yaml) and reading areas as citizens write them."""

from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.areas import AREAS, district_of, dongs_of, keys_within, resolve_area
from core.areas.table import TABLE, load_area_table

SEED_DONG_COUNTS = {
    "서울특별시 강서구": 20,
    "서울특별시 서대문구": 14,
    "부산광역시 수영구": 10,
    "광주광역시 서구": 18,
}


def test_every_seed_district_has_its_dongs_and_every_district_an_area() -> None:
    dongs = [area for area in AREAS.values() if area.level == "dong"]
    assert {key: len(dongs_of(key)) for key in SEED_DONG_COUNTS} == SEED_DONG_COUNTS
    assert len(dongs) == sum(SEED_DONG_COUNTS.values())
    districts = [area for area in AREAS.values() if area.level == "district"]
    assert len(districts) == sum(len(names) for names in TABLE.sigungu.values()) + 1  # 세종
    sejong = AREAS["세종특별자치시"]
    assert (sejong.sigungu, sejong.dong, sejong.level) == (None, None, "district")


def test_keys_are_official_full_names() -> None:
    area = AREAS["서울특별시 강서구 화곡1동"]
    assert (area.sido, area.sigungu, area.dong, area.level) == (
        "서울특별시",
        "강서구",
        "화곡1동",
        "dong",
    )
    assert district_of(area.key) == AREAS["서울특별시 강서구"]
    assert district_of("부산광역시 수영구") == AREAS["부산광역시 수영구"]
    assert dongs_of("서울특별시 강서구 화곡1동") == ()
    assert dongs_of("경기도 수원시") == ()
    assert keys_within("부산광역시 수영구") == {
        "부산광역시 수영구",
        *(f"부산광역시 수영구 {name}" for name in ("남천1동", "남천2동", "수영동", "민락동")),
        *(f"부산광역시 수영구 망미{n}동" for n in (1, 2)),
        *(f"부산광역시 수영구 광안{n}동" for n in (1, 2, 3, 4)),
    }
    with pytest.raises(KeyError):
        district_of("서울특별시 강서구 화곡99동")


def test_the_table_refuses_a_seed_dong_count_that_does_not_add_up() -> None:
    text = resources.files("core.areas").joinpath("areas.yaml").read_text("utf-8")
    assert "dong_count: 20" in text
    with pytest.raises(ValueError, match="dong_count"):
        load_area_table(text.replace("dong_count: 20", "dong_count: 21", 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("강서구 화곡1동", "서울특별시 강서구 화곡1동"),
        ("서울 강서구 화곡제1동", "서울특별시 강서구 화곡1동"),
        ("서울특별시 강서구 화곡 1동", "서울특별시 강서구 화곡1동"),
        ("강서구화곡1동", "서울특별시 강서구 화곡1동"),
        ("강서구 화곡 제1동", "서울특별시 강서구 화곡1동"),
        ("홍제1동", "서울특별시 서대문구 홍제1동"),  # 제 is part of this name
        ("우장산동에서요", "서울특별시 강서구 우장산동"),
        ("화곡7동", "서울특별시 강서구 화곡1동"),  # merged into 화곡1동 in 2008
        ("개화동", "서울특별시 강서구 방화2동"),  # a 법정동 inside one 행정동
        ("수영구 광안2동", "부산광역시 수영구 광안2동"),
        ("수영동", "부산광역시 수영구 수영동"),
        ("광주 서구 치평동", "광주광역시 서구 치평동"),
        ("수영구", "부산광역시 수영구"),
        ("서대문구", "서울특별시 서대문구"),
        ("부산 강서구 명지동", "부산광역시 강서구"),  # no 동 queues there
        ("경기 수원시 영통구", "경기도 수원시"),  # a 일반구 routes to its 시
        ("세종", "세종특별자치시"),
        ("세종시 조치원읍", "세종특별자치시"),
        ("서울특별시 강서구 화곡1동", "서울특별시 강서구 화곡1동"),
        ("강서구 화곡１동", "서울특별시 강서구 화곡1동"),  # a full-width digit
    ],
)
def test_one_area_is_found(text: str, expected: str) -> None:
    resolution = resolve_area(text)
    assert resolution.outcome == "found"
    assert resolution.area is not None and resolution.area.key == expected
    assert resolution.candidates == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "화곡동",
            [f"서울특별시 강서구 화곡{n}동" for n in ("1", "2", "3", "4", "6", "8", "본")]
            + ["서울특별시 강서구 우장산동"],
        ),
        ("방화동", [f"서울특별시 강서구 방화{n}동" for n in (1, 2, 3)]),
        ("광안리", [f"부산광역시 수영구 광안{n}동" for n in (1, 2, 3, 4)]),
        (
            "서구",
            [f"{sido} 서구" for sido in ("부산광역시", "대구광역시", "인천광역시")]
            + ["광주광역시 서구", "대전광역시 서구"],
        ),
        ("강서구 명지동", ["서울특별시 강서구", "부산광역시 강서구"]),
        (
            "광주시",
            [f"광주광역시 {gu}" for gu in ("동구", "서구", "남구", "북구", "광산구")]
            + ["경기도 광주시"],
        ),
    ],
)
def test_an_ambiguous_name_lists_its_candidates(text: str, expected: list[str]) -> None:
    resolution = resolve_area(text)
    assert resolution.outcome == "ambiguous"
    assert resolution.area is None
    assert sorted(area.key for area in resolution.candidates) == sorted(expected)


@pytest.mark.parametrize("text", ["", "   ", "서울", "부산 화곡동", "아무데나", "우리 동네요"])
def test_nothing_routable_is_unknown(text: str) -> None:
    assert resolve_area(text).outcome == "unknown"


def test_every_dong_is_found_by_its_district_and_name() -> None:
    for area in AREAS.values():
        if area.dong is not None:
            assert resolve_area(f"{area.sigungu} {area.dong}").area == area, area.key
            assert resolve_area(area.key).area == area


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("서울강서구화곡동1 제부산광역시수영안리세종 "), max_size=30)
)
def test_any_text_gets_an_answer_of_the_right_shape(text: str) -> None:
    resolution = resolve_area(text)
    if resolution.outcome == "found":
        assert resolution.area is not None and resolution.area.key in AREAS
    elif resolution.outcome == "ambiguous":
        assert len(resolution.candidates) >= 2
    else:
        assert resolution.area is None and resolution.candidates == ()
