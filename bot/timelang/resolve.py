"""From a `Phrase` to instants, against a clock, in a zone.

Hour-only times mean the next such hour; a date without a year the next such
date; a numeric date every reading that is a real day (two readings: the
member chooses). Wall-clock times are built with zoneinfo, so 9:00 stays 9:00
across daylight-saving changes and "in 2 hours" is two elapsed hours."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.timelang import words as w
from bot.timelang.grammar import Phrase

_EXACT = {"minutes", "hours"}


class Unreal(ValueError):
    """The phrase names a day that does not exist (31 April) or cannot be built."""


def _at(day: date, clock: tuple[int, int], zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(*clock), tzinfo=zone).astimezone(UTC)


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        raise OverflowError("year out of range")
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _shifted(p: Phrase, now: datetime, zone: ZoneInfo) -> tuple[date, tuple[int, int]] | datetime:
    assert p.shift is not None
    count, unit = p.shift
    if unit in _EXACT:
        return now + timedelta(**{unit: count})
    local = now.astimezone(zone)
    if unit == "days":
        day = local.date() + timedelta(days=count)
    elif unit == "weeks":
        day = local.date() + timedelta(weeks=count)
    else:
        day = _add_months(local.date(), count * (12 if unit == "years" else 1))
    return day, (local.hour, local.minute)


def _half(hour: int, minute: int, half: str) -> tuple[int, int]:
    """An hour-only time in a half of the day ('am', 'pm' or 'day': 7-11 am, else pm)."""
    if hour == 12:
        return (0 if half == "night" else 12, minute)
    if half == "am":
        return (hour, minute)
    if half == "pm":
        return (hour + 12, minute)
    return (hour if hour >= w.DAY_RULE_FIRST_MORNING_HOUR else hour + 12, minute)


def _period_day(p: Phrase, today: date) -> date:
    assert p.period is not None
    edge, which, ahead = p.period
    if which == "day":
        return today + timedelta(days=ahead)
    if which == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=ahead)
        return monday if edge == "start" else monday + timedelta(days=4)
    if which == "month":
        first = _add_months(today.replace(day=1), ahead)
        if edge == "start":
            return first
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    year = today.year + ahead
    return date(year, 1, 1) if edge == "start" else date(year, 12, 31)


def _time_for_day(p: Phrase, default_hour: int) -> tuple[int, int]:
    if p.clock is not None:
        return p.clock
    if p.loose is not None:
        half = w.PARTS[p.part][1] if p.part else "day"
        return _half(*p.loose, half)
    if p.part is not None:
        return (w.PARTS[p.part][0], 0)
    if p.period is not None and p.period[0] == "end":
        return (w.END_OF_DAY_HOUR, 0)
    return (default_hour, 0)


def _loose_next(p: Phrase, now: datetime, zone: ZoneInfo) -> datetime:
    """'at 9' with no day: the next 9 o'clock in waking hours (today or tomorrow)."""
    assert p.loose is not None
    hour, minute = p.loose
    today = now.astimezone(zone).date()
    low, high = w.WAKING_HOURS
    for day in (today, today + timedelta(days=1)):
        for h in (hour % 12, hour % 12 + 12):
            at = _at(day, (h, minute), zone)
            if low <= h <= high and at > now:
                return at
    return _at(today + timedelta(days=1), _half(hour, minute, "day"), zone)


def candidates(p: Phrase, now: datetime, tz: str, default_hour: int) -> list[datetime]:
    """Every instant the phrase can mean (one, or two for 03/04). Raises Unreal for a
    day that does not exist; OverflowError for one beyond the calendar."""
    now = now.astimezone(UTC)  # elapsed-time arithmetic happens in UTC
    zone = ZoneInfo(p.zone or tz)
    today = now.astimezone(zone).date()
    if p.shift is not None:
        moved = _shifted(p, now, zone)
        if isinstance(moved, datetime):
            return [moved]
        day, keep = moved
        return [_at(day, _time_for_day(p, default_hour) if p.has_time else keep, zone)]
    clock = _time_for_day(p, default_hour)
    if p.month_days:
        out = []
        for month, mday in p.month_days:
            years = [p.year] if p.year is not None else [today.year, today.year + 1]
            for year in years:
                try:
                    at = _at(date(year, month, mday), clock, zone)
                except ValueError:
                    continue
                if p.year is not None or at > now:
                    out.append(at)
                    break
        if not out:
            raise Unreal("no such day")
        return out
    if p.month_day_only is not None:
        for ahead in range(0, 13):
            first = _add_months(today.replace(day=1), ahead)
            if p.month_day_only <= calendar.monthrange(first.year, first.month)[1]:
                at = _at(first.replace(day=p.month_day_only), clock, zone)
                if at > now:
                    return [at]
        raise Unreal("no such day")
    if p.weekday is not None:
        gap = (p.weekday - today.weekday()) % 7
        day = today + timedelta(days=gap)
        if gap == 0 and (p.weekday_next or _at(day, clock, zone) <= now):
            day += timedelta(days=7)
        return [_at(day, clock, zone)]
    if p.period is not None:
        day = _period_day(p, today)
        at = _at(day, clock, zone)
        if at <= now and p.period[2] == 0 and p.period[1] != "day":
            p.period = (p.period[0], p.period[1], 1)
            at = _at(_period_day(p, today), clock, zone)
        return [at]
    if p.days is not None:
        return [_at(today + timedelta(days=p.days), clock, zone)]
    if p.loose is not None and p.part is None:
        return [_loose_next(p, now, zone)]
    at = _at(today, clock, zone)
    if at <= now and not p.today_only:
        at = _at(today + timedelta(days=1), clock, zone)
    return [at]
