"""시도 names as people say them: normalise short and former forms, compare scopes."""

from __future__ import annotations

# Short and colloquial 시도 names → official names (행정표준코드 spelling).
PROVINCES: dict[str, str] = {
    "서울": "서울특별시",
    "부산": "부산광역시",
    "대구": "대구광역시",
    "인천": "인천광역시",
    "광주": "광주광역시",
    "대전": "대전광역시",
    "울산": "울산광역시",
    "세종": "세종특별자치시",
    "경기": "경기도",
    "강원": "강원특별자치도",
    "충북": "충청북도",
    "충남": "충청남도",
    "전북": "전북특별자치도",
    "전남": "전라남도",
    "경북": "경상북도",
    "경남": "경상남도",
    "제주": "제주특별자치도",
}
# Older official names still common in speech and in imported data.
FORMER_NAMES: dict[str, str] = {
    "강원도": "강원특별자치도",
    "전라북도": "전북특별자치도",
    "제주도": "제주특별자치도",
    "세종시": "세종특별자치시",
}
OFFICIAL_NAMES = frozenset(PROVINCES.values())


def normalise_region(text: str) -> str:
    """'서울 강서구' → '서울특별시 강서구'; unknown words pass through unchanged."""
    words = text.split()
    if not words:
        return ""
    first = words[0]
    if first in FORMER_NAMES:
        words[0] = FORMER_NAMES[first]
    elif first not in OFFICIAL_NAMES:
        for short, official in PROVINCES.items():
            if first in (short, short + "시", short + "도"):
                words[0] = official
                break
    return " ".join(words)


def region_within(region: str, scope: str) -> bool:
    """True when ``region`` lies inside ``scope`` (a 시도, or 시도 + 시군구)."""
    inner = normalise_region(region).split()
    outer = normalise_region(scope).split()
    return len(inner) >= len(outer) and inner[: len(outer)] == outer
