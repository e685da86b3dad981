"""Amounts of money in won, as people say them: '월 80만원', '백이십만 원', '연 2400만원'.

The profile stores monthly income, so yearly and weekly amounts are converted (a year
is 12 months, a week 12/52 of a month; rounded to the nearest won); ``MoneyAmount``
keeps what was said beside the result. Words of approximation (정도, 조금 넘어요) keep
the number and set ``approximate``. A bare income with neither 원 nor 만/억 ('80') is
ambiguous (80원? 80만 원?) and gives ``None``, so the conversation can ask again.

Sums held (a home's value, savings, debts: ``parse_lump_sum``) are said in 만 units:
'3억 5천' is 3억 5천만, '5천 정도' is 5천만, '오백' is 500만.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from actions.normalise.numbers import NumberSpan, find_numbers

Period = Literal["month", "year", "week", "day"]
WEEKS_PER_MONTH = 52 / 12

MAX_MONTHLY_WON = 1_000_000_000
"""Monthly amounts above this (10억 원) are taken for misreadings, not incomes."""

_NUMERAL_AHEAD = r"(?=\s*[0-9일이삼사오육칠팔구십백천만억])"
_YEAR_MARKER = (
    r"연봉|연간|연소득|연수입|매년|해마다|일년에"
    rf"|(?<![가-힣])연{_NUMERAL_AHEAD}"
    r"|(?<![가-힣])(?:1|일|한)\s*년\s*(?:에|간|동안)"
)
_WEEK_MARKER = (
    r"주급|매주|주마다|주당|(?<![가-힣])(?:1|일|한)\s*주(?:일)?\s*(?:에|간|동안)|일주일에"
)
_MONTH_MARKER = (
    r"월급|월소득|월수입|매달|매월|달마다|다달이"
    rf"|(?<![가-힣])월{_NUMERAL_AHEAD}"
    r"|(?<![가-힣])(?:1|일|한)\s*달"
)
# A day's pay says little about a month's (how many days?): such an amount is asked again.
_DAY_MARKER = r"일당|하루에|하루\s*(?:벌|받)|(?<![가-힣])(?:1|일|한)\s*일에"
_PERIOD_MARKERS = re.compile(
    rf"(?P<year>{_YEAR_MARKER})|(?P<week>{_WEEK_MARKER})|(?P<day>{_DAY_MARKER})"
    rf"|(?P<month>{_MONTH_MARKER})"
)
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


_MONTHS_OF: dict[Period, float] = {"month": 1, "year": 1 / 12, "week": WEEKS_PER_MONTH}
_NOTHING_HELD = re.compile(r"(?:^|[^가-힣])(?:없|하나도\s*없|전혀\s*없)|^\s*(?:0|영)\s*(?:원)?\s*$")
_MAN = 10_000
_EOK = 100_000_000
LUMP_SUM_IN_MAN_BELOW = 100_000
"""A sum held without 원 or 만 and below this is said in 만 ('5천' is 5천만 원)."""


def parse_lump_sum(text: str) -> int | None:
    """A sum held (a home, savings, a car, debts) in won, as people say it; 0 for none."""
    for span in find_numbers(text):
        if span.value < 0 or _OTHER_UNIT_AFTER.match(text, span.end) or _paid_per(text, span):
            continue
        said = text[span.start : span.end]
        if "억" in said and "만" not in said.rsplit("억", 1)[1]:
            eok, rest = divmod(span.value, _EOK)
            return eok * _EOK + rest * _MAN  # '3억 5천': the part after 억 is in 만
        if "만" in said or "억" in said or _WON_AFTER.match(text, span.end):
            return span.value
        return span.value * _MAN if span.value < LUMP_SUM_IN_MAN_BELOW else span.value
    return 0 if _NOTHING_HELD.search(text) else None


def _paid_per(text: str, span: NumberSpan) -> bool:
    """Whether a period stands right before the amount ('월 30만'): rent or pay, not a sum
    held."""
    return any(
        marker.end() <= span.start and not text[marker.end() : span.start].strip()
        for marker in _PERIOD_MARKERS.finditer(text)
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
    if period == "day":
        return None
    monthly = round(span.value * _MONTHS_OF[period])
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
    if chosen is None:
        return "month"
    named: tuple[Period, ...] = ("year", "week", "day")
    return next((period for period in named if chosen.group(period)), "month")
