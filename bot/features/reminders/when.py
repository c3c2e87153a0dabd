"""Reading "when" for reminders, in the member's zone.

One-off times are the core's time language (bot/timelang), always relative to
the injected clock. Repeats ("every 2 weeks on friday at 8am", "every month on
the 1st", "every weekday at 7am") are read by a small grammar here and become
the scheduling engine's cron, calendar or interval recurrences, computed in the
member's zone. `split` finds where the time ends and the reminder text begins."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot import timelang
from bot.errors import UserError, Worded
from bot.scheduling.recurrence import next_after, period
from bot.timelang import words

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# The time language's words, in the forms a repeat reads them.
_DAY_WORDS = {name: WEEKDAYS[n] for name, n in words.WEEKDAYS.items()}
_DAY_WORDS |= {name + "s": day for name, day in _DAY_WORDS.items() if name.endswith("day")}
_UNITS = {**words.UNITS, **dict.fromkeys(("sec", "secs", "second", "seconds"), "seconds")}
_ADVERBS = {
    "hourly": (1, "hours"),
    "daily": (1, "days"),
    "weekly": (1, "weeks"),
    "fortnightly": (2, "weeks"),
    "monthly": (1, "months"),
}
_NUMBERS = {**words.COUNT_WORDS, "other": 2}
_TOKEN = re.compile(r"[A-Za-z]+\.[A-Za-z]\.?|[A-Za-z0-9:.]+|[,&/]")
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(am|pm|a\.m\.?|p\.m\.?)?$")
_ORDINAL = re.compile(r"^(\d{1,2})(st|nd|rd|th)?$")
_DURATION_PART = re.compile(
    r"(\d{1,5})\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|s|secs?|seconds?)(?![a-z])",
    re.IGNORECASE,
)
_LEAD_WORDS = re.compile(r"^(?:to|that|about|:|-|–|—)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Rules:
    """Limits read from the pack's `reminders` section."""

    default_hour: int = 9
    min_interval: timedelta = timedelta(minutes=1)
    max_ahead: timedelta = timedelta(days=5 * 366)


@dataclass(frozen=True)
class When:
    due_at: datetime  # the first occurrence, aware UTC
    recurrence: dict[str, Any] | None = None
    every: str | None = None  # the repeat in words, e.g. "every 2 weeks on Friday at 08:00"
    zone: str | None = None  # the zone the member named ("9am London time"), if any


def split(text: str, now: datetime, tz: str, rules: Rules) -> tuple[When, str]:
    """'<when> <what>', or '<what> <when>' as Slack's own /remind takes it ('to call
    Dr Lee tomorrow at 5pm') -> (When, what). Raises a Worded error when no time
    leads or ends the text."""
    text = text.strip()
    quoted = re.match(r"^[\"“']([^\"”']+)[\"”']\s*(.*)$", text, re.DOTALL)
    if quoted:
        return parse(quoted.group(1), now, tz, rules), _what(quoted.group(2))
    repeat = _Repeat.read(text)
    if repeat is not None:
        when = repeat.build(now, tz, rules)
        return when, _what(text[repeat.end :])
    found = timelang.read_start(
        text, now, tz, default_hour=rules.default_hour, max_ahead=rules.max_ahead
    )
    if found is None:
        return _when_last(text, now, tz, rules)
    return When(found.at, zone=found.zone), _what(text[found.end :])


# The words a time said after its reminder starts with: "... tomorrow at 5pm",
# "... on friday", "... in 3 days", "... every monday". A name ("email Dr May")
# starts none of them, so it stays in the reminder.
_LAST_LEADS = frozenset(
    {"at", "on", "in", "by", "tonight", "next", "this", "every", "each", "noon", "midday"}
    | {"midnight", "end", *words.DAY_WORDS, *_ADVERBS, *_DAY_WORDS}
)
_TIME_THEN_REPEAT = re.compile(r"^(at\s+\S+(?:\s*[ap]\.?m\.?)?)\s+((?:every|each)\b.*)$", re.I)
_LAST_WORDS = 8  # a time said last is a few words; longer tails are the reminder's


def _when_last(text: str, now: datetime, tz: str, rules: Rules) -> tuple[When, str]:
    """The longest tail of `text` that is wholly a time, and the reminder before it.
    A tail read as a time but refused (already passed) is refused, not shortened."""
    starts = [m.start() for m in re.finditer(r"\S+", text)][1:][-_LAST_WORDS:]
    for at in starts:  # the longest tail first
        tail = text[at:]
        if tail.split(None, 1)[0].lower() not in _LAST_LEADS:
            continue
        turned = _TIME_THEN_REPEAT.match(tail)  # "at 3pm every day": the repeat first
        try:
            when = parse(f"{turned[2]} {turned[1]}" if turned else tail, now, tz, rules)
        except Worded as exc:
            if exc.key != "time_unreadable":
                raise
            continue
        return when, _what(text[:at]).rstrip(" ,;:-")
    raise Worded("time_unreadable", text=text[:60])


