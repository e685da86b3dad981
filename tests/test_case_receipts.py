"""Receipt numbers: unguessable, not sequential, forgiving to read back."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from cases.receipts import ALPHABET, new_receipt, parse_receipt

SHAPE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")


def test_receipts_are_twelve_unambiguous_symbols_in_three_groups() -> None:
    receipts = [new_receipt() for _ in range(2000)]
    assert all(SHAPE.fullmatch(receipt) for receipt in receipts)
    assert not any(set(receipt) & set("ILOU") for receipt in receipts)
    assert len(set(receipts)) == len(receipts)


def test_receipts_are_not_sequential_and_use_the_whole_alphabet() -> None:
    receipts = [new_receipt().replace("-", "") for _ in range(2000)]
    assert receipts != sorted(receipts)
    # Every position takes every symbol: nothing is fixed, counted or derived.
    for position in range(12):
        assert {receipt[position] for receipt in receipts} == set(ALPHABET)


def test_reading_back_is_forgiving() -> None:
    assert parse_receipt("r7kq-m2xd-9htc") == "R7KQ-M2XD-9HTC"
    assert parse_receipt(" R7KQ M2XD 9HTC ") == "R7KQ-M2XD-9HTC"
    assert parse_receipt("R7KQM2XD9HTC") == "R7KQ-M2XD-9HTC"
    assert parse_receipt("R7KQ–M2XD—9HTC") == "R7KQ-M2XD-9HTC"
    assert parse_receipt("R7KQ-M2XD-9HTO") == "R7KQ-M2XD-9HT0"  # O is read as 0
    assert parse_receipt("I1L1-0000-0000") == "1111-0000-0000"


def test_what_is_no_receipt_reads_as_none() -> None:
    for text in ("", "R7KQ-M2XD", "R7KQ-M2XD-9HTC-1", "R7KQ-M2XD-9HTU", "접수번호", "12345"):
        assert parse_receipt(text) is None


@given(st.text(max_size=20))
def test_parsing_never_fails_and_only_gives_the_shape(text: str) -> None:
    parsed = parse_receipt(text)
    assert parsed is None or SHAPE.fullmatch(parsed)


@given(st.just(None).map(lambda _: new_receipt()))
def test_a_receipt_reads_back_as_itself(receipt: str) -> None:
    assert parse_receipt(receipt) == receipt
    assert parse_receipt(receipt.lower().replace("-", " ")) == receipt
