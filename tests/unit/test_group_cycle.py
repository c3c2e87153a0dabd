"""The weekly cycle in a group's zone, time parsing, and the streak rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.features.groups.cycle import Cycle, parse_day
from bot.features.groups.streaks import missed_in_a_row, streak
from bot.timelang import read_clock

NY = Cycle(0, 9, 0, "America/New_York", 2 * 1440 + 12 * 60, 12 * 60)  # Mon 9:00, Wed 21:00


def _utc(*a: int) -> datetime:
    return datetime(*a, tzinfo=UTC)


def test_week_boundaries_follow_the_local_prompt() -> None:
    assert NY.week_of(_utc(2027, 1, 4, 13, 59)) == date(2026, 12, 28)
    assert NY.week_of(_utc(2027, 1, 4, 14, 0)) == date(2027, 1, 4)
    assert NY.deadline_at(date(2027, 1, 4)) == _utc(2027, 1, 7, 2)  # Wed 21:00 EST
    assert NY.nudge_at(date(2027, 1, 4)) == _utc(2027, 1, 6, 14)
    assert NY.last_closed_week(_utc(2027, 1, 7, 1)) == date(2026, 12, 28)
    assert NY.last_closed_week(_utc(2027, 1, 7, 2)) == date(2027, 1, 4)


def test_local_times_hold_across_daylight_saving() -> None:
    assert NY.prompt_at(date(2027, 3, 8)) == _utc(2027, 3, 8, 14)
    assert NY.prompt_at(date(2027, 3, 15)) == _utc(2027, 3, 15, 13)
    assert NY.next_times(_utc(2027, 3, 9))["prompt"] == _utc(2027, 3, 15, 13)


def test_recurrences_wrap_around_the_week() -> None:
    late = Cycle(6, 20, 0, "UTC", 1440 + 60, 120)  # Sunday 20:00, deadline Mon 21:00
    assert late.recurrences() == {
        "prompt": {"cron": {"day_of_week": "sun", "hour": 20, "minute": 0}},
        "nudge": {"cron": {"day_of_week": "mon", "hour": 19, "minute": 0}},
        "digest": {"cron": {"day_of_week": "mon", "hour": 21, "minute": 0}},
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        ("9:00", (9, 0)),
        ("09:30", (9, 30)),
        ("9am", (9, 0)),
        ("12am", (0, 0)),
        ("6:15pm", (18, 15)),
        ("9", (9, 0)),  # an hour only, on a day: 7-11 are mornings
        ("6", (18, 0)),  # ... and 12-6 afternoons and evenings
        ("noon", (12, 0)),
        ("evening", (18, 0)),
    ],
)
def test_times_members_type(text: str, expected: tuple[int, int]) -> None:
    assert read_clock(text) == expected


@pytest.mark.parametrize("text", ["25:00", "13pm", "noonish", "9:75", "tomorrow 9am", "9am ET"])
def test_times_refused(text: str) -> None:
    assert read_clock(text) is None


def test_days() -> None:
    assert [parse_day(d) for d in ("mon", "Tuesday", "SUN", "mo", "xyz")] == [0, 1, 6, None, None]


W = [date(2027, 1, 4) + timedelta(weeks=i) for i in range(6)]


def test_streak_counts_weeks_and_waits_for_the_deadline() -> None:
    assert streak({W[0], W[1], W[2]}, set(), W[3], True, 1) == 3  # this week still open
    assert streak({W[0], W[1], W[2]}, set(), W[3], False, 1) == 0  # missed: it ends
    assert streak({W[0], W[2], W[3]}, set(), W[3], False, 1) == 2


def test_grace_for_weeks_skipped_with_notice() -> None:
    assert streak({W[0], W[2]}, {W[1]}, W[2], False, 1) == 2
    assert streak({W[0], W[3]}, {W[1], W[2]}, W[3], False, 1) == 1
    assert streak({W[0], W[3]}, {W[1], W[2]}, W[3], False, 2) == 2
    assert streak(set(), {W[2]}, W[2], True, 1) == 0


def test_missed_in_a_row_starts_at_joining() -> None:
    assert missed_in_a_row({W[0]}, set(), W[2], W[0]) == 2
    assert missed_in_a_row(set(), {W[1]}, W[2], W[0]) == 1
    assert missed_in_a_row(set(), set(), W[2], W[2]) == 1
