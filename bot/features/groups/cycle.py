"""A group's weekly cycle in its own zone: prompt, nudge, deadline (digest).

A week is named by the Monday of the local date its prompt falls on, so every
group's weeks line up and a member's streak survives a move between groups.
Times are wall-clock times in the group's zone: "Monday 9:00" stays 9:00 local
across daylight-saving changes, both here and in the engine's cron recurrence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from bot.features.groups.content import DAYS

WEEK_MINUTES = 7 * 1440


@dataclass(frozen=True)
class Cycle:
    day: int  # 0 = Monday
    hour: int
    minute: int
    timezone: str
    deadline_minutes: int  # from the prompt to the deadline
    nudge_minutes: int  # from the nudge to the deadline

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def _at(self, week: date, offset_minutes: int = 0) -> datetime:
        return _instant(self.day, self.hour, self.minute, self.timezone, week, offset_minutes)

    def prompt_at(self, week: date) -> datetime:
        return self._at(week)

    def deadline_at(self, week: date) -> datetime:
        return self._at(week, self.deadline_minutes)

    def nudge_at(self, week: date) -> datetime:
        return self._at(week, self.deadline_minutes - self.nudge_minutes)

    def week_of(self, when: datetime) -> date:
        """The week whose prompt is the latest at or before `when`."""
        local = when.astimezone(self.zone).date()
        week = local - timedelta(days=local.weekday())
        if self.prompt_at(week) > when:
            week -= timedelta(days=7)
        return week

    def last_closed_week(self, when: datetime) -> date:
        """The latest week whose deadline has passed at `when`."""
        week = self.week_of(when)
        return week if self.deadline_at(week) <= when else week - timedelta(days=7)

    def is_open(self, week: date, when: datetime) -> bool:
        return when < self.deadline_at(week)

    def _cron(self, offset_minutes: int) -> dict[str, Any]:
        total = (self.day * 1440 + self.hour * 60 + self.minute + offset_minutes) % WEEK_MINUTES
        day, rest = divmod(total, 1440)
        return {"cron": {"day_of_week": DAYS[day], "hour": rest // 60, "minute": rest % 60}}

    def recurrences(self) -> dict[str, dict[str, Any]]:
        """Cron recurrences (in the group's zone) of the prompt, nudge and digest."""
        return {
            "prompt": self._cron(0),
            "nudge": self._cron(self.deadline_minutes - self.nudge_minutes),
            "digest": self._cron(self.deadline_minutes),
        }

    def next_times(self, after: datetime) -> dict[str, datetime]:
        """The first prompt after `after`, and the nudge and digest of that same week,
        so a group's first cycle starts with its prompt."""
        week = self.week_of(after)
        if self.prompt_at(week) <= after:
            week += timedelta(days=7)
        return {
            "prompt": self.prompt_at(week),
            "nudge": self.nudge_at(week),
            "digest": self.deadline_at(week),
        }

    def describe(self) -> str:
        """'Mondays 09:00' in words for members."""
        return f"{DAYS[self.day].capitalize()} {self.hour:02d}:{self.minute:02d}"


def parse_day(text: str) -> int | None:
    """'mon', 'Monday', 'TUE' -> 0, 1; None when it names no day."""
    t = text.strip().lower()[:3]
    return DAYS.index(t) if t in DAYS and len(text.strip()) >= 3 else None


@lru_cache(maxsize=4096)  # every member of a group asks for the same few weeks
def _instant(
    day: int, hour: int, minute: int, timezone: str, week: date, offset_minutes: int
) -> datetime:
    """The UTC instant of a wall-clock time `offset_minutes` after the week's local
    day and time, in `timezone`."""
    start = datetime.combine(week + timedelta(days=day), time(hour, minute))
    local = (start + timedelta(minutes=offset_minutes)).replace(tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC)
