"""Calendar days in a zone: today there, a local time on a day, a day's label.
(Members' words for dates are read by the time language, bot/timelang.)"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


def today_in(now: datetime, tz: str) -> date:
    return now.astimezone(ZoneInfo(tz)).date()


def at_local(day: date, when: time, tz: str) -> datetime:
    """`when` on `day` in zone `tz`, as aware UTC (a time skipped by a clock change
    moves forward with it, as zoneinfo does)."""
    local = datetime.combine(day, when, tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC)


def day_label(day: date) -> str:
    return day.strftime("%a %d %b %Y")
