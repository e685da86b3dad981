"""The routing table: every area a case can be queued to, loaded from ``areas.yaml``.

An area's key is its official full name: "서울특별시 강서구 화곡1동" (a 행정동 of a seed
district), "부산광역시 수영구" (a 시군구) or "세종특별자치시" (a 시도 without 시군구).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal

import yaml

from core.areas.provinces import OFFICIAL_NAMES

AreaLevel = Literal["dong", "district"]


@dataclass(frozen=True)
class Area:
    """A queue that cases are routed to.

    ``sigungu`` is None only for 세종특별자치시; ``dong`` is set exactly when ``level`` is
    "dong".
    """

    key: str
    sido: str
    sigungu: str | None
    dong: str | None
    level: AreaLevel

    @property
    def district_key(self) -> str:
        """The key of the district-level area this one lies in (itself for a district)."""
        return " ".join(part for part in (self.sido, self.sigungu) if part)


@dataclass(frozen=True)
class DongNames:
    """Other names citizens use for a 행정동: 법정동 it spans, colloquial and former names."""

    legal: tuple[str, ...]
    also_called: tuple[str, ...]
    former: tuple[str, ...]


@dataclass(frozen=True)
class AreaTable:
    """Every area by key, the other names of each 행정동, and the 시군구 of each 시도."""

    areas: Mapping[str, Area]
    dong_names: Mapping[str, DongNames]
    sigungu: Mapping[str, tuple[str, ...]]
    dongs: Mapping[str, tuple[Area, ...]]
    """District key → its dong-level areas (only seed districts have any)."""


def load_area_table(text: str | None = None) -> AreaTable:
    """The table from ``areas.yaml`` beside this module (or from ``text``), checked."""
    if text is None:
        text = resources.files(__package__).joinpath("areas.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    if not isinstance(raw, dict) or not isinstance(raw.get("districts"), dict):
        raise ValueError("areas.yaml needs a `districts` mapping of 시도 to 시군구")
    sigungu = {
        str(sido): tuple(str(name) for name in names or ())
        for sido, names in raw["districts"].items()
    }
    if set(sigungu) != OFFICIAL_NAMES:
        raise ValueError("areas.yaml must list every official 시도 name exactly once")
    areas: dict[str, Area] = {}
    for sido, names in sigungu.items():
        if not names:
            areas[sido] = Area(sido, sido, None, None, "district")
        for name in names:
            key = f"{sido} {name}"
            if key in areas:
                raise ValueError(f"areas.yaml lists {key} twice")
            areas[key] = Area(key, sido, name, None, "district")
    dong_names: dict[str, DongNames] = {}
    dongs: dict[str, tuple[Area, ...]] = {}
    for district in raw.get("seed_districts") or ():
        found = _seed_district(district, areas, dong_names)
        dongs[found[0].district_key] = found
    return AreaTable(
        MappingProxyType(areas),
        MappingProxyType(dong_names),
        MappingProxyType(sigungu),
        MappingProxyType(dongs),
    )


def _seed_district(
    raw: dict[str, Any], areas: dict[str, Area], dong_names: dict[str, DongNames]
) -> tuple[Area, ...]:
    sido, name = str(raw["sido"]), str(raw["sigungu"])
    district = f"{sido} {name}"
    if district not in areas:
        raise ValueError(f"seed district {district} is not among the districts")
    listed = raw.get("dongs") or []
    if raw.get("dong_count") != len(listed):
        raise ValueError(f"{district}: dong_count does not match the dongs listed")
    found: list[Area] = []
    for dong in listed:
        key = f"{district} {dong['name']}"
        if key in areas:
            raise ValueError(f"areas.yaml lists {key} twice")
        areas[key] = Area(key, sido, name, str(dong["name"]), "dong")
        dong_names[key] = DongNames(
            legal=tuple(str(n) for n in dong.get("legal") or ()),
            also_called=tuple(str(n) for n in dong.get("also_called") or ()),
            former=tuple(str(n) for n in dong.get("former") or ()),
        )
        found.append(areas[key])
    return tuple(found)


TABLE = load_area_table()
AREAS: Mapping[str, Area] = TABLE.areas
"""Every area by its key."""


def district_of(key: str) -> Area:
    """The district-level area that the area ``key`` lies in; KeyError for an unknown key."""
    return AREAS[AREAS[key].district_key]


def dongs_of(key: str) -> tuple[Area, ...]:
    """The dong-level areas of a district (empty outside the seed districts)."""
    return TABLE.dongs.get(district_of(key).key, ()) if AREAS[key].level == "district" else ()


def keys_within(key: str) -> frozenset[str]:
    """The area ``key`` and every area inside it (a district's 행정동)."""
    return frozenset({key, *(dong.key for dong in dongs_of(key))})