def parse(phrase: str, now: datetime, tz: str, rules: Rules) -> When:
    """The whole phrase is a time (one-off or repeat)."""
    phrase = phrase.strip()
    repeat = _Repeat.read(phrase)
    if repeat is not None:
        if phrase[repeat.end :].strip():
            raise Worded("time_unreadable", text=phrase[:60])
        return repeat.build(now, tz, rules)
    found = timelang.read_whole(
        phrase, now, tz, default_hour=rules.default_hour, max_ahead=rules.max_ahead
    )
    return When(found.at, zone=found.zone)


def duration(text: str) -> timedelta | None:
    """'1h', '90 minutes', '2 days', '1h30m', 'a week' -> timedelta; None if it is not one."""
    raw = text.strip().lower()
    raw = re.sub(r"^(an?|one)\s+", "1 ", raw)
    parts = list(_DURATION_PART.finditer(raw))
    if not parts or re.sub(_DURATION_PART, "", raw).strip(" ,and") != "":
        return None
    total = timedelta()
    for m in parts:
        n, unit = int(m.group(1)), m.group(2)[0]
        total += {
            "s": timedelta(seconds=n),
            "m": timedelta(minutes=n),
            "h": timedelta(hours=n),
            "d": timedelta(days=n),
            "w": timedelta(weeks=n),
        }[unit]
    return total


def _what(rest: str) -> str:
    return _LEAD_WORDS.sub("", rest.strip(), count=1).strip()


def local(when: datetime, tz: str) -> str:
    """'Mon 11 Jan 2027, 09:00' in the given zone."""
    return when.astimezone(ZoneInfo(tz)).strftime("%a %d %b %Y, %H:%M")


