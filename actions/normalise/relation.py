"""Who a question is about: '어머니가요' → mother, '저요' → self, '옆집 할머니' → neighbour.

Words are matched at the start of a word (or after 우리/제/울/큰/외 …) and must end
the word or continue with a particle or honorific (엄마가, 어머님께서), so that 딸기,
형편, 저녁 or 이모티콘 are not read as relations. A relation followed by 아니 is
dropped ('엄마가 아니라 저요' → self). When a relative and the speaker are both named,
the relative wins ('제가 엄마 대신 물어봐요' → mother); mother and father together are
'parents'.
"""

from __future__ import annotations

import re
from typing import Literal

from actions.normalise.numbers import is_hangul
from core.korean import CONNECTIVE, COPULA

Relation = Literal[
    "self",
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
    "friend",
    "acquaintance",
    "neighbour",
    "landlord",
    "community_leader",
    "carer",
]

# What may follow a relation word: the end of the word, a particle or an honorific.
_FOLLOWS = (
    rf"(?=$|[^가-힣]|님|께서|께|에게|한테|이랑|랑|하고|{COPULA}|{CONNECTIVE}|이세요|이신"
    r"|이야|은|는|이|가|을|를|도|만|의|와|과|네|분|씨|들|거|것|꺼)"
)
# Titles that are also ordinary nouns (통장 = bank book): only as a title or a bare answer.
_TITLE_FOLLOWS = rf"(?=$|[^가-힣]|님|께서|{COPULA}|이세요|이신)"
_MODIFIER_BEFORE = re.compile(
    r"(?:^|[^가-힣])(?:우리|저희|제|내|울|홀|새|친정|친|큰|작은|막내|첫째|둘째|셋째|외)$"
)
_NEGATED_AFTER = re.compile(r"\s*(?:이|가|은|는)?\s*아니")
# The speaker describing themselves with a relation word: '나 혼자 사는 할머니인데',
# '저는 애들 엄마예요' (not '우리 할머니인데요', which has no first person before it).
_SELF_DESCRIPTION = re.compile(
    r"(?<![가-힣])(?:나|저|난|전|나는|저는|내가|제가|내는|내사|지는|나가)\s(?:(?!아니|말고)[^.?!]){0,24}?"
    r"(?:할머니|할아버지|할매|할배|엄마|아빠|어머니|아버지|노인|어르신)"
    r"(?:인데|인디|이에요|예요|에요|입니다|이고|임|이여|인기라|이다)"
)

_WORDS: dict[Relation, tuple[str, ...]] = {
    "self": (
        "본인",
        "당사자",
        r"저(?!가)",
        r"나(?![이가])",
        "제가",
        "내가",
        r"제\s+거",
        r"제\s*꺼",
        r"제\s*것",
        r"내\s*꺼",
        r"저\s*자신",
        r"나\s*자신",
    ),
    "mother": ("어머니", "어머님", "엄마", "모친", "엄니", "어무이"),
    "father": ("아버지", "아버님", "아빠", "부친", "아부지"),
    "parents": ("부모님", "부모", "양친"),
    "parent_in_law": (
        "시어머니",
        "시아버지",
        "시부모",
        "장모",
        "장인어른",
        "장인",
        "시어른",
    ),
    "grandparent": ("할머니", "할아버지", "외할머니", "외할아버지", "조부모", "할매", "할배"),
    "child": ("아들내미", "딸내미", "아들", "딸", "자녀", "자식", "아이", "애기", "아기", "애"),
    "grandchild": ("손주", "손자", "손녀"),
    "spouse": (
        "배우자",
        "남편",
        "아내",
        "와이프",
        "집사람",
        "안사람",
        "신랑",
        "부인",
        "마누라",
        "바깥양반",
        "영감님",
        "영감",
        "할멈",
    ),
    "sibling": (
        "남동생",
        "여동생",
        "동생",
        "형님",
        "형",
        "오빠",
        "언니",
        "누나",
        "누님",
        "형제",
        "자매",
        "남매",
    ),
    "relative": (
        "외삼촌",
        "삼촌",
        "이모부",
        "이모",
        "고모부",
        "고모",
        "숙모",
        "큰아버지",
        "작은아버지",
        "큰엄마",
        "작은엄마",
        "사촌",
        "조카",
        "친척",
        "친지",
        "며느리",
        "사위",
        "처제",
        "처남",
        "시누이",
        "올케",
    ),
    "friend": ("친구",),
    "acquaintance": (
        r"아는\s*(?:사람|분|언니|형|동생|오빠|누나|이모|할머니|할아버지|어르신)",
        "지인",
        r"(?:직장\s*)?동료",
    ),
    "neighbour": (
        "이웃집",
        "이웃",
        "옆집",
        "윗집",
        "아랫집",
        "앞집",
        r"동네\s*(?:사람|분|어르신|할머니|할아버지|주민)",
    ),
    "landlord": (r"집\s*주인", "건물주", "주인집", r"주인\s*(?:아주머니|아줌마|아저씨|할머니)"),
    "community_leader": (r"통장(?:님)?", r"반장(?:님)?", r"이장(?:님)?", "부녀회장", "노인회장"),
    "carer": ("요양보호사", "생활지원사", "활동지원사", "간병인", "돌보미"),
}
_TITLES = frozenset({r"통장(?:님)?", r"반장(?:님)?", r"이장(?:님)?"})


def _compile() -> list[tuple[re.Pattern[str], Relation]]:
    entries = [
        (word, relation, _TITLE_FOLLOWS if word in _TITLES else _FOLLOWS)
        for relation, words in _WORDS.items()
        for word in words
    ]
    # Longer words first, so 외할머니 wins over 할머니 and 이모부 over 이모.
    entries.sort(key=lambda entry: len(entry[0]), reverse=True)
    return [(re.compile(word + follows), relation) for word, relation, follows in entries]


_PATTERNS = _compile()


def normalise_relation(text: str) -> Relation | None:
    """The person ``text`` is about, or None when it names nobody."""
    named = _named_relations(_SELF_DESCRIPTION.sub(" 저 ", text))
    others = [relation for relation in named if relation != "self"]
    if set(others) == {"mother", "father"}:
        return "parents"
    if others:
        return others[0]
    return "self" if named else None


def describes_self(text: str) -> bool:
    """Whether the speaker describes themselves with a relation word ('나 혼자 사는
    할머니인데'): such a word names the speaker, not someone else."""
    return _SELF_DESCRIPTION.search(text) is not None


def is_about_self(relation: str | None) -> bool:
    """Whether the question is about the person asking."""
    return relation == "self"


def _named_relations(text: str) -> list[Relation]:
    """Relations named in ``text``, left to right, except those negated."""
    found: list[Relation] = []
    position = 0
    while position < len(text):
        match = _match_at(text, position)
        if match is None:
            position += 1
            continue
        end, relation = match
        if not _NEGATED_AFTER.match(text, end):
            found.append(relation)
        position = end
    return found


def _match_at(text: str, position: int) -> tuple[int, Relation] | None:
    before = text[:position]
    if before and is_hangul(before[-1]) and not _MODIFIER_BEFORE.search(before):
        return None
    for pattern, relation in _PATTERNS:
        match = pattern.match(text, position)
        if match:
            return match.end(), relation
    return None
