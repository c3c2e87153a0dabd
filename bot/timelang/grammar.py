"""The grammar of one-off times: words in, a `Phrase` (what was said) out.

A phrase is a run of parts in any order ("tomorrow at 9", "9am tomorrow",
"Sept 15 at 10am London time"). Each part is read by one small matcher from
the table at the bottom; reading stops at the first word no matcher takes, so
what follows is the member's text. Nothing here knows the clock: resolve.py
turns a Phrase into an instant."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.timelang import words as w

_TOKEN = re.compile(
    r"[A-Za-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?"  # an IANA zone name
    r"|\d[\d/:.\-]*(?:\s?[ap]\.?m\b\.?|[A-Za-z]+)?"  # numbers, 9am, 9 am, 15th, 2027-01-15, 30m
    r"|[A-Za-z]+(?:['’][A-Za-z]+)?\.?"  # words, sept., o'clock
    r"|,"
    r"|\S"  # anything else is a token no matcher takes, so it ends the phrase
)
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s?(?:([ap])\.?m\.?)?$")
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})(?:\2(\d{2}|\d{4}))?$")
_SHORT_SPAN = re.compile(r"^(\d{1,20})(mins?|m|hrs?|h|d|w|wks?)$")
_YEAR = re.compile(r"^\d{4}$")
_CONNECTORS = {"at", "on", "by", ",", "the", "around", "@"}


@dataclass(frozen=True)
class Token:
    text: str  # lowercased
    end: int  # where it ends in the original text


@dataclass
class Phrase:
    """What a phrase said, before any clock is looked at."""

    days: int | None = None  # today 0, tomorrow 1
    weekday: int | None = None
    weekday_next: bool = False  # "next monday": never today
    month_days: list[tuple[int, int]] = field(default_factory=list)  # (month, day) readings
    year: int | None = None
    month_day_only: int | None = None  # "on the 15th"
    period: tuple[str, str, int] | None = None  # ("end"|"start", "day".."year", 0 this/1 next)
    shift: tuple[int, str] | None = None  # (count, unit) from "in 3 days"
    clock: tuple[int, int] | None = None  # an exact wall-clock time
    loose: tuple[int, int] | None = None  # "at 9", "8:30": the half of the day from context
    part: str | None = None  # morning, evening, tonight, ...
    today_only: bool = False  # "this evening", "tonight": today or not at all
    zone: str | None = None
    numeric: bool = False  # the date was written in digits
    end: int = 0  # where the phrase ends in the text
    used: int = 0  # parts read

    @property
    def has_day(self) -> bool:
        return (
            self.days is not None
            or self.weekday is not None
            or bool(self.month_days)
            or self.month_day_only is not None
            or self.period is not None
        )

    @property
    def has_time(self) -> bool:
        return self.clock is not None or self.loose is not None or self.part is not None


def tokens(text: str) -> list[Token]:
    return [Token(m.group(0).lower(), m.end()) for m in _TOKEN.finditer(text)]


def read(text: str) -> Phrase:
    """The longest time phrase at the start of `text` (Phrase.used == 0: none)."""
    toks = tokens(text)
    phrase, i = Phrase(), 0
    while i < len(toks):
        j = i
        while j < len(toks) and toks[j].text in _CONNECTORS:
            j += 1
        taken = _one_part(toks, j, phrase, after_at=j > i and toks[j - 1].text in {"at", "@"})
        if taken is None:
            break
        i = taken
        phrase.used += 1
        phrase.end = toks[i - 1].end
    return phrase


def _one_part(toks: list[Token], i: int, p: Phrase, *, after_at: bool) -> int | None:
    if i >= len(toks):
        return None
    for matcher in MATCHERS:
        j = matcher(toks, i, p, after_at)
        if j is not None:
            return j
    return None


def _word(toks: list[Token], i: int) -> str:
    return toks[i].text if i < len(toks) else ""


def _number(word: str) -> int | None:
    if word.isdecimal() and len(word) <= 20:
        return int(word)
    return w.COUNT_WORDS.get(word)


# ---------------------------------------------------------------- matchers
# Each takes (tokens, index, phrase, after "at"?) and returns the index after
# what it read, having filled the phrase, or None to leave it to the next.


def _relative(toks: list[Token], i: int, p: Phrase, after_at: bool) -> int | None:
    """'in 3 days', 'in an hour', 'in half an hour', 'in a couple of weeks', '2 hours from now'."""
    if p.shift or p.has_day or p.has_time:
        return None
    start = i + 1 if _word(toks, i) == "in" else i
    j, count = start, None
    if (
        _word(toks, j) == "half"
        and _word(toks, j + 1) in {"an", "a"}
        and _word(toks, j + 2) in {"hour"}
    ):
        p.shift = (30, "minutes")
        return j + 3
    short = _SHORT_SPAN.match(_word(toks, j))
    if short and start > i:
        count, unit = int(short.group(1)), w.UNITS[short.group(2).rstrip("s") or "m"]
        p.shift = (count, unit)
        return j + 1
    if _word(toks, j) == "a" and _word(toks, j + 1) in {"couple", "few"}:
        j += 1
    count = _number(_word(toks, j))
    if count is None:
        return None
    j += 1
    if _word(toks, j) == "of":
        j += 1
    named = w.UNITS.get(_word(toks, j))
    if named is None or len(_word(toks, j)) == 1:
        return None
    j += 1
    if start == i:  # no "in": only "N units from now" / "N units later"
        if _word(toks, j) == "from" and _word(toks, j + 1) == "now":
            j += 2
        elif _word(toks, j) == "later":
            j += 1
        else:
            return None
    p.shift = (count, named)
    return j


def _iso(toks: list[Token], i: int, p: Phrase, after_at: bool) -> int | None:
    m = _ISO.match(_word(toks, i))
    if not m or p.has_day:
        return None
    p.year, p.month_days = int(m.group(1)), [(int(m.group(2)), int(m.group(3)))]
    p.numeric = True
    return i + 1


def _numeric(toks: list[Token], i: int, p: Phrase, after_at: bool) -> int | None:
    """'09/15/2027', '15/09', '3/4/27', '15.09.2027': every reading that is a real day."""
    m = _NUMERIC.match(_word(toks, i))
    if not m or p.has_day or (m.group(2) == "." and not m.group(4)):
        return None  # "9.30" is a time
    a, b = int(m.group(1)), int(m.group(3))
    readings = [(a, b), (b, a)]  # month/day (US), then day/month
    p.month_days = list(dict.fromkeys(r for r in readings if 1 <= r[0] <= 12 and 1 <= r[1] <= 31))
    if not p.month_days:
        p.month_days = [(a, b)]  # not a date either way: resolve says so
    year = m.group(4)
    if year:
        p.year = int(year) + (2000 if len(year) == 2 else 0)
    p.numeric = True
    return i + 1


def _year(toks: list[Token], j: int, p: Phrase) -> int:
    if _word(toks, j) == "," and _YEAR.match(_word(toks, j + 1)):
        j += 1
    if _YEAR.match(_word(toks, j)):
        p.year = int(_word(toks, j))
        return j + 1
    return j


def _month_name(toks: list[Token], i: int, p: Phrase, after_at: bool) -> int | None:
    """'Sept 15', 'September 15th, 2027', '15 Sept', 'the 15th of September 2027'."""
    if p.has_day:
        return None
    month = w.MONTHS.get(_word(toks, i))
    if month is not None:
        j = i + 1
        if _word(toks, j) == "the":
            j += 1
        day = _ORDINAL.match(_word(toks, j))
        if not day:
            return None
        p.month_days = [(month, int(day.group(1)))]
        return _year(toks, j + 1, p)
    day = _ORDINAL.match(_word(toks, i))
    if not day:
        return None
    j = i + 1
    if _word(toks, j) == "of":
        j += 1
    month = w.MONTHS.get(_word(toks, j))
    if month is None:
        if re.search(r"(st|nd|rd|th)$", _word(toks, i)):  # "on the 15th"
            p.month_day_only = int(day.group(1))
            return i + 1
        return None
    p.month_days = [(month, int(day.group(1)))]
    return _year(toks, j + 1, p)


def _day_word(toks: list[Token], i: int, p: Phrase, after_at: bool) -> int | None:
    word = _word(toks, i)
    if p.has_day:
        return None
    if word == "day" and _word(toks, i + 1) == "after" and _word(toks, i + 2) == "tomorrow":
        p.days = 2
        return i + 3
    if word in w.DAY_WORDS:
        p.days = w.DAY_WORDS[word]
        return i + 1
    if word == "tonight" and p.part is None:
        p.days, p.part, p.today_only = 0, "tonight", True
        return i + 1
    return None


def _weekday(toks: list[Token], i: int, p: Phrase, after_at: bool) -> int | None:
    """'monday', 'next tuesday', 'this friday', 'coming thursday'."""
    if p.has_day:
        return None
    j, strict = i, False
    if _word(toks, j) in {"next", "this", "coming"}:
        strict, j = _word(toks, j) == "next", j + 1
    day = w.WEEKDAYS.get(_word(toks, j).rstrip("."))
    if day is None:
        return None
    p.weekday, p.weekday_next = day, strict
    return j + 1


def _period(toks: list[Token], i: int, p: Phrase, after_at: bool) -> int | None:
    """'end of (the) month', 'end of next week', 'eod', 'start of next month',
    'next week', 'next month', 'this weekend'."""
    if p.has_day:
        return None
    word = _word(toks, i)
    short = {"eod": ("end", "day", 0), "eow": ("end", "week", 0), "eom": ("end", "month", 0)}
    if word in short:
        p.period = short[word]
        return i + 1
    if word in {"next", "this"} and _word(toks, i + 1) in {"weekend", "week", "month", "year"}:
        which = _word(toks, i + 1)
        if which == "weekend":
            p.weekday = 5
            return i + 2
        if word == "this":
            return None
        p.period = ("start", which, 1)
        return i + 2
    if word in {"weekend"}:
        p.weekday = 5
        return i + 1
    if word not in {"end", "start", "beginning"} or _word(toks, i + 1) != "of":
        return None
    j, ahead = i + 2, 0
    if _word(toks, j) in {"the", "this"}:
        j += 1
    elif _word(toks, j) == "next":
        j, ahead = j + 1, 1
    elif _word(toks, j) in w.DAY_WORDS and _word(toks, j) == "today":
        p.period = ("end", "day", 0)
        return j + 1
    which = _word(toks, j)
    if which not in w.PERIODS:
        return None
    p.period = ("end" if word == "end" else "start", which, ahead)
    if p.period[0] == "start" and ahead == 0:
        p.period = ("start", which, 1)  # "start of the month" has passed: the next one
    return j + 1


def _clock(toks: list[Token], i: int, p: Phrase, after_at: bool) -> int | None:
    """'9am', '9:30', '21:00', '9 pm', 'noon', 'at 9' (an hour only), '9 o'clock'."""
    if p.clock is not None or p.loose is not None:
        return None
    word = _word(toks, i)
    if word in w.CLOCK_WORDS:
        p.clock = w.CLOCK_WORDS[word]
        return i + 1
    m = _CLOCK.match(word)
    if not m:
        return None
    hour, minute, half = int(m.group(1)), m.group(2), m.group(3)
    j = i + 1
    nxt = _word(toks, j)
    if half is None and nxt in {"am", "pm", "a.m.", "p.m.", "a.m", "p.m"}:
        half, j = nxt[0], j + 1
    if half is None and nxt == "o'clock":
        j += 1
        after_at = True
    if half:
        if not 1 <= hour <= 12 or int(minute or 0) > 59:
            return None
        p.clock = (hour % 12 + (12 if half == "p" else 0), int(minute or 0))
        return j
    if minute is not None:
        if hour > 23 or int(minute) > 59:
            return None
        if 1 <= hour <= 12 and not word.startswith("0"):
            p.loose = (hour, int(minute))  # "8:30": morning or evening from context
        else:
            p.clock = (hour, int(minute))
        return j
    if not after_at or hour > 23:
        return None  # a bare number is text ("tomorrow 2 papers") unless "at" leads it
    if 13 <= hour <= 23 or hour == 0:
        p.clock = (hour, 0)
    else:
        p.loose = (hour, 0)
    return j


