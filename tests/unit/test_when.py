"""Reading times and repeats from members' words, in their zone, against the
injected clock (never the wall clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.content import load_content
from bot.errors import UserError, Worded
from bot.features.reminders.when import Rules, duration, parse, split
from bot.scheduling.recurrence import next_after

NOW = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)  # Monday 09:00 in New York
NY = "America/New_York"


def _local(when: datetime, tz: str = NY) -> str:
    return when.astimezone(ZoneInfo(tz)).strftime("%a %Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    "text, first, what",
    [
        ("in 7 days email Dr Lee", "Mon 2027-01-11 09:00", "email Dr Lee"),
        ("next monday 9am send the update", "Mon 2027-01-11 09:00", "send the update"),
        ("2027-01-15 14:00 call the program", "Fri 2027-01-15 14:00", "call the program"),
        ("tomorrow to email Dr Lee", "Tue 2027-01-05 09:00", "email Dr Lee"),
        ("in 90 minutes stretch", "Mon 2027-01-04 10:30", "stretch"),
        ('"friday 3pm" submit the abstract', "Fri 2027-01-08 15:00", "submit the abstract"),
        ("tomorrow 2 papers to read", "Tue 2027-01-05 09:00", "2 papers to read"),
    ],
)
def test_one_off_times_in_the_members_zone(text: str, first: str, what: str) -> None:
    when, rest = split(text, NOW, NY, Rules())
    assert (_local(when.due_at), rest, when.recurrence) == (first, what, None)


@pytest.mark.parametrize(
    "text, first, every",
    [
        (
            "every 2 weeks on friday at 8am review list",
            "Fri 2027-01-08 08:00",
            "every 2 weeks on Friday at 08:00",
        ),
        ("every month on the 1st dues", "Mon 2027-02-01 09:00", "every month on the 1st at 09:00"),
        ("every weekday at 7am study", "Tue 2027-01-05 07:00", "every weekday at 07:00"),
        (
            "every mon, wed and fri at 6:30pm gym",
            "Mon 2027-01-04 18:30",
            "every Monday, Wednesday and Friday at 18:30",
        ),
        (
            "every other tuesday at 6pm x",
            "Tue 2027-01-05 18:00",
            "every 2 weeks on Tuesday at 18:00",
        ),
        ("daily at 8 am x", "Tue 2027-01-05 08:00", "every day at 08:00"),
        (
            "every month on the last day rent",
            "Sun 2027-01-31 09:00",
            "every month on the last day at 09:00",
        ),
        ("every 15 minutes water", "Mon 2027-01-04 09:15", "every 15 minutes"),
        # Repeats said the other way round: a plural day, a day "of every month".
        ("mondays at 9am check in", "Mon 2027-01-11 09:00", "every Monday at 09:00"),
        (
            "on mondays and thursdays at 7pm anki",
            "Mon 2027-01-04 19:00",
            "every Monday and Thursday at 19:00",
        ),
        ("the 15th of each month rent", "Fri 2027-01-15 09:00", "every month on the 15th at 09:00"),
        (
            "on the last day of every month goals",
            "Sun 2027-01-31 09:00",
            "every month on the last day at 09:00",
        ),
        (
            "on the 1st of every 2 months at 8am dues",
            "Mon 2027-02-01 08:00",
            "every 2 months on the 1st at 08:00",
        ),
        # The repeat reads the time language's own words (one table for both).
        ("every eleven days x", "Tue 2027-01-05 09:00", "every 11 days at 09:00"),
        ("every few days x", "Tue 2027-01-05 09:00", "every 3 days at 09:00"),
        ("every thurs at 7pm x", "Thu 2027-01-07 19:00", "every Thursday at 19:00"),
        (
            "every 2 wks on weds at 8am x",
            "Wed 2027-01-06 08:00",
            "every 2 weeks on Wednesday at 08:00",
        ),
    ],
)
def test_repeats_become_recurrences(text: str, first: str, every: str) -> None:
    when, rest = split(text, NOW, NY, Rules())
    assert when.recurrence is not None
    assert (_local(when.due_at), when.every) == (first, every)
    assert rest and text.endswith(" " + rest) and not rest.startswith(("at ", "on "))


@pytest.mark.parametrize(
    "text", ["on monday call", "the 15th call Dr Lee", "on the 3rd of march x"]
)
def test_one_day_named_once_is_no_repeat(text: str) -> None:
    when, rest = split(text, NOW, NY, Rules())
    assert when.recurrence is None and when.every is None and rest


def test_every_two_weeks_keeps_eight_oclock_through_spring_forward() -> None:
    when, _ = split("every 2 weeks on friday at 8am x", NOW, NY, Rules())
    assert when.recurrence is not None
    at, seen = when.due_at, []
    for _ in range(8):
        seen.append(_local(at))
        nxt = next_after(when.recurrence, NY, at)
        assert nxt is not None
        at = nxt
    assert all(s.endswith("08:00") and s.startswith("Fri") for s in seen)
    assert "Fri 2027-03-19 08:00" in seen  # the first after the clocks went forward


@pytest.mark.parametrize(
    "text, says",
    [
        ("sometime soon x", "couldn't read a time"),
        ("yesterday 9am x", "already passed"),
        ("2020-01-01 x", "already passed"),
        ("every 30 seconds x", "at most once a minute"),
        ("every 0 minutes x", "at most once a minute"),
        ("every year x", "yearly"),
        ("every 2 weeks on monday and friday x", "pick one day"),
        ("2040-01-01 x", "too far ahead"),
        # A time said last: a tail that is no time is refused, not taken for one.
        ("to read chapter 5", "couldn't read a time"),  # a number alone is no time
        ("to email Dr May", "couldn't read a time"),  # nor a name that is a month
        ("to call mom on his birthday", "couldn't read a time"),
        ("to call mom yesterday at 5pm", "already passed"),
    ],
)
def test_bad_times_are_explained(text: str, says: str) -> None:
    with pytest.raises(UserError) as err:
        split(text, NOW, NY, Rules())
    exc = err.value
    shown = load_content().msg(exc.key, **exc.values) if isinstance(exc, Worded) else exc.message
    assert says in shown


def test_relative_times_use_the_injected_clock() -> None:
    later = NOW + timedelta(days=400)
    when, _ = split("in 7 days x", later, NY, Rules())
    assert when.due_at == later + timedelta(days=7)


def test_in_hours_is_elapsed_time_across_a_clock_change() -> None:
    before_gap = datetime(2027, 3, 14, 6, 30, tzinfo=UTC)  # 01:30 EST, clocks jump at 02:00
    when = parse("in 2 hours", before_gap, NY, Rules())
    assert when.due_at == before_gap + timedelta(hours=2)
    assert _local(when.due_at).endswith("04:30")


@pytest.mark.parametrize(
    "text, minutes",
    [("1h", 60), ("90 minutes", 90), ("2 days", 2880), ("1h30m", 90), ("a week", 10080)],
)
def test_snooze_durations(text: str, minutes: int) -> None:
    assert duration(text) == timedelta(minutes=minutes)


def test_not_durations() -> None:
    assert duration("tomorrow") is None
    assert duration("5") is None


def test_daily_time_repeated_by_fall_back_fires_once() -> None:
    rec = {"cron": {"hour": 1, "minute": 30}}
    at = datetime(2027, 11, 6, 12, tzinfo=UTC)
    times = []
    for _ in range(3):
        nxt = next_after(rec, NY, at)
        assert nxt is not None and nxt > at
        times.append(_local(nxt))
        at = nxt
    assert times == ["Sun 2027-11-07 01:30", "Mon 2027-11-08 01:30", "Tue 2027-11-09 01:30"]


def test_calendar_jump_matches_walking() -> None:
    rec = {"calendar": {"weeks": 2, "hour": 8, "minute": 0}, "start": "2027-01-08"}
    walked, at = [], datetime(2027, 1, 1, tzinfo=UTC)
    while at < datetime(2031, 1, 1, tzinfo=UTC):
        nxt = next_after(rec, NY, at)
        assert nxt is not None
        walked.append(nxt)
        at = nxt
    probe = datetime(2030, 6, 1, 12, tzinfo=UTC)
    assert next_after(rec, NY, probe) == min(t for t in walked if t > probe)
    assert all(
        (t.astimezone(ZoneInfo(NY)).date() - date(2027, 1, 8)).days % 14 == 0 for t in walked
    )


@pytest.mark.parametrize(
    ("text", "first", "what", "every"),
    [
        ("to call Dr Lee tomorrow at 5pm", "Tue 2027-01-05 17:00", "call Dr Lee", None),
        ("email Dr Patel in 3 days", "Thu 2027-01-07 09:00", "email Dr Patel", None),
        ("call mom at 5pm", "Mon 2027-01-04 17:00", "call mom", None),
        ("submit ERAS by friday 5pm", "Fri 2027-01-08 17:00", "submit ERAS", None),
        (
            "to drink water at 3pm every day",
            "Mon 2027-01-04 15:00",
            "drink water",
            "every day at 15:00",
        ),
        (
            "to update my log every monday",
            "Mon 2027-01-11 09:00",
            "update my log",
            "every Monday at 09:00",
        ),
        (
            "pay rent, on the 1st of every month",
            "Mon 2027-02-01 09:00",
            "pay rent",
            "every month on the 1st at 09:00",
        ),
    ],
)
def test_a_time_said_last_as_slack_takes_it(
    text: str, first: str, what: str, every: str | None
) -> None:
    when, rest = split(text, NOW, NY, Rules())
    assert (_local(when.due_at), rest, when.every) == (first, what, every)
