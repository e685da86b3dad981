"""The time, as every component reads it: injectable, so tests and drills set the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

Clock = Callable[[], dt.datetime]
"""Returns the current time, timezone-aware."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def local_clock(zone: str, source: Clock = utc_now) -> Clock:
    """A clock that reads ``source`` in the time zone ``zone`` (e.g. Asia/Seoul)."""
    tz = ZoneInfo(zone)
    return lambda: source().astimezone(tz)