def _part(toks: list[Token], i: int, p: Phrase, after_at: bool) -> int | None:
    """'morning', 'this evening', 'in the afternoon', 'tomorrow night'."""
    if p.part is not None:
        return None
    j, this = i, False
    if _word(toks, j) == "this":
        this, j = True, j + 1
    elif _word(toks, j) == "in" and _word(toks, j + 1) == "the":
        j += 2
    word = _word(toks, j)
    if word not in w.PARTS or word == "tonight":
        return None
    if this:
        if p.has_day and p.days != 0:
            return None
        p.days, p.today_only = 0, True
    p.part = word
    return j + 1


def _zone(toks: list[Token], i: int, p: Phrase, after_at: bool) -> int | None:
    """'ET', 'London time', 'New York time', 'Europe/Berlin', 'in Berlin time'."""
    if p.zone is not None or not (p.has_time or p.has_day):
        return None
    j = i + 1 if _word(toks, i) == "in" else i
    word = _word(toks, j)
    if word in w.zone_names():
        p.zone = w.zone_names()[word]
        return j + 1
    if word in w.ZONE_WORDS:
        p.zone = w.ZONE_WORDS[word]
        return j + 2 if _word(toks, j + 1) == "time" else j + 1
    for size in (3, 2, 1):
        city = " ".join(_word(toks, k) for k in range(j, j + size))
        if city in w.cities() and _word(toks, j + size) == "time":
            p.zone = w.cities()[city]
            return j + size + 1
    return None


MATCHERS: tuple[Callable[[list[Token], int, Phrase, bool], int | None], ...] = (
    _relative,
    _iso,
    _numeric,
    _month_name,
    _day_word,
    _period,
    _weekday,
    _part,
    _clock,
    _zone,
)
