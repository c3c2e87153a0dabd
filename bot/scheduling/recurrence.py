"""Recurrence computed in a member's zone with APScheduler triggers, so
"every Monday 9am" stays 9am local across daylight-saving changes.

A recurrence is stored as JSON, one of:
- {"cron": {"day_of_week": "mon", "hour": 9, "minute": 0}}: wall-clock fields;
- {"calendar": {"weeks": 2, "hour": 8, "minute": 0}, "start": "2027-01-08"}: every N
  days/weeks/months at a local time, counted from a start date (for "every 2 weeks
  on friday", which cron cannot say);
- {"interval": {"minutes": 15}, "start": "<iso>"}: exact elapsed time (minutes, hours).

`next_after` always returns a time strictly after the one it is given, and a
wall-clock recurrence fires once per local time even when a fall-back repeats it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.calendarinterval import CalendarIntervalTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

CRON_FIELDS = ("year", "month", "day", "week", "day_of_week", "hour", "minute", "second")
INTERVAL_FIELDS = ("weeks", "days", "hours", "minutes", "seconds")
CALENDAR_FIELDS = ("years", "months", "weeks", "days", "hour", "minute")
MIN_INTERVAL = timedelta(minutes=1)
_MAX_STEPS = 10_000  # a recurrence that finds nothing in this many steps has ended


def trigger(recurrence: dict[str, Any], tz: str) -> BaseTrigger:
    zone = ZoneInfo(tz)
    if "cron" in recurrence:
        fields = {k: v for k, v in recurrence["cron"].items() if k in CRON_FIELDS}
        return CronTrigger(timezone=zone, **fields)
    if "calendar" in recurrence:
        fields = {k: int(v) for k, v in recurrence["calendar"].items() if k in CALENDAR_FIELDS}
        start = date.fromisoformat(str(recurrence["start"])[:10])
        return CalendarIntervalTrigger(timezone=zone, start_date=start, **fields)
    if "interval" in recurrence:
        fields = {k: int(v) for k, v in recurrence["interval"].items() if k in INTERVAL_FIELDS}
        start = datetime.fromisoformat(recurrence["start"])
        return IntervalTrigger(timezone=zone, start_date=start, **fields)
    raise ValueError(f"unknown recurrence {recurrence!r}")


def _wall(when: datetime, zone: ZoneInfo) -> datetime:
    return when.astimezone(zone).replace(tzinfo=None)


def next_after(recurrence: dict[str, Any], tz: str, after: datetime) -> datetime | None:
    """The first occurrence strictly after `after` (UTC), or None when it has ended."""
    zone = ZoneInfo(tz)
    trig = trigger(recurrence, tz)
    if isinstance(trig, CalendarIntervalTrigger):
        return _calendar_next(trig, recurrence, zone, after)
    wall_clock = "cron" in recurrence
    seen = _wall(after, zone)
    probe = after + timedelta(microseconds=1)
    for _ in range(_MAX_STEPS):
        nxt = trig.get_next_fire_time(None, probe)
        if nxt is None:
            return None
        nxt = nxt.astimezone(UTC)
        # APScheduler's CronTrigger can hand back the time it was given (or the
        # second copy of a local time repeated by a fall-back); step past it.
        if nxt > after and not (wall_clock and _wall(nxt, zone) == seen):
            return nxt
        probe = max(probe, nxt) + timedelta(minutes=1)
    return None


def _calendar_next(
    trig: CalendarIntervalTrigger, recurrence: dict[str, Any], zone: ZoneInfo, after: datetime
) -> datetime | None:
    fields = recurrence["calendar"]
    nxt = trig.get_next_fire_time(None, after)
    if nxt is None:
        return None
    step = int(fields.get("weeks", 0)) * 7 + int(fields.get("days", 0))
    if step and not (fields.get("months") or fields.get("years")):
        behind = (after.astimezone(zone).date() - nxt.date()).days
        if behind > step:  # jump over a long gap instead of walking it
            k = behind // step
            nxt = trig.get_next_fire_time(nxt.date() + timedelta(days=step * (k - 1)), after)
    seen = _wall(after, zone)
    for _ in range(_MAX_STEPS):
        if nxt is None:
            return None
        if nxt.astimezone(UTC) > after and _wall(nxt, zone) != seen:
            return nxt.astimezone(UTC)
        nxt = trig.get_next_fire_time(nxt, after)
    return None


def period(recurrence: dict[str, Any], tz: str, start: datetime) -> timedelta | None:
    """The shortest gap between the first few occurrences after `start` (for
    checking that a recurrence is not too frequent)."""
    times: list[datetime] = []
    at = start
    for _ in range(4):
        nxt = next_after(recurrence, tz, at)
        if nxt is None:
            break
        times.append(nxt)
        at = nxt
    gaps = [b - a for a, b in pairwise(times)]
    return min(gaps) if gaps else None
