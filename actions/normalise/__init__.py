"""Normalisers for entity values: Korean free text → canonical citizen-profile values.

Duckling is not available to the Rasa stack, so numbers, money, ages, household
sizes, regions, relations and program names are parsed here. Everything is a pure
function of the text, except ``ProgramMatcher``, which is built from the catalog.
"""

from actions.normalise.age import AgeReading, parse_age, read_age
from actions.normalise.household import HouseholdReading, parse_household, parse_household_size
from actions.normalise.money import MoneyAmount, parse_lump_sum, parse_money, parse_monthly_won
from actions.normalise.numbers import NumberSpan, find_numbers, parse_number
from actions.normalise.program import ProgramMatcher
from actions.normalise.relation import Relation, describes_self, is_about_self, normalise_relation
from core.areas import RegionReading, find_region

__all__ = [
    "AgeReading",
    "HouseholdReading",
    "MoneyAmount",
    "NumberSpan",
    "ProgramMatcher",
    "RegionReading",
    "Relation",
    "describes_self",
    "find_numbers",
    "find_region",
    "is_about_self",
    "normalise_relation",
    "parse_age",
    "parse_household",
    "parse_household_size",
    "parse_lump_sum",
    "parse_money",
    "parse_monthly_won",
    "parse_number",
    "read_age",
]
