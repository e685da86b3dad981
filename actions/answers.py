"""Reading the answer to one question of the benefit form.

An answer is a button value (``true``, ``rent``, ``5`` …) or free Korean text ("일흔셋이요",
"월 80만원", "혼자 살아요"). Numbers, money, ages, households and regions go through
``actions.normalise``; the fixed choices are read here from the words people use for
them. A reader returns the facts the answer gives (an answer may give more than the
field asked: "혼자 살아요" is a household of one), or None when it cannot tell.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from actions.normalise import (
    ProgramMatcher,
    find_region,
    parse_age,
    parse_household,
    parse_lump_sum,
    parse_money,
    parse_number,
)
from actions.normalise.numbers import find_numbers
from core.korean import COPULA
from knowledge.fields import FIELDS, FieldKind

Facts = dict[str, object]

UNKNOWN = "unknown"
"""Button value for 'I don't know'."""
NONE = "none"
"""Button value for 'none of these' on questions whose answer is a list."""


# "I don't know", "I don't remember", "I'd rather not say", "skip it": all leave the fact
# unknown and move on.
_DONT_KNOW = re.compile(
    r"모르|몰라|몰러|모름|글쎄|기억\s*(?:이\s*)?(?:잘\s*)?안|생각(?:이)?\s*안\s*나|헷갈|애매"
    r"|확실(?:하지|하진|치)\s*않|(?:확인|알아|찾아|물어)\s*봐야|알아보고"
    r"|패스|넘어갈|건너\s*뛸|다음\s*질문|말하기\s*(?:좀\s*)?(?:그래|곤란|싫)"
    r"|대답하기\s*(?:좀\s*)?(?:곤란|싫)|말씀\s*안\s*드릴"
)
_NONE_WORDS = re.compile(
    r"^\s*(?:없|아니|아뇨|none)|(?:하나도|아무것도|특별히|딱히|전혀)\s*없"
    # 아무것도 안 받아요 · 그런 건 없어요 · 해당없어 · 받는 거 없어요
    r"|아무것도\s*(?:안|못)|(?:그런|그럴|해당(?:되는)?)\s*(?:거|건|것|게|사항)?\s*(?:은|는|도|이)?\s*없"
    r"|(?:받는|하는|다니는|있는)\s*(?:거|건|것|게)\s*(?:은|는|도|이)?\s*(?:하나도\s*)?없"
)
_YES = re.compile(
    r"^\s*(?:예|네|넵|넹|응|어|그래요|그렇습니다|그럼요|맞아요|맞습니다|맞아|있어요|있습니다|있음|true)"
    r"(?=$|[\s,.!~요])"
)
_NO = re.compile(
    r"^\s*(?:아니요|아니오|아뇨|아니에요|아닙니다|아니|없어요|없습니다|없음|없어|false)(?=$|[\s,.!~])"
)
_NEGATED = re.compile(r"없|아니|안\s*(?:해|살|했|하)|않")
_AFFIRMED = re.compile(r"있|맞|그렇")
_BARE_COUNT = re.compile(
    r"^\s*(?P<number>[0-9]+|[가-힣]+?)\s*(?:명|인|사람|식구)?\s*"
    rf"(?:{COPULA}|이상)?\s*[.!~]*\s*$"
)
_BIRTH_DATE_ALONE = re.compile(r"^\s*\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s*$")
_CHILD_AGE_UNIT = re.compile(r"\s*(?:살|세|개월)")
_ONLY_NUMBERS = re.compile(r"^[\s0-9,./와과랑이하고및]+$")

