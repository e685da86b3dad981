"""Ages as people state them: '73세', '만 65세', '일흔셋', '올해 예순다섯', '52년생', '70대'.

``read_age`` says how the age was given:

* ``stated`` — a number of years (with or without 세/살): exact.
* ``birth_year`` — '1952년생', '52년생': ``years`` is the 만 나이 reached on this
  year's birthday (``today.year − birth year``). Before that birthday the person is a
  year younger, so ``low`` is one less (except on 31 December, when every birthday of
  the year has passed).
* ``decade`` — '70대': ``years`` is the lower bound (70), ``high`` the upper (79).

``parse_age`` gives the int for the profile: stated ages and birth-year ages (at most
one year high, and only before the birthday), never decades — ten years is too wide
to decide an age limit, so the conversation should ask again.

Two-digit birth years take the latest century that is not in the future ('05년생' is
2005, '52년생' is 1952).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from actions.normalise.numbers import NumberSpan, find_numbers
from core.korean import CONNECTIVE, COPULA

AgeBasis = Literal["stated", "birth_year", "decade"]

MAX_AGE = 130
"""The profile's upper bound; anything older is a misreading."""

# '만' before a number marks 만 나이 (full years), not 10,000.
_MAN_NAI = re.compile(r"(?<![가-힣0-9])만\s*(?=[0-9일이삼사오육칠팔구십백스서마쉰예여아열])")
_BIRTH_YEAR_AFTER = re.compile(r"\s*년\s*(?:도\s*)?(?:생|출생|에\s*(?:태어|출생))")
_AGE_UNIT_AFTER = re.compile(r"\s*살(?![아았])|\s*세(?![상대계금련트수])")
_DECADE_AFTER = re.compile(
    rf"\s*대(?=$|[^가-힣]|{COPULA}|고|{CONNECTIVE}|이|초|중|후|에|라|야|쯤|정도)"
)
# After a bare number: the end of a word, or a copula/particle, not another noun.
# ('일흔여덟 되셨어요': a verb of becoming that age).
_BARE_AFTER = re.compile(
    rf"(?=$|[^가-힣]|{COPULA}|이세요|이십니다|{CONNECTIVE}|이야|쯤|정도|\s*(?:되|돼|됐))"
)
# Single syllables typed one at a time ('일 흔 셋'): read again with the spaces gone.
_SPACED_SYLLABLES = re.compile(r"(?<![가-힣])[가-힣](?: [가-힣])+(?![가-힣])")


@dataclass(frozen=True)
class AgeReading:
    """An age in full years (만 나이) with the range it could really be."""

    years: int
    low: int
    high: int
    basis: AgeBasis

    @property
    def exact(self) -> bool:
        return self.low == self.high


def parse_age(text: str, today: date) -> int | None:
    """The age for the profile, or None (unknown, absurd, or only a decade)."""
    reading = read_age(text, today)
    if reading is None or reading.basis == "decade":
        return None
    return reading.years


def read_age(text: str, today: date) -> AgeReading | None:
    """How old the person in ``text`` is, as of ``today``."""
    reading = _read_age(text, today)
    if reading is None and _SPACED_SYLLABLES.search(text):
        joined = _SPACED_SYLLABLES.sub(lambda m: m.group().replace(" ", ""), text)
        reading = _read_age(joined, today)
    return reading


def _read_age(text: str, today: date) -> AgeReading | None:
    cleaned = _MAN_NAI.sub(" ", text)
    spans = find_numbers(cleaned)
    for after, reader in (
        (_BIRTH_YEAR_AFTER, _from_birth_year),
        (_AGE_UNIT_AFTER, _from_stated),
        (_DECADE_AFTER, _from_decade),
    ):
        marked = [
            span
            for span in spans
            if after.match(cleaned, span.end) and not _glued_to_verb(cleaned, span)
        ]
        if marked:
            return reader(marked[0], today)
    bare = [span for span in spans if not span.weak and _BARE_AFTER.match(cleaned, span.end)]
    readings = [_from_stated(span, today) for span in bare]
    return next((reading for reading in readings if reading is not None), None)


def _glued_to_verb(text: str, span: NumberSpan) -> bool:
    """One numeral syllable with 세 right after it is a word, not an age.

    '혼자 사세요' (lives), '오세요' (come), '구세군': reading 사세 as 4세 would turn a
    73-year-old into a child. '사 세', '4세' and '칠십사세' still read as ages.
    """
    return span.weak and text.startswith("세", span.end)


def _from_stated(span: NumberSpan, _today: date) -> AgeReading | None:
    if not 0 <= span.value <= MAX_AGE:
        return None
    return AgeReading(span.value, span.value, span.value, "stated")


def _from_decade(span: NumberSpan, _today: date) -> AgeReading | None:
    if span.value % 10 or not 10 <= span.value <= MAX_AGE - 10:
        return None
    return AgeReading(span.value, span.value, span.value + 9, "decade")


def _from_birth_year(span: NumberSpan, today: date) -> AgeReading | None:
    year = _full_year(span.value, today.year)
    if year is None or year > today.year or today.year - year > MAX_AGE:
        return None
    years = today.year - year
    all_birthdays_passed = (today.month, today.day) == (12, 31)
    low = years if all_birthdays_passed else max(years - 1, 0)
    return AgeReading(years, low, years, "birth_year")


def _full_year(value: int, this_year: int) -> int | None:
    if 1000 <= value <= 9999:
        return value
    if 0 <= value <= 99:
        century = this_year - this_year % 100
        return century + value if century + value <= this_year else century - 100 + value
    return None