@dataclass
class _Repeat:
    """A parsed 'every ...' phrase, before it becomes a recurrence."""

    count: int
    unit: str  # seconds minutes hours days weeks months years weekdays weekend
    days: list[str]  # weekday codes
    month_day: str | None  # "1".."31" or "last"
    at: time | None
    end: int  # where the phrase ends in the original text

    @classmethod
    def read(cls, text: str) -> _Repeat | None:
        toks = [(m.group(0).lower(), m.end()) for m in _TOKEN.finditer(text)]
        if not toks:
            return None
        i = 0
        count, unit = 1, ""
        days: list[str] = []
        first = toks[0][0]
        if first in _ADVERBS:
            count, unit = _ADVERBS[first]
            i = 1
        elif (lead := _leading_repeat(toks)) is not None:
            count, unit, days, day, i = lead
            rep = cls(count, unit, days, day, None, toks[i - 1][1])
            rep._read_clauses(toks, i)
            return rep
        elif first in ("every", "each"):
            i = 1
            if i < len(toks) and (toks[i][0].isdigit() or toks[i][0] in _NUMBERS):
                word = toks[i][0]
                count = int(word) if word.isdigit() else _NUMBERS[word]
                i += 1
            if i >= len(toks):
                return None
            word = toks[i][0]
            if word in _UNITS:
                unit = _UNITS[word]
                i += 1
            elif word in ("weekday", "weekdays"):
                unit, i = "weekdays", i + 1
            elif word in ("weekend", "weekends"):
                unit, i = "weekend", i + 1
            elif word in _DAY_WORDS:
                unit = "weeks"
                days, i = _read_days(toks, i)
            else:
                return None
        else:
            return None
        rep = cls(count, unit, days, None, None, toks[i - 1][1])
        rep._read_clauses(toks, i)
        return rep

    def _read_clauses(self, toks: list[tuple[str, int]], i: int) -> None:
        while i < len(toks):
            word = toks[i][0]
            if word == "on" and i + 1 < len(toks):
                j = i + 1
                if toks[j][0] == "the":
                    j += 1
                if j < len(toks) and toks[j][0] in _DAY_WORDS and not self.days:
                    self.days, i = _read_days(toks, j)
                elif j < len(toks) and toks[j][0] == "last":
                    j += 1
                    if j < len(toks) and toks[j][0] == "day":
                        j += 1
                    self.month_day, i = "last", j
                elif j < len(toks) and (m := _ORDINAL.match(toks[j][0])):
                    self.month_day, i = str(int(m.group(1))), j + 1
                elif j + 1 < len(toks) and toks[j][0] == "day" and toks[j + 1][0].isdigit():
                    self.month_day, i = str(int(toks[j + 1][0])), j + 2
                else:
                    break
            elif word == "at" and i + 1 < len(toks):
                at, j = _read_time(toks, i + 1, need_marker=False)
                if at is None:
                    break
                self.at, i = at, j
            elif word in words.PARTS:
                self.at, i = time(words.PARTS[word][0], 0), i + 1
            elif word in ("noon", "midday", "midnight") or _TIME.match(word):
                at, j = _read_time(toks, i, need_marker=True)
                if at is None:
                    break
                self.at, i = at, j
            else:
                break
            self.end = toks[i - 1][1]

    def _span(self) -> timedelta:
        """Roughly how long one step of the repeat is."""
        days = {"minutes": 1 / 1440, "hours": 1 / 24, "days": 1, "weeks": 7, "months": 31}
        return timedelta(days=min(self.count * days.get(self.unit, 1), 999_999))

    def describe(self) -> str:
        at = f" at {self.at:%H:%M}" if self.at else ""
        if self.unit in ("minutes", "hours"):
            what = self.unit[:-1] if self.count == 1 else f"{self.count} {self.unit}"
            return f"every {what}"
        if self.unit == "weekdays":
            return f"every weekday{at}"
        if self.unit == "weekend":
            return f"every Saturday and Sunday{at}"
        if self.unit == "days":
            return ("every day" if self.count == 1 else f"every {self.count} days") + at
        if self.unit == "weeks":
            names = _and([DAY_NAMES[WEEKDAYS.index(d)] for d in self.days])
            every = "every" if self.count == 1 else f"every {self.count} weeks on"
            return f"{every} {names}{at}"
        day = "the last day" if self.month_day == "last" else f"the {_ordinal(self.month_day)}"
        every = "every month" if self.count == 1 else f"every {self.count} months"
        return f"{every} on {day}{at}"

    def build(self, now: datetime, tz: str, rules: Rules) -> When:
        zone = ZoneInfo(tz)
        if self.unit == "seconds" or self.count < 1:
            raise UserError(_too_often(self, rules))
        if self.unit == "years":
            raise UserError(
                "I can't repeat yearly yet; set a one-off reminder with the date instead."
            )
        if self._span() > rules.max_ahead:  # "every 99999999 days" comes round never
            raise Worded("time_too_far", years=rules.max_ahead.days // 365)
        at = self.at or time(rules.default_hour, 0)
        local_now = now.astimezone(zone)
        recurrence: dict[str, Any]
        if self.unit in ("minutes", "hours"):
            if self.at or self.days or self.month_day:
                raise UserError(
                    "A repeat every few minutes or hours can't also have a day or a time."
                )
            recurrence = {"interval": {self.unit: self.count}, "start": now.isoformat()}
        elif self.unit in ("weekdays", "weekend"):
            if self.count != 1:
                raise UserError("Say `every weekday` or `every weekend`, without a number.")
            dow = "mon-fri" if self.unit == "weekdays" else "sat,sun"
            recurrence = {"cron": {"day_of_week": dow, "hour": at.hour, "minute": at.minute}}
        elif self.unit == "days":
            if self.days or self.month_day:
                raise UserError(
                    "For particular weekdays say `every monday and thursday`, not `every day`."
                )
            if self.count == 1:
                recurrence = {"cron": {"hour": at.hour, "minute": at.minute}}
            else:
                start = _first_date(local_now, at, lambda d: True)
                recurrence = _calendar({"days": self.count}, at, start)
        elif self.unit == "weeks":
            if self.month_day:
                raise UserError("A weekly repeat takes a weekday, like `on friday`.")
            if not self.days:
                self.days = [WEEKDAYS[_first_date(local_now, at, lambda d: True).weekday()]]
            if self.count == 1:
                recurrence = {
                    "cron": {
                        "day_of_week": ",".join(self.days),
                        "hour": at.hour,
                        "minute": at.minute,
                    }
                }
            elif len(self.days) > 1:
                raise UserError(
                    "I can repeat several weekdays only every week; for every "
                    f"{self.count} weeks pick one day."
                )
            else:
                wanted = WEEKDAYS.index(self.days[0])
                start = _first_date(local_now, at, lambda d: d.weekday() == wanted)
                recurrence = _calendar({"weeks": self.count}, at, start)
        else:  # months
            if self.days:
                raise UserError(
                    "A monthly repeat takes a day of the month, like `on the 1st`, "
                    "or `on the last day`."
                )
            if self.month_day is None:
                self.month_day = str(_first_date(local_now, at, lambda d: True).day)
            if self.month_day != "last" and not 1 <= int(self.month_day) <= 31:
                raise UserError(f"There is no day {self.month_day} in a month.")
            if self.count == 1:
                recurrence = {"cron": {"day": self.month_day, "hour": at.hour, "minute": at.minute}}
            elif self.month_day == "last":
                raise UserError("`on the last day` works for `every month` only.")
            else:
                mday = int(self.month_day)
                start = _first_date(local_now, at, lambda d: d.day == mday)
                recurrence = _calendar({"months": self.count}, at, start)
        first = next_after(recurrence, tz, now)
        if first is None:
            raise UserError("That repeat never comes round; please check the days.")
        gap = period(recurrence, tz, now)
        if gap is not None and gap < rules.min_interval:
            raise UserError(_too_often(self, rules))
        self.at = at if self.unit not in ("minutes", "hours") else None
        return When(first, recurrence, self.describe())


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _ordinal(day: str | None) -> str:
    n = int(day or 0)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _too_often(rep: _Repeat, rules: Rules) -> str:
    minutes = max(1, int(rules.min_interval.total_seconds() // 60))
    limit = "once a minute" if minutes == 1 else f"once every {minutes} minutes"
    asked = f"every {rep.count} {rep.unit}" if rep.count != 1 else f"every {rep.unit[:-1]}"
    return f"A reminder can repeat at most {limit}; `{asked}` is too often."


def _calendar(step: dict[str, int], at: time, start: date) -> dict[str, Any]:
    return {
        "calendar": {**step, "hour": at.hour, "minute": at.minute},
        "start": start.isoformat(),
    }


def _first_date(local_now: datetime, at: time, ok: Any) -> date:
    """The first date, today or later, that passes `ok` and whose `at` is still ahead."""
    day = local_now.date()
    for _ in range(400):
        if ok(day) and (day > local_now.date() or at > local_now.time()):
            return day
        day += timedelta(days=1)
    raise UserError("That repeat never comes round; please check the days.")


def _leading_repeat(
    toks: list[tuple[str, int]],
) -> tuple[int, str, list[str], str | None, int] | None:
    """A repeat said without a leading "every": "mondays and thursdays at 7pm" (a
    plural day), "the 15th of each month", "on the last day of every 2 months".
    (count, unit, days, month day, index after the phrase), or None."""
    i = 1 if toks[0][0] == "on" else 0
    if i < len(toks) and toks[i][0] in _DAY_WORDS and toks[i][0].endswith("days"):
        days, j = _read_days(toks, i)
        return 1, "weeks", days, None, j
    i += i < len(toks) and toks[i][0] == "the"
    if i >= len(toks):
        return None
    if toks[i][0] == "last":
        i += 1 + (i + 1 < len(toks) and toks[i + 1][0] == "day")
        day = "last"
    elif m := _ORDINAL.match(toks[i][0]):
        day, i = str(int(m.group(1))), i + 1
    else:
        return None
    if [w for w, _ in toks[i : i + 2]] not in (["of", "every"], ["of", "each"]):
        return None
    i, count = i + 2, 1
    if i < len(toks) and toks[i][0].isdigit():
        count, i = int(toks[i][0]), i + 1
    if i < len(toks) and _UNITS.get(toks[i][0]) == "months":
        return count, "months", [], day, i + 1
    return None


def _read_days(toks: list[tuple[str, int]], i: int) -> tuple[list[str], int]:
    days: list[str] = []
    while i < len(toks):
        word = toks[i][0]
        if word in _DAY_WORDS:
            if _DAY_WORDS[word] not in days:
                days.append(_DAY_WORDS[word])
            i += 1
        elif word in (",", "and", "&", "/") and i + 1 < len(toks) and toks[i + 1][0] in _DAY_WORDS:
            i += 1
        else:
            break
    days.sort(key=WEEKDAYS.index)
    return days, i


def _read_time(
    toks: list[tuple[str, int]], i: int, *, need_marker: bool
) -> tuple[time | None, int]:
    """A time at toks[i]: '9am', '9:30', '9 am', '17:00', 'noon'. Without 'at' before
    it, a bare number needs am/pm or a colon to count as a time."""
    word = toks[i][0]
    if word in ("noon", "midday"):
        return time(12, 0), i + 1
    if word == "midnight":
        return time(0, 0), i + 1
    m = _TIME.match(word)
    if not m:
        return None, i
    hour, minute, marker = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    j = i + 1
    if marker is None and j < len(toks) and re.fullmatch(r"am|pm|a\.m\.?|p\.m\.?", toks[j][0]):
        marker, j = toks[j][0], j + 1
    if need_marker and marker is None and m.group(2) is None:
        return None, i
    if marker is None and 1 <= hour < 7:
        marker = "pm"  # "at 5": an hour-only time of a day is 7-11 am, 12-6 pm
    if marker:
        if not 1 <= hour <= 12:
            return None, i
        hour = hour % 12 + (12 if marker.startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None, i
    return time(hour, minute), j
