"""Recurrence computed in a member's zone with APScheduler triggers, so
"every Monday 9am" stays 9am local across daylight-saving changes.

A recurrence is stored as JSON: {"cron": {"day_of_week": "mon", "hour": 9, ...}}
or {"interval": {"weeks": 2}, "start": "<iso>"}."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

CRON_FIELDS = ("year", "month", "day", "week", "day_of_week", "hour", "minute", "second")
INTERVAL_FIELDS = ("weeks", "days", "hours", "minutes")
MIN_INTERVAL = timedelta(minutes=1)


def trigger(recurrence: dict[str, Any], tz: str) -> BaseTrigger:
    zone = ZoneInfo(tz)
    if "cron" in recurrence:
        fields = {k: v for k, v in recurrence["cron"].items() if k in CRON_FIELDS}
        return CronTrigger(timezone=zone, **fields)
    if "interval" in recurrence:
        fields = {k: int(v) for k, v in recurrence["interval"].items() if k in INTERVAL_FIELDS}
        start = datetime.fromisoformat(recurrence["start"])
        return IntervalTrigger(timezone=zone, start_date=start, **fields)
    raise ValueError(f"unknown recurrence {recurrence!r}")


def next_after(recurrence: dict[str, Any], tz: str, after: datetime) -> datetime | None:
    """The first occurrence strictly after `after` (UTC), or None when it has ended."""
    trig = trigger(recurrence, tz)
    probe = after + timedelta(microseconds=1)
    nxt = trig.get_next_fire_time(None, probe)
    return nxt.astimezone(UTC) if nxt else None


def period(recurrence: dict[str, Any], tz: str, start: datetime) -> timedelta | None:
    """The gap between the first two occurrences after `start` (for interval checks)."""
    first = next_after(recurrence, tz, start)
    second = next_after(recurrence, tz, first) if first else None
    return second - first if first and second else None
