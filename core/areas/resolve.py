"""From a place as a citizen writes it to the area its case is routed to.

``resolve_area("강서구 화곡1동")`` reads the 시도 and 시군구 with the chat's region reader
(``core.areas.region``), then looks for a 행정동 of the seed districts among the words:
its name (화곡1동, also written 화곡제1동 or 화곡 1동), a former name (화곡7동), a 법정동
it spans (화곡동) or a colloquial name (광안리). The answer is

* found – one area: a 행정동, or a district when no 행정동 was named or the district has
  no 동 queues ("수영구", "부산 강서구 명지동");
* ambiguous – the candidates to choose from: the 행정동s of a 법정동 name ("화곡동"), or
  the districts of a 시군구 name found in several cities ("서구");
* unknown – no area could be read ("서울" alone, a typo).

A 시군구 named in two cities is settled by a 행정동 found in only one of them ("강서구
화곡1동" is in 서울).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Literal

from core.areas.region import find_region, word_forms
from core.areas.table import AREAS, TABLE, Area

Outcome = Literal["found", "ambiguous", "unknown"]
_WORD = re.compile(r"[가-힣0-9]+")
# '화곡 1동', '화곡 제 1 동' → written together; '화곡제1동' is the long form of '화곡1동'.
_SPACED_NUMBER = re.compile(r"([가-힣])\s+(제?)\s*([0-9]+)\s*(동|가)(?![가-힣])")
_LONG_FORM = re.compile(r"(.+)제([0-9]+[동가])")


@dataclass(frozen=True)
class AreaResolution:
    """``area`` is set when ``outcome`` is "found"; ``candidates`` when "ambiguous"."""

    outcome: Outcome
    area: Area | None = None
    candidates: tuple[Area, ...] = ()


UNKNOWN = AreaResolution("unknown")


def resolve_area(text: str) -> AreaResolution:
    """The area ``text`` names (see the module doc)."""
    folded = unicodedata.normalize("NFKC", text)
    cleaned = " ".join(_SPACED_NUMBER.sub(r"\1\2\3\4", folded).split())
    if cleaned in AREAS:
        return _one_or_choice((AREAS[cleaned],))
    reading = find_region(cleaned)
    if reading is None:
        districts, named = _all_districts(), False
    else:
        districts = tuple(
            dict.fromkeys(area for place in reading.candidates for area in _districts(place))
        )
        # A 시도 alone names no district (except 세종, an area by itself).
        named = reading.ambiguous or reading.sigungu is not None or reading.normalised in AREAS
    words = _WORD.findall(cleaned) + (reading.dong.split() if reading and reading.dong else [])
    dongs = _dongs_named(words, districts)
    if dongs:
        return _one_or_choice(dongs)
    return _one_or_choice(districts) if named else UNKNOWN


def _districts(place: str) -> tuple[Area, ...]:
    """The district areas a place the reader found may mean: '시도 시군구' itself; '시도 시
    일반구' its 시; a 시도 every district in it (세종 is one area by itself)."""
    if place in AREAS:
        return (AREAS[place],)
    words = place.split()
    if len(words) == 3:
        parent = AREAS.get(" ".join(words[:2]))
        return () if parent is None else (parent,)
    if len(words) == 1 and place in TABLE.sigungu:
        return tuple(AREAS[f"{place} {name}"] for name in TABLE.sigungu[place])
    return ()


def _dongs_named(words: list[str], districts: tuple[Area, ...]) -> tuple[Area, ...]:
    """The 행정동 of ``districts`` that the words name, by the strongest kind of name found:
    an official or former name first, then a 법정동 or colloquial name."""
    keys = {district.key for district in districts}
    forms = {form for word in words for form in word_forms(word)}
    forms |= {long.expand(r"\1\2") for form in forms if (long := _LONG_FORM.fullmatch(form))}
    for index in _name_indexes():
        found = {
            area for form in forms for area in index.get(form, ()) if area.district_key in keys
        }
        if found:
            return tuple(sorted(found, key=lambda area: area.key))
    return ()


@cache
def _name_indexes() -> tuple[dict[str, tuple[Area, ...]], ...]:
    """Name → 행정동: official and former names; then 법정동 and colloquial names."""
    exact: dict[str, list[Area]] = {}
    loose: dict[str, list[Area]] = {}
    for key, names in TABLE.dong_names.items():
        area = AREAS[key]
        assert area.dong is not None
        for name in (area.dong, *names.former):
            exact.setdefault(name, []).append(area)
        for name in (*names.legal, *names.also_called):
            loose.setdefault(name, []).append(area)
    return (
        {name: tuple(areas) for name, areas in exact.items()},
        {name: tuple(areas) for name, areas in loose.items()},
    )


@cache
def _all_districts() -> tuple[Area, ...]:
    return tuple(area for area in AREAS.values() if area.level == "district")


def _found(area: Area) -> AreaResolution:
    return AreaResolution("found", area)


def _one_or_choice(areas: tuple[Area, ...]) -> AreaResolution:
    if len(areas) == 1:
        return _found(areas[0])
    if not areas:
        return UNKNOWN
    return AreaResolution("ambiguous", candidates=areas)
