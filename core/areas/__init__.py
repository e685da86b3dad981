"""Areas: the 행정동 and 시군구 that cases are routed to, and reading them from text.

``areas.yaml`` is the routing table (``table``); ``region`` reads 시도/시군구/읍면동 from
free text as the chat does; ``resolve_area`` turns text into one area, a choice of
candidates, or nothing; ``provinces`` normalises 시도 names.
"""

from core.areas.provinces import normalise_region, region_within
from core.areas.region import RegionReading, find_region
from core.areas.resolve import AreaResolution, resolve_area
from core.areas.table import AREAS, Area, district_of, dongs_of, keys_within

__all__ = [
    "AREAS",
    "Area",
    "AreaResolution",
    "RegionReading",
    "district_of",
    "dongs_of",
    "find_region",
    "keys_within",
    "normalise_region",
    "region_within",
    "resolve_area",
]
