"""Reading a blind-spot reporter's free answers: the place, the signs seen, a phone
number, the household, whom the report is about, and a receipt number.

Every reader is a pure function of the text; each returns None (or nothing) when the
text does not say, so the caller can keep the words as the report's own text instead.
"""

from __future__ import annotations

import re

from actions.normalise.relation import normalise_relation
from cases.receipts import ALPHABET, LENGTH, parse_receipt
from core.areas import AreaResolution, resolve_area

# Endings glued to a place name in an answer: '화곡1동이요', '강서구에 살아요'.
_PLACE_ENDING = re.compile(r"(?:이에요|예요|이요|요|에서|에|이고|고|입니다|이랑|쪽)$")
# A shared location arrives as the region "<lat>,<lon>" (bot/gateway.py).
_COORDINATES = re.compile(r"^\s*-?\d{1,3}\.\d+\s*,\s*-?\d{1,3}\.\d+\s*$")
_PHONE = re.compile(r"(?:\+82[\s\-.]*|0)(?:\d[\s\-.()]*){8,11}")
_RECEIPT = re.compile(
    rf"(?<![0-9A-Za-z])[{ALPHABET}{ALPHABET.lower()}oOiIlL]"
    rf"(?:[\s\-‐–—ㅡ_.]?[{ALPHABET}{ALPHABET.lower()}oOiIlL]){{{LENGTH - 1}}}(?![0-9A-Za-z])"
)

# Words for each sign; every sign the text names is kept.
SIGN_WORDS: dict[str, re.Pattern[str]] = {
    "rent_arrears": re.compile(r"월세|방세|집세|관리비"),
    "utility_arrears": re.compile(r"공과금|전기\s*요금|가스\s*요금|수도\s*요금|독촉"),
    "utility_cut": re.compile(r"(?:전기|가스|수도|물).{0,4}(?:끊|안\s*나와|안\s*들어)"),
    "phone_arrears": re.compile(r"전화(?:비|요금)|통신비|휴대폰\s*요금"),
    "skipping_meals": re.compile(
        r"굶|끼니|(?:밥|식사)\S{0,2}\s*(?:잘\s*)?(?:못|안)\s*(?:드|먹|하)|먹을\s*(?:게|것이?)\s*없"
    ),
    "not_seen": re.compile(r"안\s*보|기척|인기척|연락이?\s*안|문을?\s*안\s*열|쌓여|쌓였"),
    "rubbish_smell": re.compile(r"쓰레기|냄새|악취"),
    "hoarding": re.compile(r"저장강박|물건.{0,6}(?:쌓|가득)"),
    "illness": re.compile(r"아프|아파|병원|치매|거동|우울"),
    "debt": re.compile(r"빚|대출|사채|추심"),
    "refusing_help": re.compile(r"도움.{0,4}(?:거부|싫|마다)|거절"),
    "abuse": re.compile(r"학대|때려|때리|맞아서|맞고\s*(?:살|있)|폭행|폭력|방치|방임"),
    "self_harm": re.compile(r"자해|죽고\s*싶|극단적|자살"),
}

# Household types as people say them, most specific first.
HOUSEHOLD_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "elderly_couple",
        re.compile(r"노부부|노인\s*부부|어르신\s*부부|두\s*분이|할머니.{0,3}할아버지"),
    ),
    ("grandparent", re.compile(r"조손|손주|손자|손녀")),
    ("single_parent", re.compile(r"한부모|혼자\s*(?:애|아이)|미혼모|미혼부")),
    ("north_korean_defector", re.compile(r"탈북|북한")),
    ("multicultural", re.compile(r"다문화|외국인|이주")),
    ("disabled", re.compile(r"장애")),
    ("young_carer", re.compile(r"가족\s*돌봄|영\s*케어러|간병하는\s*(?:청년|학생)")),
    ("reclusive", re.compile(r"은둔|외톨이|안\s*나오")),
    ("care_leaver", re.compile(r"자립\s*준비|보육원|시설\s*나온")),
    ("hospital_discharge", re.compile(r"퇴원")),
    ("elderly_alone", re.compile(r"독거|혼자.{0,6}(?:할머니|할아버지|어르신|노인)|홀몸")),
    ("middle_aged_single", re.compile(r"혼자|1인\s*가구|일인\s*가구")),
)

RELATION_LABELS: dict[str, str] = {
    "neighbour": "이웃",
    "friend": "지인",
    "acquaintance": "지인",
    "landlord": "집주인",
    **{
        family: "가족"
        for family in (
            "mother",
            "father",
            "parents",
            "parent_in_law",
            "grandparent",
            "child",
            "grandchild",
            "spouse",
            "sibling",
            "relative",
        )
    },
}
OTHER_RELATION = "기타"


def is_coordinates(text: str) -> bool:
    """Whether ``text`` is a shared location rather than a place name."""
    return _COORDINATES.match(text) is not None


def read_area(text: str) -> AreaResolution:
    """The area a reporter's answer names, with the endings of spoken answers dropped
    when the text as written names no 동 ('화곡 1동이요')."""
    as_written = resolve_area(text)
    if as_written.area is not None and as_written.area.dong is not None:
        return as_written
    words = [_PLACE_ENDING.sub("", word) for word in text.split()]
    trimmed = resolve_area(" ".join(word for word in words if word))
    if trimmed.area is not None or (as_written.area is None and trimmed.candidates):
        return trimmed
    return as_written


def read_signs(text: str) -> tuple[str, ...]:
    """The sign codes the words describe, in the order of ``SIGN_WORDS``."""
    return tuple(sign for sign, words in SIGN_WORDS.items() if words.search(text))


def read_household(text: str) -> str | None:
    """The household type the words describe, or None."""
    return next((kind for kind, words in HOUSEHOLD_WORDS if words.search(text)), None)


def read_phone(text: str) -> str | None:
    """A Korean phone number as digits only ('010-1234-5678' → '01012345678'), or None."""
    match = _PHONE.search(text)
    if match is None:
        return None
    digits = re.sub(r"\D", "", match.group())
    if digits.startswith("82"):
        digits = "0" + digits[2:].lstrip("0")
    return digits if 9 <= len(digits) <= 11 and digits.startswith("0") else None


def read_receipt(text: str) -> str | None:
    """The receipt number written in ``text`` (grouped as stored), or None."""
    for match in _RECEIPT.finditer(text):
        receipt = parse_receipt(match.group())
        if receipt is not None:
            return receipt
    return None


def read_relation(text: str) -> str | None:
    """'self', or the reporter's relation to the person as a report label (이웃, 가족,
    지인, 집주인, 기타), or None when the text names nobody."""
    relation = normalise_relation(text)
    if relation is None:
        return None
    if relation == "self":
        return "self"
    return RELATION_LABELS.get(relation, OTHER_RELATION)
