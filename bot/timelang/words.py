"""The vocabulary of the time language, as tables: what each word means.

The grammar (grammar.py) only looks words up here, so a new spelling or a
zone abbreviation is a one-line change."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import available_timezones

MONTHS: dict[str, int] = {}
for _n, _names in enumerate(
    (
        ("jan", "january"),
        ("feb", "february"),
        ("mar", "march"),
        ("apr", "april"),
        ("may",),
        ("jun", "june"),
        ("jul", "july"),
        ("aug", "august"),
        ("sep", "sept", "september"),
        ("oct", "october"),
        ("nov", "november"),
        ("dec", "december"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _n
        MONTHS[_name + "."] = _n

WEEKDAYS: dict[str, int] = {}
for _n, _names in enumerate(
    (
        ("mon", "monday"),
        ("tue", "tues", "tuesday"),
        ("wed", "weds", "wednesday"),
        ("thu", "thur", "thurs", "thursday"),
        ("fri", "friday"),
        ("sat", "saturday"),
        ("sun", "sunday"),
    )
):
    for _name in _names:
        WEEKDAYS[_name] = _n

# Day words: how many days from today.
DAY_WORDS = {"yesterday": -1, "today": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1, "tomorow": 1}

# Parts of a day: the hour they mean alone, and which half of the clock an
# hour-only time in them is on ("am", "pm", or "day": 7-11 am, 12-6 pm).
PARTS: dict[str, tuple[int, str]] = {
    "morning": (9, "am"),
    "afternoon": (15, "pm"),
    "evening": (18, "pm"),
    "tonight": (20, "pm"),
    "night": (20, "pm"),
    "lunchtime": (12, "day"),
}
# Named clock times.
CLOCK_WORDS = {"noon": (12, 0), "midday": (12, 0), "midnight": (0, 0)}
# An hour-only time on a given day: 7-11 are mornings, 12-6 afternoons and evenings.
DAY_RULE_FIRST_MORNING_HOUR = 7
# An hour-only time with no day: the next such hour between these (inclusive).
WAKING_HOURS = (6, 22)
END_OF_DAY_HOUR = 17  # "end of the day/week/month" mean the close of that working day

UNITS = {
    "min": "minutes",
    "mins": "minutes",
    "minute": "minutes",
    "minutes": "minutes",
    "m": "minutes",
    "hr": "hours",
    "hrs": "hours",
    "hour": "hours",
    "hours": "hours",
    "h": "hours",
    "day": "days",
    "days": "days",
    "d": "days",
    "week": "weeks",
    "weeks": "weeks",
    "wk": "weeks",
    "wks": "weeks",
    "w": "weeks",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
}
COUNT_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "couple": 2,
    "few": 3,
}
PERIODS = ("day", "week", "month", "year")

# Zone abbreviations members write after a time. Each names the place's zone,
# so "3pm ET" is 15:00 New York time in summer and winter alike.
ZONE_WORDS = {
    "et": "America/New_York",
    "est": "America/New_York",
    "edt": "America/New_York",
    "eastern": "America/New_York",
    "ct": "America/Chicago",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "central": "America/Chicago",
    "mt": "America/Denver",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mountain": "America/Denver",
    "pt": "America/Los_Angeles",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "utc": "UTC",
    "gmt": "UTC",
    "bst": "Europe/London",
    "uk": "Europe/London",
    "cet": "Europe/Berlin",
    "cest": "Europe/Berlin",
    "ist": "Asia/Kolkata",
    "india": "Asia/Kolkata",
}


@lru_cache(maxsize=1)
def cities() -> dict[str, str]:
    """'london' -> 'Europe/London', 'new york' -> 'America/New_York' (from the IANA list)."""
    out: dict[str, str] = {}
    for zone in sorted(available_timezones()):
        if "/" not in zone or zone.startswith(("Etc/", "posix/", "right/", "SystemV/")):
            continue
        city = zone.rsplit("/", 1)[1].replace("_", " ").lower()
        out.setdefault(city, zone)
    out.update({"delhi": "Asia/Kolkata", "mumbai": "Asia/Kolkata", "bangalore": "Asia/Kolkata"})
    out.update({"boston": "America/New_York", "washington": "America/New_York"})
    out.update({"san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles"})
    return out


@lru_cache(maxsize=1)
def zone_names() -> dict[str, str]:
    """'europe/london' -> 'Europe/London'."""
    return {z.lower(): z for z in available_timezones() if "/" in z}
