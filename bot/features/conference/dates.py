"""Calendar dates from a member's words ("2027-04-10", "10 Apr 2027", "April 10"),
read relative to today in a given zone. Numeric day/month forms such as 04/05
are refused: members write them both ways round."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import dateparser

from bot.errors import UserError

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_AMBIGUOUS = re.compile(r"^\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?$")


def today_in(now: datetime, tz: str) -> date:
    return now.astimezone(ZoneInfo(tz)).date()


def at_local(day: date, when: time, tz: str) -> datetime:
    """`when` on `day` in zone `tz`, as aware UTC (a time skipped by a clock change
    moves forward with it, as zoneinfo does)."""
    local = datetime.combine(day, when, tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC)


def parse_day(text: str, today: date, what: str) -> date:
    raw = text.strip()
    example = f"like {today.year + 1}-04-15 or 15 Apr {today.year + 1}"
    if _ISO.match(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise UserError(f"{what.capitalize()} '{raw}' is not a real date; {example}.") from None
    if _AMBIGUOUS.match(raw):
        raise UserError(
            f"{what.capitalize()} '{raw[:20]}' could be read two ways; write it {example}."
        )
    found = None
    if re.search(r"[A-Za-z]", raw) and len(raw) <= 40:
        try:
            found = dateparser.parse(
                raw,
                languages=["en"],
                settings={
                    "RELATIVE_BASE": datetime.combine(today, time(12)),
                    "PREFER_DATES_FROM": "future",
                    "RETURN_AS_TIMEZONE_AWARE": False,
                },
            )
        except (ValueError, OverflowError):
            found = None
    if found is None:
        raise UserError(f"I couldn't read {what} '{raw[:40]}' as a date; write it {example}.")
    return found.date()


def day_label(day: date) -> str:
    return day.strftime("%a %d %b %Y")
