"""Where someone lives, from free text: 시도, 시군구 and 읍면동.

'서울 강서구 화곡동' → 서울특별시 / 강서구 / 화곡동, normalised '서울특별시 강서구'.
시도 names go through ``core.areas.provinces.normalise_region``; 시군구 come from the
`districts` of ``areas.yaml`` beside this module. A 시군구 named without its 시도 is
resolved when the name is unique ('수영구' → 부산) and reported as ambiguous otherwise
('강서구' is in 서울 and 부산; '서구' in five cities). 읍면동 are only taken right after a 시군구
(or after 세종), because words ending in 동/면/리 are common (운동, 라면, 우리).

Names may be said without their last syllable ('수원', '강남', '양평') unless that
stem is also an everyday word (고령, 예산, 수영 …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from core.areas.provinces import FORMER_NAMES, OFFICIAL_NAMES, PROVINCES, normalise_region
from core.areas.table import TABLE
from core.korean import CONNECTIVE_ENDINGS, POLITE_ENDINGS

_WORD = re.compile(r"[가-힣0-9]+")
# Endings stripped from a full name ('강서구에서', '경기도가').
_PARTICLES = (
    "에서요",
    "에서",
    *POLITE_ENDINGS,
    *CONNECTIVE_ENDINGS,
    "이랑",
    "으로",
    "에요",
    "쪽",
    "에",
    "요",
    "은",
    "는",
    "이",
    "가",
    "도",
    "랑",
    "로",
)
# Endings stripped from a short name or stem; not 이/가/도 ('고양이', '경기가').
_LOCATIVE = (
    "에서요",
    "에서",
    *POLITE_ENDINGS,
    *CONNECTIVE_ENDINGS,
    "으로",
    "에요",
    "쪽",
    "에",
    "요",
    "은",
    "는",
    "로",
)
_DONG = re.compile(r"[가-힣]+(?:[0-9]+|제[0-9]+)?동|[가-힣]+[0-9]+가|[가-힣]+[읍면리]")
_GENERAL_GU = re.compile(r"[가-힣]+구")
# Stems that are everyday words: '고령이라', '예산이 없어서', '수영 다녀요'.
_COMMON_WORD_STEMS = frozenset(
    [
        "고령",
        "예산",
        "영양",
        "장수",
        "상주",
        "진도",
        "음성",
        "부여",
        "완주",
        "영광",
        "장성",
        "달성",
        "강화",
        "공주",
        "진주",
        "구미",
        "양산",
        "화성",
        "시흥",
        "구리",
        "동해",
        "양주",
        "수영",
        "사상",
        "동작",
        "연수",
        "기장",
        "광산",
        "강진",
        "광명",
        "보은",
        "부안",
        "청송",
    ]
)


@dataclass(frozen=True)
class RegionReading:
    """A place in the text; ``normalised`` is set only when it is unambiguous.

    ``candidates`` lists every '시도' or '시도 시군구' the text could mean.
    """

    sido: str | None
    sigungu: str | None
    dong: str | None
    normalised: str | None
    candidates: tuple[str, ...]

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


@dataclass(frozen=True)
class _Mention:
    sido: str | None
    places: tuple[tuple[str, str], ...]
    """(시도, 시군구) pairs the word can name."""
    full_name: bool
    """The word names a 시군구 with its 시/군/구 suffix, not only a stem."""


def find_region(text: str) -> RegionReading | None:
    """The first region named in ``text``, or None when there is none."""
    words = [piece for word in _WORD.findall(text) for piece in _split_glued(word)]
    mentions = [_classify(word) for word in words]
    for index, mention in enumerate(mentions):
        if mention.sido is not None:
            return _with_sido(words, mentions, index, mention.sido)
        if mention.places:
            return _without_sido(words, mentions, index)
    return None


def word_forms(word: str) -> list[str]:
    """The word, and the word without one or two particles ('화곡동에서요' → '화곡동')."""
    return _forms(word, _PARTICLES)


def sigungu_table() -> dict[str, tuple[str, ...]]:
    """시도 (official name) → its 시군구, from ``areas.yaml``."""
    return dict(TABLE.sigungu)


def _with_sido(words: list[str], mentions: list[_Mention], index: int, sido: str) -> RegionReading:
    """A 시도 named first: its 시군구 follows, or the word is itself one ('제주시', '광주시')."""
    mention = mentions[index]
    later = next((i for i in range(index + 1, len(mentions)) if _in_sido(mentions[i], sido)), None)
    if later is not None:
        return _reading(words, sido, _name_in(mentions[later], sido), later)
    if _in_sido(mention, sido) and mention.full_name:
        return _reading(words, sido, _name_in(mention, sido), index)
    if mention.full_name and mention.places:
        options = (sido, *(f"{s} {name}" for s, name in mention.places))
        return RegionReading(None, None, None, None, options)
    return _reading(words, sido, None, index)


def _without_sido(words: list[str], mentions: list[_Mention], index: int) -> RegionReading:
    """A 시군구 named first: its 시도 is said later ('강서구, 서울이요') or unique, or unknown."""
    mention = mentions[index]
    said_later = (m.sido for m in mentions[index + 1 :] if m.sido and _in_sido(mention, m.sido))
    sido = next(said_later, None)
    if sido is not None:
        return _reading(words, sido, _name_in(mention, sido), index)
    places = mention.places
    if len(places) == 1:
        sido, name = places[0]
        return _reading(words, sido, name, index)
    sigungu, dong = _after_sigungu(words, places[0][1], index)
    options = tuple(f"{sido} {name}" for sido, name in places)
    return RegionReading(None, sigungu, dong, None, options)


def _reading(words: list[str], sido: str, sigungu: str | None, index: int) -> RegionReading:
    dong: str | None = None
    if sigungu is not None:
        sigungu, dong = _after_sigungu(words, sigungu, index)
    elif not TABLE.sigungu[sido]:
        dong = _dongs(words[index + 1 :])
    normalised = f"{sido} {sigungu}" if sigungu else sido
    return RegionReading(sido, sigungu, dong, normalised, (normalised,))


def _after_sigungu(words: list[str], sigungu: str, index: int) -> tuple[str, str | None]:
    """The 일반구 that may follow a 시 ('수원시 영통구'), then the 읍면동."""
    following = words[index + 1 :]
    if sigungu.endswith("시") and following and not _classify(following[0]).places:
        gu = _full_form(following[0], _GENERAL_GU)
        if gu is not None:
            return f"{sigungu} {gu}", _dongs(following[1:])
    return sigungu, _dongs(following)


def _dongs(words: list[str]) -> str | None:
    """Consecutive 읍면동/리 names at the start of ``words``, joined."""
    found: list[str] = []
    for word in words:
        dong = _full_form(word, _DONG)
        if dong is None:
            break
        found.append(dong)
    return " ".join(found) or None


def _in_sido(mention: _Mention, sido: str) -> bool:
    return any(place_sido == sido for place_sido, _ in mention.places)


def _name_in(mention: _Mention, sido: str) -> str:
    return next(name for place_sido, name in mention.places if place_sido == sido)


def _classify(word: str) -> _Mention:
    sido = _sido_of(word)
    for form in _forms(word, _PARTICLES):
        if form in _places_by_name():
            return _Mention(sido, _places_by_name()[form], full_name=True)
    for form in _forms(word, _LOCATIVE):
        if form in _names_by_stem():
            name = _names_by_stem()[form]
            return _Mention(sido, _places_by_name()[name], full_name=False)
    return _Mention(sido, (), full_name=False)


def _sido_of(word: str) -> str | None:
    for form in _forms(word, _PARTICLES):
        if form in OFFICIAL_NAMES or form in FORMER_NAMES:
            return normalise_region(form)
    for form in _forms(word, _LOCATIVE):
        official = normalise_region(form)
        if official in OFFICIAL_NAMES:
            return official
    return None


def _forms(word: str, endings: tuple[str, ...]) -> list[str]:
    """The word, and the word without one or two particles ('강서구쪽에' → '강서구')."""
    found = [word]
    for current in (word, *_strip_once(word, endings)):
        found.extend(_strip_once(current, endings))
    return list(dict.fromkeys(found))


def _strip_once(word: str, endings: tuple[str, ...]) -> list[str]:
    return [word[: -len(e)] for e in endings if word.endswith(e) and len(word) > len(e) + 1]


def _full_form(word: str, shape: re.Pattern[str]) -> str | None:
    return next((form for form in _forms(word, _PARTICLES) if shape.fullmatch(form)), None)


def _split_glued(word: str) -> list[str]:
    """'서울강서구' → ['서울', '강서구']; '강서구화곡동' → ['강서구', '화곡동']."""
    known = _classify(word)
    if known.sido is not None or known.places:
        return [word]
    for prefix in _glued_prefixes():
        rest = word[len(prefix) :]
        if word.startswith(prefix) and rest and _starts_region(rest):
            return [prefix, *_split_glued(rest)]
    return [word]


def _starts_region(rest: str) -> bool:
    """Whether a glued remainder begins with a 시군구 or is a 읍면동."""
    starts_with_name = any(rest.startswith(name) for name in _places_by_name())
    return starts_with_name or _full_form(rest, _DONG) is not None


@cache
def _glued_prefixes() -> tuple[str, ...]:
    names = {*OFFICIAL_NAMES, *FORMER_NAMES, *PROVINCES, *_places_by_name()}
    return tuple(sorted(names, key=len, reverse=True))


@cache
def _places_by_name() -> dict[str, tuple[tuple[str, str], ...]]:
    places: dict[str, list[tuple[str, str]]] = {}
    for sido, names in TABLE.sigungu.items():
        for name in names:
            places.setdefault(name, []).append((sido, name))
    return {name: tuple(found) for name, found in places.items()}


@cache
def _names_by_stem() -> dict[str, str]:
    """'수원' → '수원시': names without their suffix, when the stem is not an everyday word.

    A stem that is also a 시도 ('광주') names the 시도 unless that 시도 was said before it
    ('경기 광주' → 경기도 광주시).
    """
    stems = {name[:-1]: name for name in _places_by_name()}
    return {
        stem: name
        for stem, name in stems.items()
        if len(stem) >= 2 and stem not in _COMMON_WORD_STEMS
    }
