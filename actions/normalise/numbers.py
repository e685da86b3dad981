"""Korean numbers inside free text.

Handles Sino-Korean numerals (백이십만, 삼천오백, 만오천), native Korean numerals
(일흔셋, 스물다섯, 두, 세), Arabic digits with thousands separators (1,200,000) and
mixed forms (1억 2천만, 2백만, 3.5만), tolerating spaces between the parts.

A single numeral syllable such as 이, 일, 삼 or 세 is also an ordinary word or part of
one (이번, 일하고, 삼촌, 세상). Such spans are reported as *weak*; they are dropped
when glued to a preceding syllable or digit, and callers must only accept them next
to a unit they expect (원, 세, 명 …). A span that opens with a bare 만 or 억 glued to a
preceding syllable is part of a word too (기억이, 추억이, 그만이) and is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

NumberSystem = Literal["arabic", "sino", "native"]
_TokenKind = Literal["digit", "arabic", "small", "large", "tens", "unit"]

_SINO_DIGITS = {
    "일": 1,
    "이": 2,
    "삼": 3,
    "사": 4,
    "오": 5,
    "육": 6,
    "륙": 6,
    "칠": 7,
    "팔": 8,
    "구": 9,
}
_SMALL_MAGNITUDES = {"십": 10, "백": 100, "천": 1000}
_LARGE_MAGNITUDES = {"만": 10**4, "억": 10**8}
_NATIVE_TENS = {
    "열": 10,
    "스물": 20,
    "스무": 20,
    "서른": 30,
    "마흔": 40,
    "쉰": 50,
    "예순": 60,
    "일흔": 70,
    "여든": 80,
    "아흔": 90,
}
_NATIVE_UNITS = {
    "하나": 1,
    "한": 1,
    "둘": 2,
    "두": 2,
    "셋": 3,
    "세": 3,
    "석": 3,
    "넷": 4,
    "네": 4,
    "다섯": 5,
    "여섯": 6,
    "일곱": 7,
    "여덟": 8,
    "아홉": 9,
}
_LEXICON: dict[str, tuple[_TokenKind, int]] = {
    **{word: ("digit", value) for word, value in _SINO_DIGITS.items()},
    **{word: ("small", value) for word, value in _SMALL_MAGNITUDES.items()},
    **{word: ("large", value) for word, value in _LARGE_MAGNITUDES.items()},
    **{word: ("tens", value) for word, value in _NATIVE_TENS.items()},
    **{word: ("unit", value) for word, value in _NATIVE_UNITS.items()},
}
_LONGEST_WORD = max(len(word) for word in _LEXICON)

# 1,200,000 / 1 200 000 / 120 / 3.5
_ARABIC = re.compile(r"[0-9]{1,3}(?:[, ][0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
# What follows the particle 이 (이에요, 이요, 이었어요, 이라고, 이고, 이나, 이 넘어요 …)
# but not a unit the digit 2 would take (이세, 이 살, 이명, 이원 …).
_PARTICLE_FOLLOWS = re.compile(
    r"(?:에요|요|었|였|여|라|고|나|니|면|지|네|야|다|랑|든|가|는|도|잖)"
    r"|\s+(?!(?:세|살|명|원|인|개|년|달|주|시|분|층|번|호)(?![가-힣]))(?=[가-힣])"
)
_NEGATIVE_PREFIX = re.compile(r"(?:(?<![0-9가-힣])[-−]|마이너스\s*)$")


@dataclass(frozen=True)
class _Token:
    kind: _TokenKind
    value: Fraction
    start: int
    end: int


@dataclass(frozen=True)
class NumberSpan:
    """A number found in a text: ``text[start:end]`` reads as ``value``."""

    value: int
    start: int
    end: int
    system: NumberSystem
    weak: bool
    """One numeral syllable and no digits: only trust it next to an expected unit."""


def is_hangul(char: str) -> bool:
    return "가" <= char <= "힣"


def parse_number(text: str) -> int | None:
    """The value of a text that is a number and nothing else ('백이십만' → 1200000)."""
    stripped = text.strip()
    spans = find_numbers(stripped)
    if len(spans) == 1 and spans[0].start == 0 and spans[0].end == len(stripped):
        return spans[0].value
    return None


def find_numbers(text: str) -> list[NumberSpan]:
    """Every number in ``text``, left to right, each read as long as it stays valid."""
    spans: list[NumberSpan] = []
    position = 0
    while position < len(text):
        span = _span_at(text, position)
        if span is None:
            digits = _ARABIC.match(text, position)
            position = digits.end() if digits else position + 1
            continue
        part_of_word = span.weak or text[span.start] in _LARGE_MAGNITUDES
        if not (part_of_word and _glued_to_word(text, span.start)):
            spans.append(_with_sign(text, span))
        position = span.end
    return spans


def _glued_to_word(text: str, position: int) -> bool:
    """Whether ``position`` continues a word ('삼촌' in '외삼촌', '세' in '65세')."""
    return position > 0 and (is_hangul(text[position - 1]) or text[position - 1].isdigit())


def _span_at(text: str, position: int) -> NumberSpan | None:
    tokens = _tokens_from(text, position)
    if _ends_in_particle(text, tokens):
        tokens = tokens[:-1]
    for length in range(len(tokens), 0, -1):
        value = _evaluate(tokens[:length])
        if value is not None and value.denominator == 1:
            return _make_span(tokens[:length], int(value))
    return None


def _ends_in_particle(text: str, tokens: list[_Token]) -> bool:
    """Whether a final 이 is the particle or copula after a magnitude, not the digit 2.

    Every magnitude ends in a consonant, so 80만이에요, 천만이 넘어요 and 육십이라고 take
    the particle 이; 육십이세 and 육십이 살 keep the digit before their unit. 이요 is both
    '60이요' and '62요' after 십/백/천, so there the digit stays; after 만/억 it is the
    particle (80만이요).
    """
    if len(tokens) < 2:
        return False
    previous, last = tokens[-2], tokens[-1]
    if not (
        text[last.start : last.end] == "이"
        and previous.kind in ("small", "large")
        and previous.end == last.start
    ):
        return False
    follows = _PARTICLE_FOLLOWS.match(text, last.end)
    return follows is not None and (previous.kind == "large" or follows.group() != "요")


def _make_span(tokens: list[_Token], value: int) -> NumberSpan:
    kinds = {token.kind for token in tokens}
    system: NumberSystem = (
        "arabic" if "arabic" in kinds else "native" if kinds & {"tens", "unit"} else "sino"
    )
    syllables = sum(token.end - token.start for token in tokens)
    return NumberSpan(
        value=value,
        start=tokens[0].start,
        end=tokens[-1].end,
        system=system,
        weak=system != "arabic" and syllables < 2,
    )


def _with_sign(text: str, span: NumberSpan) -> NumberSpan:
    sign = _NEGATIVE_PREFIX.search(text, 0, span.start)
    if sign is None:
        return span
    return NumberSpan(-span.value, sign.start(), span.end, span.system, span.weak)


def _tokens_from(text: str, position: int) -> list[_Token]:
    """Consecutive numeral tokens from ``position``, allowing spaces between them."""
    tokens: list[_Token] = []
    cursor = position
    while (token := _token_at(text, cursor)) is not None:
        if tokens and not _joins(tokens, text[tokens[-1].end : token.start], token):
            break
        tokens.append(token)
        cursor = token.end
        while cursor < len(text) and text[cursor] in " \t":
            cursor += 1
    return tokens


def _joins(tokens: list[_Token], gap: str, following: _Token) -> bool:
    """A bare leading 만/억 only joins what is glued to it: '만오천' but not '만 65세'."""
    bare_large = len(tokens) == 1 and tokens[0].kind == "large"
    return not (bare_large and (gap or following.kind == "arabic"))


def _token_at(text: str, position: int) -> _Token | None:
    match = _ARABIC.match(text, position)
    if match:
        digits = match.group().replace(",", "").replace(" ", "")
        return _Token("arabic", Fraction(digits), position, match.end())
    for length in range(_LONGEST_WORD, 0, -1):
        word = text[position : position + length]
        if len(word) == length and word in _LEXICON:
            kind, value = _LEXICON[word]
            return _Token(kind, Fraction(value), position, position + length)
    return None


def _evaluate(tokens: list[_Token]) -> Fraction | None:
    kinds = {token.kind for token in tokens}
    if kinds & {"tens", "unit"}:
        if kinds <= {"tens", "unit"}:
            return _evaluate_native(tokens)
        return _evaluate_mixed(tokens)
    return _evaluate_sino(tokens)


def _evaluate_mixed(tokens: list[_Token]) -> Fraction | None:
    """칠십셋, 팔십둘: Sino-Korean tens with a native unit, as people say ages."""
    *tens, unit = tokens
    if unit.kind != "unit" or not tens or tens[-1].kind != "small" or tens[-1].value != 10:
        return None
    value = _evaluate_sino(tens)
    if value is None or value % 10 or unit.value >= 10:
        return None
    return value + unit.value


def _evaluate_native(tokens: list[_Token]) -> Fraction | None:
    """일흔 / 셋 / 일흔셋: an optional tens word then an optional unit word."""
    if len(tokens) == 1:
        return tokens[0].value
    if len(tokens) != 2:
        return None  # 여든하나세: a third word is no part of the number
    tens, unit = tokens
    if tens.kind == "tens" and unit.kind == "unit":
        return tens.value + unit.value
    return None


def _evaluate_sino(tokens: list[_Token]) -> Fraction | None:
    """Sino-Korean and Arabic parts: groups below 만 (천/백/십 descending) times 억/만."""
    total = Fraction(0)
    group = Fraction(0)
    pending: Fraction | None = None
    last_small: Fraction | None = None
    last_large: Fraction | None = None
    for token in tokens:
        if token.kind in ("digit", "arabic"):
            if pending is not None:
                return None
            pending = token.value
        elif token.kind == "small":
            if last_small is not None and token.value >= last_small:
                return None
            group += (Fraction(1) if pending is None else pending) * token.value
            pending, last_small = None, token.value
        else:
            if last_large is not None and token.value >= last_large:
                return None
            part = group + (pending or 0)
            total += (part if part or pending is not None else Fraction(1)) * token.value
            group, pending, last_small, last_large = Fraction(0), None, None, token.value
    return total + group + (pending or 0)
