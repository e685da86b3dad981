"""When a person can answer: the office's working days and hours (from settings).

Public holidays are not known here, so replies say that a holiday moves the answer to
the next working day instead of promising a time.
"""

from __future__ import annotations

import datetime as dt

from core.settings import Settings


def is_open(now: dt.datetime, settings: Settings) -> bool:
    return (
        now.weekday() in settings.office_weekdays
        and settings.office_open_hour <= now.hour < settings.office_close_hour
    )


def next_opening(now: dt.datetime, settings: Settings) -> dt.datetime:
    """The next time the office opens after ``now`` (in ``now``'s time zone)."""
    for days_ahead in range(8):
        day = now.date() + dt.timedelta(days=days_ahead)
        opening = dt.datetime.combine(day, dt.time(settings.office_open_hour), now.tzinfo)
        if day.weekday() in settings.office_weekdays and opening > now:
            return opening
    raise ValueError("office_weekdays names no day of the week")
