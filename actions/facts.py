"""The ``profile`` slot: the facts stated about the person, how new ones are merged.

The slot holds only what was *stated* (implied facts are derived again each time by
``CitizenProfile.parse``), so a correction never fights a fact ieum inferred itself.
New facts win over older ones they contradict; facts that contradict each other are
refused and the profile stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk.interfaces import Tracker

from actions.answers import AnswerContext, Facts, bare_count, read_answer
from actions.normalise import find_region, parse_age, parse_household, parse_money
from actions.turns import entity_values, is_payload, latest_text
from knowledge.profile import CitizenProfile, ProfileError

# Free text only counts as an age or income when it says so (an entity always counts).
_AGE_WORDS = re.compile(r"세|살|년생|나이|연세|연령")
_MONEY_WORDS = re.compile(r"원|소득|수입|월급|벌|연봉|급여")
# A sum held (a deposit, savings, a home's price, a debt) or paid (rent) is not income: a
# message about one gives no income in passing; the finder asks for income on its own.
_NOT_INCOME_WORDS = re.compile(
    r"전세|월세|집세|보증금|예금|적금|저축|통장|집값|집\s*값|재산|땅|상가|빚|대출|차\s*값|자동차"
)
# Other facts told in passing ("엄마 심한 장애 있으세요", "월세 살아요", "은퇴했어요"): read
# only when the message names the topic, with the reader of the field's own question.
_TOPIC_WORDS: dict[str, re.Pattern[str]] = {
    "disability": re.compile(r"장애"),
    "housing": re.compile(r"전세|월세|자가|내\s*집|셋집|사글세|임대"),
    "employment": re.compile(
        r"은퇴|퇴직|직장|회사\s*다니|실직|구직|자영업|장사|무직|일\s*(?:안|못)\s*해|일하고\s*있"
    ),
}
# Receiving a program now ("기초연금 받으세요"), not wishing to ("받고 싶어요", "받을 수").
_RECEIVING = re.compile(
    r"받(?:아요|으세요|으십니다|고\s*(?:있|계)|는데|습니다|음|아|는\s*중)(?!\s*(?:싶|수))"
)


@dataclass(frozen=True)
class ProfileUpdate:
    """The outcome of merging new facts into the stated ones."""

    stated: dict[str, Any]
    profile: CitizenProfile
    changed: dict[str, Any] = field(default_factory=dict)
    dropped: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


def stated_facts(tracker: Tracker) -> dict[str, Any]:
    """The facts in the profile slot; an unusable slot counts as empty."""
    value = tracker.get_slot("profile")
    if not isinstance(value, dict):
        return {}
    try:
        CitizenProfile.parse(value)
    except ProfileError:
        return {}
    return dict(value)


def current_profile(tracker: Tracker) -> CitizenProfile:
    return CitizenProfile.parse(stated_facts(tracker))


def apply_facts(stated: Mapping[str, Any], new: Facts) -> ProfileUpdate:
    """Merge ``new`` into ``stated``: newest wins, contradicting new facts are refused."""
    merged = {**stated, **new}
    try:
        profile = CitizenProfile.parse(merged)
    except ProfileError as error:
        for older in reversed([name for name in stated if name not in new]):
            candidate = {k: v for k, v in merged.items() if k != older}
            try:
                profile = CitizenProfile.parse(candidate)
            except ProfileError:
                continue
            return ProfileUpdate(candidate, profile, _changes(stated, new), (older,))
        return ProfileUpdate(
            dict(stated), CitizenProfile.parse(dict(stated)), problems=tuple(error.problems)
        )
    return ProfileUpdate(merged, profile, _changes(stated, new))


def _changes(stated: Mapping[str, Any], new: Facts) -> dict[str, Any]:
    return {name: value for name, value in new.items() if stated.get(name) != value}


def harvest(tracker: Tracker, context: AnswerContext, skip: Collection[str] = ()) -> Facts:
    """Facts the latest message states outright: its entities, then clearly marked text.

    ``skip`` names fields not to take (the answer to another question owns them, e.g. a
    child's age in an answer about children is not the person's age).
    """
    text = "" if is_payload(latest_text(tracker)) else latest_text(tracker)
    found: Facts = {}
    for reader in (
        _age_facts,
        _money_facts,
        _household_facts,
        _region_facts,
        _topic_facts,
        _receiving_facts,
    ):
        for name, value in reader(tracker, text, context).items():
            if value is not None and name not in skip and name not in found:
                found[name] = value
    return found


def _age_facts(tracker: Tracker, text: str, context: AnswerContext) -> Facts:
    said = [*entity_values(tracker, "age"), *([text] if _AGE_WORDS.search(text) else [])]
    for candidate in said:
        age = parse_age(candidate, context.today)
        if age is not None:
            return {"age": age}
    return {}


def _money_facts(tracker: Tracker, text: str, _context: AnswerContext) -> Facts:
    if _NOT_INCOME_WORDS.search(text):
        return {}
    said = [*entity_values(tracker, "money"), *([text] if _MONEY_WORDS.search(text) else [])]
    for candidate in said:
        amount = parse_money(candidate)
        if amount is not None:
            return {"monthly_income": amount.monthly}
    return {}


def _household_facts(tracker: Tracker, text: str, _context: AnswerContext) -> Facts:
    for candidate in entity_values(tracker, "household_size"):
        reading = parse_household(candidate)
        size = reading.size if reading is not None else bare_count(candidate)
        if size is not None:
            return {"household_size": size, "lives_alone": size == 1}
    reading = parse_household(text)
    if reading is None:
        return {}
    facts: Facts = {"lives_alone": reading.lives_alone}
    if reading.size is not None:
        facts["household_size"] = reading.size
    return facts


def _region_facts(tracker: Tracker, text: str, _context: AnswerContext) -> Facts:
    for candidate in [*entity_values(tracker, "region"), text]:
        reading = find_region(candidate)
        if reading is not None and reading.normalised is not None:
            return {"region": reading.normalised}
    return {}


def _topic_facts(_tracker: Tracker, text: str, context: AnswerContext) -> Facts:
    found: Facts = {}
    for name, topic in _TOPIC_WORDS.items():
        if topic.search(text):
            found.update(read_answer(name, text, context) or {})
    return found


def _receiving_facts(_tracker: Tracker, text: str, context: AnswerContext) -> Facts:
    if not _RECEIVING.search(text):
        return {}
    programs = context.matcher.find(text)
    return {"receives": programs} if programs else {}
