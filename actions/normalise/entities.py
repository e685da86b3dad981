"""An entity's normalised value, as Duckling would give it: '스물일곱' → 27, '월 80만원' →
800000, '혼자' → 1, '강서구 화곡동' → '서울특별시 강서구'. None when the text does not read
as a value of its kind."""

from __future__ import annotations

from datetime import date

from actions.normalise.age import parse_age
from actions.normalise.household import parse_household
from actions.normalise.money import parse_monthly_won
from actions.normalise.numbers import parse_number
from actions.normalise.program import ProgramMatcher
from actions.normalise.relation import normalise_relation
from core.areas import find_region

JsonValue = int | str | None


def normalised_value(
    entity: str, text: str, today: date, matcher: ProgramMatcher | None = None
) -> JsonValue:
    """The value of an entity of kind ``entity`` said as ``text``."""
    if entity == "age":
        return parse_age(text, today)
    if entity == "money":
        return parse_monthly_won(text)
    if entity == "household_size":
        reading = parse_household(text)
        return reading.size if reading is not None else parse_number(text)
    if entity == "region":
        found = find_region(text)
        return found.normalised if found is not None else None
    if entity == "relation":
        return normalise_relation(text)
    if entity == "program" and matcher is not None:
        ids = matcher.find(text)
        return ids[0] if ids else None
    if entity == "receipt":
        return text.strip().upper()
    return None
