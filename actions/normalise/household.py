"""Household size from answers: '혼자 살아요', '셋이서', '4인 가구', '네 식구', '저까지 다섯 명'.

A count of people only counts as the household when the words around it say so
(인 가구, 식구, N이서, 저까지 N명 …); '자녀 둘' or '아들 2명' are not the household.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actions.normalise.numbers import NumberSpan, find_numbers
from core.korean import CONNECTIVE, COPULA

MAX_HOUSEHOLD = 20
"""The profile's upper bound on household size."""

_PEOPLE_AFTER = re.compile(
    r"\s*인\s*(?:가구|가족|세대)"
    rf"|\s*인(?=$|[^가-힣]|{COPULA}|{CONNECTIVE})"
    r"|\s*식구"
)
# 둘이서 / 셋이 살아요 / 부부 둘이: a native count glued to 이(서).
_TOGETHER_AFTER = re.compile(r"이서|이(?=$|[^가-힣]|에요|예요|요|살|사|만|서|같이|함께)")
_PERSONS_AFTER = re.compile(r"\s*명")
# What makes 'N명' the whole household: who is counted, or that they live together.
_COUNTED_BEFORE = re.compile(
    r"(?:(?:저|제|나|본인)\s*(?:까지|포함(?:해서|하면)?|하고|랑)|모두|다\s*해서|전부|합쳐서|총"
    r"|(?:식구|가족|가구원|가구원\s*수|인원)\s*(?:은|는|이|가|수는|수가)?(?:\s*(?:모두|다|전부|총))?)"
    r"\s*$"
)
_TOGETHER_AFTER_PERSONS = re.compile(
    r"\s*명\s*(?:이서|이\s*(?:살|같이|함께)|(?:이|이서)?\s*(?:같이|함께)?\s*살|가족|식구)"
)
# 'N명(이에요)' as the whole answer, perhaps after a '네,'.
_ANSWER_LEAD = re.compile(r"(?:(?:네|예|응|음)[\s,.!~]*)?")
_WHOLE_ANSWER_PERSONS = re.compile(rf"\s*명\s*(?:{COPULA})?\s*[.!~]*\s*$")
_HOUSEHOLD_WORD_BEFORE = re.compile(
    r"(?:식구|가족|가구원|가구원\s*수|인원)\s*(?:은|는|이|가|수는|수가)?\s*$"
)
_ANSWER_AFTER = re.compile(rf"\s*(?=$|[^가-힣]|{COPULA}|{CONNECTIVE})")
_NOT_ALONE = re.compile(r"혼자\s*(?:는\s*)?(?:아니|안\s*살|살지\s*않)|(?:같이|함께)\s*살")
_ALONE = re.compile(
    r"(?<![가-힣])(?:혼자|홀로)(?:서)?"
    rf"(?=\s*(?:살|사[는세시아요니]|지내|있|거주|생활|{COPULA}|에요|$|[^가-힣\s]))"
    r"|독거|독신\s*가구"
)
_COUPLE_ONLY = re.compile(r"부부\s*(?:만|끼리|가구|단둘)")


@dataclass(frozen=True)
class HouseholdReading:
    """Household facts for the profile; None means the text did not say."""

    size: int | None
    lives_alone: bool | None


def parse_household(text: str) -> HouseholdReading | None:
    """The household size and whether the person lives alone, when the text says."""
    cleaned = text.replace("단둘", " 둘")
    size = _stated_size(cleaned)
    if size is not None:
        return _of_size(size) if 1 <= size <= MAX_HOUSEHOLD else None
    if _NOT_ALONE.search(cleaned):
        return HouseholdReading(None, False)
    if _ALONE.search(cleaned):
        return _of_size(1)
    if _COUPLE_ONLY.search(cleaned):
        return _of_size(2)
    return None


def parse_household_size(text: str) -> int | None:
    reading = parse_household(text)
    return None if reading is None else reading.size


def _of_size(size: int) -> HouseholdReading:
    return HouseholdReading(size, size == 1)


def _stated_size(text: str) -> int | None:
    for span in find_numbers(text):
        if _counts_household(text, span):
            return span.value
    return None


def _counts_household(text: str, span: NumberSpan) -> bool:
    before, end = text[: span.start], span.end
    if _PEOPLE_AFTER.match(text, end):
        return True
    if span.system == "native" and _TOGETHER_AFTER.match(text, end):
        return True
    if _PERSONS_AFTER.match(text, end):
        return bool(
            _COUNTED_BEFORE.search(before)
            or _TOGETHER_AFTER_PERSONS.match(text, end)
            or (_ANSWER_LEAD.fullmatch(before.strip()) and _WHOLE_ANSWER_PERSONS.match(text, end))
        )
    return bool(_HOUSEHOLD_WORD_BEFORE.search(before) and _ANSWER_AFTER.match(text, end))
