"""The time language: one reader of "when" for every command that takes a time
(/remind, /remind snooze, /letters, /conference add, /group set, /research
deadline, /mentor round publish).

`read_start` reads the time that leads a line ("tomorrow at 9 email Dr Rao"),
`read_whole` a field that is only a time, `find_day` a date inside a line
("Dr Sam Lee Sept 15 ERAS"), `read_day` a date field, `leading` where a date
that leads a line ends, and `read_clock` a clock time. Nothing is guessed where
a wrong guess costs the member: a numeric date with two readings, a date
without a year more than six months away, and anything only dateparser could
read come back as `NeedsChoice`, for the member to pick. Every refusal is a
`Worded` error whose text is in content/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import dateparser

from bot.errors import Worded
from bot.timelang import grammar
from bot.timelang.grammar import Phrase
from bot.timelang.resolve import Unreal, candidates

ASK_BEYOND = timedelta(days=183)  # a date without a year further than this: ask first
MAX_AHEAD = timedelta(days=5 * 366)
_MAX_LEN = 200
_QUOTES = "\"“”'"


@dataclass(frozen=True)
class Reading:
    at: datetime  # aware UTC
    end: int  # characters of the text the time took
    zone: str | None  # the zone the phrase named ("9am London time"), else None
    has_time: bool  # a time of day was said (else the default hour was used)


class NeedsChoice(Worded):
    """The member must pick: two readings of 03/04, or a far or guessed date to confirm."""

    def __init__(self, key: str, readings: tuple[Reading, ...], tz: str, shown: str) -> None:
        super().__init__(key, text=shown)
        self.readings = readings
        self.tz = tz
        self.start = 0  # where the phrase starts in the text it was found in

    @property
    def end(self) -> int:
        return self.start + self.readings[0].end


def _unreadable(text: str) -> Worded:
    return Worded("time_unreadable", text=_shown(text))


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text[:60] + ("…" if len(text) > 60 else "")


def stamp(at: datetime, tz: str) -> str:
    """'Thu 11 Mar 2027, 21:00 EST (America/New_York)': weekday, date, time and zone."""
    local = at.astimezone(ZoneInfo(tz))
    return f"{local:%a %d %b %Y, %H:%M} {local.tzname()} ({tz})"


def _finish(
    p: Phrase,
    text: str,
    now: datetime,
    tz: str,
    default_hour: int,
    max_ahead: timedelta,
    *,
    days: bool = False,
) -> Reading:
    """Check a phrase's readings: real, ahead, not too far; ask when unsure. For a
    date field (`days`) a past day is returned: the command says what it means."""
    if p.year is not None and p.year > (now + max_ahead).year:
        raise Worded("time_too_far", years=max_ahead.days // 365)
    if p.year is not None and p.year < 1900:
        raise Worded("time_no_such_day", text=_shown(text[: p.end]))
    try:
        found = candidates(p, now, tz, default_hour)
    except Unreal:
        raise Worded("time_no_such_day", text=_shown(text[: p.end])) from None
    except OverflowError:
        raise Worded("time_too_far", years=max_ahead.days // 365) from None
    readings = tuple(Reading(at, p.end, p.zone, p.has_time) for at in found)
    ahead = tuple(r for r in readings if r.at > now)
    if not ahead and days:
        return readings[0]
    if not ahead:
        raise Worded("time_past", when=stamp(readings[0].at, p.zone or tz))
    if any(r.at - now > max_ahead for r in ahead):
        raise Worded("time_too_far", years=max_ahead.days // 365)
    if len(ahead) > 1:
        raise NeedsChoice("time_ambiguous", ahead, tz, _shown(text[: p.end]))
    if p.month_days and p.year is None and ahead[0].at - now > ASK_BEYOND:
        raise NeedsChoice("time_far", ahead, tz, _shown(text[: p.end]))
    return ahead[0]


def read_start(
    text: str,
    now: datetime,
    tz: str,
    *,
    default_hour: int = 9,
    max_ahead: timedelta = MAX_AHEAD,
) -> Reading | None:
    """The time leading `text`, or None when no time leads it."""
    p = grammar.read(text[: _MAX_LEN * 2])
    if not p.used or not (p.has_day or p.has_time or p.shift):
        return None
    return _finish(p, text, now, tz, default_hour, max_ahead)


def read_whole(
    text: str,
    now: datetime,
    tz: str,
    *,
    default_hour: int = 9,
    max_ahead: timedelta = MAX_AHEAD,
) -> Reading:
    """`text` is only a time. What the grammar cannot read, dateparser may: that
    reading is offered for confirmation, never taken silently."""
    raw = text.strip()
    if len(raw) > _MAX_LEN:
        raise _unreadable(raw)
    found = read_start(raw, now, tz, default_hour=default_hour, max_ahead=max_ahead)
    if found is not None and not raw[found.end :].strip(" .,!"):
        return found
    guess = _dateparser(raw, now, tz)
    if guess is None or guess <= now or guess - now > max_ahead:
        raise _unreadable(raw)
    raise NeedsChoice("time_guess", (Reading(guess, len(raw), None, True),), tz, _shown(raw))


def _dateparser(raw: str, now: datetime, tz: str) -> datetime | None:
    if len(raw) > 40 or not re.search(r"[A-Za-z]{3}", raw):
        return None  # numbers alone are the grammar's (dateparser guesses at them)
    zone = ZoneInfo(tz)
    try:
        found = dateparser.parse(
            raw,
            languages=["en"],
            settings={
                "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None),
                "PREFER_DATES_FROM": "future",
                "RETURN_AS_TIMEZONE_AWARE": False,
                "STRICT_PARSING": True,
            },
        )
    except (ValueError, OverflowError, TypeError):
        return None
    if found is None:
        return None
    try:
        return found.replace(microsecond=0, tzinfo=zone).astimezone(ZoneInfo("UTC"))
    except OverflowError:
        return None


def find_day(
    text: str,
    now: datetime,
    tz: str,
    *,
    default_hour: int = 23,
    max_ahead: timedelta = MAX_AHEAD,
) -> tuple[str, Reading, str] | None:
    """The first calendar date inside `text` ('Sept 15', '09/15/2027', 'end of month';
    not a weekday, which may be part of a name): (the words before, it, the words after)."""
    for word in _word_starts(text):
        start = word + 1 if text[word] in _QUOTES else word  # '"12 Apr 2027"'
        rest = text[start:]
        p = grammar.read(rest[: _MAX_LEN * 2])
        if p.used and (p.month_days or p.period or p.month_day_only):
            try:
                found = _finish(p, rest, now, tz, default_hour, max_ahead, days=True)
            except NeedsChoice as exc:
                exc.start = start
                raise
            end = start + found.end
            if start > word and text[end : end + 1] in _QUOTES:
                end += 1
            return text[:word].strip(), found, text[end:].strip()
    return None


def _word_starts(text: str) -> list[int]:
    starts, prev = [], " "
    for i, ch in enumerate(text):
        if not ch.isspace() and prev.isspace():
            starts.append(i)
        prev = ch
    return starts


def local_day(reading: Reading, tz: str) -> date:
    return reading.at.astimezone(ZoneInfo(reading.zone or tz)).date()


def read_day(text: str, now: datetime, tz: str, *, max_ahead: timedelta = MAX_AHEAD) -> date:
    """A date field ('2027-04-15', 'Sept 15', 'end of month', '09/15/2027') as a local date."""
    raw = text.strip()
    p = grammar.read(raw[:_MAX_LEN])
    if p.used and p.has_day and not raw[p.end :].strip(" .,!"):
        return local_day(_finish(p, raw, now, tz, 23, max_ahead, days=True), tz)
    try:
        return local_day(read_whole(raw, now, tz, default_hour=23, max_ahead=max_ahead), tz)
    except Worded as exc:
        if exc.key != "time_unreadable":
            raise
        raise Worded("day_unreadable", text=_shown(raw)) from None  # a day's examples, not times


def leading(text: str) -> int:
    """How many characters of `text` a leading date or time takes (0 when none leads):
    where a typed line's date ends and its other words begin."""
    p = grammar.read(text[: _MAX_LEN * 2])
    return p.end if p.used and (p.has_day or p.has_time or p.shift) else 0


def read_clock(text: str) -> tuple[int, int] | None:
    """A clock time with no day ('9am', '18:30', '9' for 09:00, 'evening'), or None."""
    p = grammar.read("at " + text.strip())
    if not p.used or p.has_day or p.shift or p.zone or text.strip()[p.end - 3 :].strip():
        return None
    if not p.has_time:
        return None
    p.days = 0  # on a given day: "9" is 09:00, "6" is 18:00
    midnight = datetime.combine(date(2000, 1, 3), time(0), ZoneInfo("UTC"))
    at = candidates(p, midnight, "UTC", 9)[0]
    return at.hour, at.minute
