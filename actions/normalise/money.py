"""Amounts of money in won, as people say them: '월 80만원', '백이십만 원', '연 2400만원'.

The profile stores monthly income, so yearly amounts are converted (divided by 12,
rounded to the nearest won); ``MoneyAmount`` keeps what was said beside the result.
Words of approximation (정도, 조금 넘어요) keep the number and set ``approximate``.
A bare number with neither 원 nor 만/억 ('80') is ambiguous (80원? 80만 원?) and
gives ``None``, so the conversation can ask again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from actions.normalise.numbers import NumberSpan, find_numbers

Period = Literal["month", "year"]

MAX_MONTHLY_WON = 1_000_000_000
"""Monthly amounts above this (10억 원) are taken for misreadings, not incomes."""

_NUMERAL_AHEAD = r"(?=\s*[0-9일이삼사오육칠팔구십백천만억])"
_YEAR_MARKER = (
    r"연봉|연간|연소득|연수입|매년|해마다|일년에"
    rf"|(?<![가-힣])연{_NUMERAL_AHEAD}"
    r"|(?<![가-힣])(?:1|일|한)\s*년\s*(?:에|간|동안)"
)
_MONTH_MARKER = (
    r"월급|월소득|월수입|매달|매월|달마다|다달이"
    rf"|(?<![가-힣])월{_NUMERAL_AHEAD}"
    r"|(?<![가-힣])(?:1|일|한)\s*달"
)
_PERIOD_MARKERS = re.compile(rf"(?P<year>{_YEAR_MARKER})|(?P<month>{_MONTH_MARKER})")
_WON_AFTER = re.compile(r"\s*원")
_OTHER_UNIT_AFTER = re.compile(
    r"\s*(?:명|세|살|년|인|개|평|대|번|층|호|시|분|일|주|달|가구|식구|%)"
)
_NO_INCOME = re.compile(
    r"(?:소득|수입|벌이|월급|급여|버는\s*(?:돈|것|거))\s*(?:이|은|는|도|가)?\s*"
    r"(?:전혀|하나도|아예|한\s*푼도|일절)?\s*없(?!지\s*않|진\s*않)"
    r"|무소득|무수입|한\s*푼도\s*(?:없|못\s*벌)"
    r"|^\s*(?:없어요|없습니다|없음|없어|없다|없네요)\s*[.!~]*\s*$"
)
_APPROXIMATE = re.compile(
    r"정도|쯤|(?<![가-힣])약|대략|거의|조금|좀|넘|남짓|가량|안팎|내외|이상|이하|미만|초과|가까이"
    r"|(?<![가-힣])한\s+(?=[0-9])"
)


@dataclass(frozen=True)
class MoneyAmount:
    """An amount of money: ``monthly`` won per month, from ``stated`` won per ``period``."""

    monthly: int
    stated: int
    period: Period
    approximate: bool = False


def parse_money(text: str) -> MoneyAmount | None:
    """The first amount of money in ``text``; 0 when it says there is no income."""
    span = _first_amount(text)
    if span is None:
        return MoneyAmount(0, 0, "month") if _NO_INCOME.search(text) else None
    if span.value < 0:
        return None
    period = _period_for(text, span.start)
    monthly = span.value if period == "month" else round(span.value / 12)
    if monthly > MAX_MONTHLY_WON:
        return None
    return MoneyAmount(monthly, span.value, period, bool(_APPROXIMATE.search(text)))


def parse_monthly_won(text: str) -> int | None:
    """Monthly won in ``text`` (yearly amounts divided by 12), or None."""
    amount = parse_money(text)
    return None if amount is None else amount.monthly


def _first_amount(text: str) -> NumberSpan | None:
    for span in find_numbers(text):
        if _WON_AFTER.match(text, span.end):
            return span
        large_enough = abs(span.value) >= 10_000 or span.value == 0
        if large_enough and not span.weak and not _OTHER_UNIT_AFTER.match(text, span.end):
            return span
    return None


def _period_for(text: str, amount_start: int) -> Period:
    """The period named closest before the amount, else the first one after, else month."""
    markers = list(_PERIOD_MARKERS.finditer(text))
    before = [m for m in markers if m.start() < amount_start]
    chosen = before[-1] if before else (markers[0] if markers else None)
    return "year" if chosen is not None and chosen.group("year") else "month"