# The words people use for each value of the fixed-choice fields (kinds "choice" and
# "choices"). For a single choice the last one named wins ("월세 아니고 자가예요" is
# rare, "자가는 아니고 월세" common).
VALUE_WORDS: dict[str, dict[str, str]] = {
    "sex": {
        "m": r"남자|남성|(?<![가-힣])남(?![가-힣])|할아버지|아버지|아빠|아들",
        "f": r"여자|여성|(?<![가-힣])여(?![가-힣])|할머니|어머니|엄마|딸",
    },
    "disability": {
        "mild": r"심하지\s*않|경증|경도|[4-6]\s*급",
        "severe": r"심한|심해|심합|중증|[1-3]\s*급",
        "none": r"없|아니|아뇨",
    },
    "housing": {
        "own": r"자가|내\s*집|제\s*집|자기\s*집|집\s*주인|집이\s*있",
        "rent": r"전세|월세|세\s*들|세입자|임대|셋집|사글세",
        "free": r"무상|얹혀|공짜|무료|친척\s*집|지인\s*집|친구\s*집",
    },
    "employment": {
        "employed": (
            r"직장|회사|다녀요|다닙니다|근무|출근|직원|알바|아르바이트|일하고\s*있|일해요|일합니다"
        ),
        "unemployed": r"구직|찾는\s*중|찾고\s*있|실직|실업|잘렸|그만뒀|그만두",
        "self_employed": r"자영업|장사|가게|사업",
        "none": r"안\s*해요|일\s*안|쉬고|쉬어요|은퇴|무직|일하지\s*않|안\s*다녀|놀고",
    },
    "crisis": {
        "income_loss": (
            r"실직|해고|잘렸|(?:일자리|일|직장)을?\s*잃|(?:소득|수입|월급)이?\s*끊|못\s*벌"
        ),
        "illness": r"병|아파|아프|수술|입원|다쳤|다쳐|부상|질환|치료",
        "death_of_earner": r"돌아가|사망|세상을\s*떠|가출|집을\s*나가",
        "eviction": r"쫓겨|집을?\s*잃|퇴거|나가라|경매|(?:집세|월세|방세)를?\s*못",
        "abuse": r"폭력|학대|때려|때리|폭행",
        "disaster": r"화재|불이\s*나|불나|홍수|재난|태풍|지진|침수",
        "business_closure": r"폐업|휴업|(?:가게|장사)를?\s*(?:닫|접)",
        "utility_cut": r"(?:전기|가스|수도|물|난방)\S*\s*(?:이|가)?\s*(?:끊|안\s*나)|단전|단수",
    },
    "situations": {
        "multicultural": r"다문화|결혼\s*이민|이주\s*여성",
        "north_korean_defector": r"북한|탈북|새터민",
        "care_leaver": r"보호\s*종료|보육원|자립\s*준비|시설에서\s*나",
        "young_carer": r"가족을?\s*돌보|간병하|영\s*케어러",
        "reclusive": r"은둔|고립|밖에\s*(?:잘\s*)?안\s*나|집에만",
        "hospital_discharge": r"퇴원",
        "grandparent_family": r"조손|(?:손주|손자|손녀)를?\s*키",
        "debt": r"빚|채무|대출|빌린\s*돈|연체",
    },
}


@dataclass(frozen=True)
class AnswerContext:
    today: date
    matcher: ProgramMatcher


def says_unknown(text: str) -> bool:
    """Whether the answer is 'I don't know'."""
    return text.strip() == UNKNOWN or bool(_DONT_KNOW.search(text))


def read_answer(field: str, text: str, context: AnswerContext) -> Facts | None:
    """The facts an answer to the question about ``field`` gives, or None."""
    entry = FIELDS.get(field)
    if entry is None or not text.strip():
        return None
    return READERS[entry.kind](field, text.strip(), context)


def _age(field: str, text: str, context: AnswerContext) -> Facts | None:
    age = parse_age(text, context.today)
    return None if age is None else {field: age}


def _region(field: str, text: str, _context: AnswerContext) -> Facts | None:
    reading = find_region(text)
    if reading is None or reading.normalised is None:
        return None
    return {field: reading.normalised}


