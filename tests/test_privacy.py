"""주민등록번호 masking."""

from __future__ import annotations

import pytest

from core.privacy import MASK, mask_rrn


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
