"""주민등록번호 masking."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.privacy import BACK_MASK, FRONT_MASK, MASK, mask_rrn


@pytest.mark.parametrize(
    "text",
    [
        "제 주민번호는 800101-1234567 이에요",
        "8001011234567",
        "주민등록번호 020315 4123456입니다",
        "외국인 900505-5123456",
        "번호:991231–2000001",
    ],
)
def test_rrn_shapes_are_masked(text: str) -> None:
    masked, found = mask_rrn(text)
    assert found
    assert MASK in masked
    assert not any(ch.isdigit() for ch in masked.replace("번호:", ""))


@pytest.mark.parametrize(
    "text",
    [
        "010-1234-5678로 연락 주세요",
        "월 1,200,000원 벌어요",
        "801301-1234567",  # month 13 is not a date
        "800101-9234567",  # 9 is not a valid first digit
        "12345678901234",  # 14 digits: not an RRN
        "1952년생이고 73세예요",
    ],
)
def test_other_numbers_are_left_alone(text: str) -> None:
    assert mask_rrn(text) == (text, False)


def test_several_numbers_in_one_message_are_all_masked() -> None:
    masked, found = mask_rrn("엄마 400101-2123456, 아빠 380202-1123456")
    assert found and masked.count(MASK) == 2


# --- every way people type one -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # spaces around or instead of the hyphen
        ("800101 - 2234567", MASK),
        ("800101 2234567", MASK),
        ("800101  -  2234567", MASK),
        ("800101- 2234567", MASK),
        ("800101\u30002234567", MASK),  # ideographic space
        ("800101\n2234567", MASK),
        # other dash-likes
        ("800101ㅡ2234567", MASK),
        ("800101 ㅡ 2234567", MASK),
        ("800101–2234567", MASK),
        ("800101—2234567", MASK),
        ("800101―2234567", MASK),
        ("800101－2234567", MASK),
        ("800101‐2234567", MASK),
        ("800101~2234567", MASK),
        ("800101_2234567", MASK),
        ("800101.2234567", MASK),
        ("800101/2234567", MASK),
        ("800101, 2234567", MASK),
        # full-width digits, alone or mixed with ASCII ones
        ("８００１０１－２２３４５６７", MASK),
        ("８0０101-2２34567", MASK),
        ("８００１０１２２３４５６７", MASK),
        # a digit at a time
        ("8 0 0 1 0 1 - 2 2 3 4 5 6 7", MASK),
        ("8 0 0 1 0 1 2 2 3 4 5 6 7", MASK),
        ("800101 - 2 2 3 4 5 6 7", MASK),
        # invisible characters copied along
        ("800101\u200b-\u200b2234567", MASK),
        ("8001\u00ad01-2234567", MASK),
        # the tail hidden by the user: birth date and sex are still private
        ("800101-1******", MASK),
        ("800101-2xxxxxx", MASK),
        # after a label the first back digit may be anything
        ("주민번호 800101-9234567", f"주민번호 {MASK}"),
        ("주민등록번호: 800101-0234567", f"주민등록번호: {MASK}"),
    ],
)
def test_every_typed_shape_is_masked(text: str, expected: str) -> None:
    assert mask_rrn(text) == (expected, True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("앞자리 800101 뒷자리 2234567", f"앞자리 {FRONT_MASK} 뒷자리 {BACK_MASK}"),
        (
            "주민번호 앞자리는 800101이고 뒷자리는 2234567이에요",
            f"주민번호 앞자리는 {FRONT_MASK}이고 뒷자리는 {BACK_MASK}이에요",
        ),
        ("생년월일 800101 뒤 2234567", f"생년월일 {FRONT_MASK} 뒤 {BACK_MASK}"),
        ("800101 나머지는 2234567", f"{FRONT_MASK} 나머지는 {BACK_MASK}"),
        (
            "주민번호 앞 6자리 ８00101, 뒤 7자리 0234567입니다",
            f"주민번호 앞 6자리 {FRONT_MASK}, 뒤 7자리 {BACK_MASK}입니다",
        ),
        ("앞자리 8 0 0 1 0 1 뒷자리 2 2 3 4 5 6 7", f"앞자리 {FRONT_MASK} 뒷자리 {BACK_MASK}"),
        ("뒷자리는 2234567이고 앞자리는 800101", f"뒷자리는 {BACK_MASK}이고 앞자리는 {FRONT_MASK}"),
    ],
)
def test_numbers_split_by_words_are_masked_half_by_half(text: str, expected: str) -> None:
    assert mask_rrn(text) == (expected, True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("주민번호 앞자리 800101", f"주민번호 앞자리 {FRONT_MASK}"),
        ("주민등록번호는 800101이에요", f"주민등록번호는 {FRONT_MASK}이에요"),
        ("주민 번호 앞자리: ８００１０１", f"주민 번호 앞자리: {FRONT_MASK}"),
        ("앞번호 991231입니다", f"앞번호 {FRONT_MASK}입니다"),
        ("뒷자리는 2234567이요", f"뒷자리는 {BACK_MASK}이요"),
        ("뒷번호 9234567", f"뒷번호 {BACK_MASK}"),
        ("뒤 7자리는 ２２３４５６７요", f"뒤 7자리는 {BACK_MASK}요"),
        ("주민번호 800101-223456", f"주민번호 {FRONT_MASK}-223456"),  # a short back: front alone
    ],
)
def test_a_labelled_half_alone_is_masked(text: str, expected: str) -> None:
    assert mask_rrn(text) == (expected, True)


@pytest.mark.parametrize(
    "text",
    [
        "월 800,000원 받아요",
        "80만원",
        "1200000원",
        "500000원",
        "800000",
        "800101",  # a bare date is not a number to hide
        "생일은 800101이에요",
        "010-1234-5678",
        "010 1234 5678 12시에 전화 주세요",
        "01012345678",
        "02-123-4567",
        "1950년생",
        "2026-12-04",
        "2026.12.04",
        "20261204",
        "R-7K3Q-9ZPA",
        "주민번호 없이 500000원 받을 수 있나요",
        "뒷자리는 몰라요",
        "3일 뒤 1200000원 들어와요",
        "110-123-456789 계좌",
        "ㅋㅋ ㅡㅡ ＡＢＣ",
    ],
)
def test_ordinary_numbers_survive(text: str) -> None:
    assert mask_rrn(text) == (text, False)


def test_the_rest_of_the_text_is_kept_exactly() -> None:
    text = "ㅋㅋ ＡＢＣ님  주민번호\u3000800101ㅡ2234567 맞죠?ㅎㅎ"
    assert mask_rrn(text) == ("ㅋㅋ ＡＢＣ님  주민번호\u3000" + MASK + " 맞죠?ㅎㅎ", True)


def test_masking_twice_finds_nothing_new() -> None:
    masked, _ = mask_rrn("앞자리 800101 뒷자리 2234567, 엄마 400101-2123456")
    assert mask_rrn(masked) == (masked, False)


# --- properties ----------------------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
TO_ASCII = str.maketrans("０１２３４５６７８９", "0123456789")
DASH_LIKES = ["-", "ㅡ", "–", "—", "―", "－", "‐", "~", "_", "."]
# Syllables that begin a label are left out, so filler text never labels a number itself.
LABEL_STARTS = "주앞뒤뒷나생"
PARTICLES = ["이에요", "입니다", "요", "은", "는", "이고", "예요"]

syllables = st.text(
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3).filter(
        lambda ch: ch not in LABEL_STARTS
    ),
    min_size=1,
    max_size=4,
)
filler = st.lists(
    st.one_of(
        syllables,
        st.sampled_from(PARTICLES),
        st.sampled_from(["ㅋㅋ", "ㅎㅎ", "ㅠㅠ", "ㅡㅡ", " ", "  ", ".", ",", "!", "?", "~", "😊"]),
    ),
    max_size=6,
).map("".join)


@st.composite
def digits(draw: st.DrawFn, plain: str) -> str:
    """The digits, each maybe full-width, maybe all one space apart."""
    chars = [ch.translate(FULL_WIDTH) if draw(st.booleans()) else ch for ch in plain]
    return (" " if draw(st.booleans()) else "").join(chars)


births = st.dates(date(1900, 1, 1), date(2099, 12, 31)).map(lambda d: d.strftime("%y%m%d"))
six = st.text("0123456789", min_size=6, max_size=6)
backs = st.builds(lambda first, rest: first + rest, st.sampled_from("12345678"), six)
labelled_backs = st.builds(lambda first, rest: first + rest, st.sampled_from("0123456789"), six)
spaces = st.text(" \u3000", max_size=3)
separators = st.one_of(
    spaces,
    st.builds(lambda a, dash, b: a + dash + b, spaces, st.sampled_from(DASH_LIKES), spaces),
)


def assert_no_digits_left(masked: str, front: str, back: str) -> None:
    plain = masked.translate(TO_ASCII)
    assert re.search(r"\d", plain) is None, masked
    assert front not in plain and back not in plain


@settings(max_examples=300, deadline=None)
@given(
    prefix=filler,
    suffix=filler,
    front=births,
    back=backs,
    separator=separators,
    data=st.data(),
)
def test_any_typed_rrn_is_masked(
    prefix: str, suffix: str, front: str, back: str, separator: str, data: st.DataObject
) -> None:
    number = data.draw(digits(front)) + separator + data.draw(digits(back))
    masked, found = mask_rrn(prefix + number + suffix)
    assert found
    assert masked == prefix + MASK + suffix
    assert_no_digits_left(masked, front, back)


TEMPLATES = [
    ("앞자리 {f} 뒷자리 {b}", True),
    ("주민번호 앞자리는 {f}이고 뒷자리는 {b}이에요", True),
    ("생년월일 {f} 뒤 {b}", True),
    ("주민번호 앞자리 {f}", False),
    ("주민등록번호는 {f}입니다", False),
    ("뒷자리는 {b}이요", False),
]


@settings(max_examples=300, deadline=None)
@given(
    prefix=filler,
    suffix=filler,
    front=births,
    back=labelled_backs,
    template=st.sampled_from(TEMPLATES),
    data=st.data(),
)
def test_any_labelled_or_split_rrn_is_masked_half_by_half(
    prefix: str,
    suffix: str,
    front: str,
    back: str,
    template: tuple[str, bool],
    data: st.DataObject,
) -> None:
    pattern, _ = template
    text = pattern.format(f=data.draw(digits(front)), b=data.draw(digits(back)))
    masked, found = mask_rrn(prefix + " " + text + " " + suffix)
    assert found
    assert masked == prefix + " " + pattern.format(f=FRONT_MASK, b=BACK_MASK) + " " + suffix
    assert_no_digits_left(masked, front, back)
    assert mask_rrn(masked) == (masked, False)


def _phone(d: list[str]) -> str:
    return f"010-{''.join(d[:4])}-{''.join(d[4:8])}"


amounts = st.integers(1, 9_999_999_999)
ordinary_numbers = st.one_of(
    amounts.map(lambda n: f"월 {n:,}원"),
    amounts.map(lambda n: f"{n}원"),
    st.integers(1, 9999).map(lambda n: f"{n}만원"),
    st.lists(st.sampled_from("0123456789"), min_size=8, max_size=8).map(_phone),
    st.lists(st.sampled_from("0123456789"), min_size=8, max_size=8).map(
        lambda d: f"010 {''.join(d[:4])} {''.join(d[4:])}"
    ),
    st.integers(0, 99_999_999).map(lambda n: f"010{n:08d}"),
    st.integers(1_000_000, 9_999_999).map(lambda n: f"02-{n // 10000}-{n % 10000:04d}"),
    st.integers(1920, 2025).map(lambda y: f"{y}년생"),
    st.integers(0, 120).map(lambda a: f"{a}세"),
    st.dates(date(1900, 1, 1), date(2099, 12, 31)).map(lambda d: d.isoformat()),
    st.dates(date(1900, 1, 1), date(2099, 12, 31)).map(lambda d: d.strftime("%Y.%m.%d")),
    st.text("ABCDEFGHJKMNPQRSTUVWXYZ23456789", min_size=8, max_size=8).map(
        lambda s: f"R-{s[:4]}-{s[4:]}"
    ),
)


@st.composite
def widths(draw: st.DrawFn, text: str) -> str:
    return "".join(ch.translate(FULL_WIDTH) if draw(st.booleans()) else ch for ch in text)


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(st.tuples(filler, ordinary_numbers), min_size=1, max_size=4),
    suffix=filler,
    data=st.data(),
)
def test_ordinary_numbers_in_korean_text_are_left_alone(
    parts: list[tuple[str, str]], suffix: str, data: st.DataObject
) -> None:
    text = "".join(words + " " + data.draw(widths(number)) + " " for words, number in parts)
    text += suffix
    assert mask_rrn(text) == (text, False)