def _household(field: str, text: str, _context: AnswerContext) -> Facts | None:
    reading = parse_household(text)
    if reading is not None and reading.size is not None:
        if field == "household_size":
            return {field: reading.size, "lives_alone": reading.lives_alone}
        return {field: reading.size}
    count = bare_count(text)
    if count is None:
        return None
    return (
        {field: count, "lives_alone": count == 1} if field == "household_size" else {field: count}
    )


def bare_count(text: str) -> int | None:
    """A number of people given as the whole answer: '3', '셋이요', '5명 이상'."""
    match = _BARE_COUNT.match(text)
    if match is None:
        return None
    value = parse_number(match.group("number"))
    return value if value is not None and 1 <= value <= 20 else None


def _lump_sum(field: str, text: str, _context: AnswerContext) -> Facts | None:
    amount = parse_lump_sum(text)
    return None if amount is None else {field: amount}


def _money(field: str, text: str, _context: AnswerContext) -> Facts | None:
    if _BIRTH_DATE_ALONE.match(text):
        # Six digits that are a date (YYMMDD) look like the front of a 주민등록번호: such
        # a number never becomes a fact.
        return None
    amount = parse_money(text)
    return None if amount is None else {field: amount.monthly}


def _boolean(field: str, text: str, _context: AnswerContext) -> Facts | None:
    if field in ("lives_alone", "married"):
        household = parse_household(text)
        if household is not None and household.lives_alone is not None:
            # Living alone answers both; living with others only answers lives_alone.
            if field == "lives_alone":
                return {field: household.lives_alone}
            if household.lives_alone:
                return {field: False}
    value = yes_or_no(text)
    return None if value is None else {field: value}


def yes_or_no(text: str) -> bool | None:
    """A yes/no answer: a button value, a leading 네/아니요, else the words in it."""
    if _NO.match(text):
        return False
    if _YES.match(text):
        return True
    if _NEGATED.search(text):
        return False
    if _AFFIRMED.search(text):
        return True
    return None


def _option(field: str, text: str, _context: AnswerContext) -> Facts | None:
    words = VALUE_WORDS[field]
    if text in words:
        return {field: text}
    named = _last_named(text, words)
    return None if named is None else {field: named}


def _last_named(text: str, words: dict[str, str]) -> str | None:
    found = [
        (match.start(), value)
        for value, pattern in words.items()
        for match in re.finditer(pattern, text)
    ]
    return max(found)[1] if found else None


def _listed(field: str, text: str, _context: AnswerContext) -> Facts | None:
    words = VALUE_WORDS[field]
    if text == NONE:
        return {field: []}
    if text in words:
        return {field: [text]}
    named = [value for value, pattern in words.items() if re.search(pattern, text)]
    if named:
        return {field: named}
    return {field: []} if _NONE_WORDS.search(text) else None


def _children(field: str, text: str, _context: AnswerContext) -> Facts | None:
    spans = find_numbers(text)
    with_unit = [
        0 if text[s.end :].lstrip().startswith("개월") else s.value
        for s in spans
        if _CHILD_AGE_UNIT.match(text, s.end)
    ]
    ages = with_unit or (
        [s.value for s in spans if not s.weak] if _ONLY_NUMBERS.match(text) else []
    )
    if ages:
        return {field: ages} if all(0 <= age <= 40 for age in ages) else None
    return {field: []} if text == NONE or _NONE_WORDS.search(text) else None


def _receives(field: str, text: str, context: AnswerContext) -> Facts | None:
    programs = context.matcher.find(text)
    if programs:
        return {field: programs}
    return {field: []} if text == NONE or _NONE_WORDS.search(text) else None


Reader = Callable[[str, str, AnswerContext], Facts | None]
READERS: dict[FieldKind, Reader] = {
    "age": _age,
    "region": _region,
    "count": _household,
    "money": _money,
    "amount": _lump_sum,
    "boolean": _boolean,
    "choice": _option,
    "choices": _listed,
    "ages": _children,
    "programs": _receives,
}
"""How a free answer is read, by the kind of the field asked about."""
