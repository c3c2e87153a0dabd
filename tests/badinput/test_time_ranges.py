"""Years like 9999, huge intervals and far-future dates (issue 15 #9): every time
reader answers with a time inside the pack's horizon or one clear refusal, never
an OverflowError; through the commands, a refusal stores nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.content import load_content
from bot.errors import UserError, Worded
from bot.features.reminders.when import Rules, duration, parse, split
from bot.timelang import MAX_AHEAD, find_day, read_clock, read_day, read_start, read_whole
from tests.badinput.support import NASTY, actor, check_answer, failures, snapshot
from tests.badinput.test_commands import Fresh, community_file, fresh  # noqa: F401
from tests.conftest import START

NOW = datetime(2027, 3, 11, 15, 0, tzinfo=UTC)
NY = "America/New_York"
CONTENT = load_content()
KEYS = set(CONTENT.messages.templates)
UNITS = ("minutes", "hours", "days", "weeks", "months", "years", "m", "h", "d", "w")

years = st.one_of(
    st.integers(-10, 99999), st.sampled_from([9999, 9990, 10000, 2032, 2033, 1, 0, 1899])
)
counts = st.one_of(
    st.integers(0, 10**13), st.sampled_from([2**31, 2**63, 10**9, 999999999, 99999999])
)
month_days = st.tuples(st.integers(0, 13), st.integers(0, 32))


@st.composite
def far_phrases(draw: st.DrawFn) -> str:
    year, (month, day) = draw(years), draw(month_days)
    count, unit = draw(counts), draw(st.sampled_from(UNITS))
    return draw(
        st.sampled_from(
            [
                f"{year:04d}-{month:02d}-{day:02d}",
                f"{year:04d}-{month:02d}-{day:02d} 09:00",
                f"Sept {day} {year}",
                f"{day} March {year} at 9am",
                f"{month}/{day}/{year}",
                f"{day}.{month}.{year}",
                f"in {count} {unit}",
                f"in {count}{unit}",
                f"{count} {unit} from now",
                f"in {count} days at 5pm",
                f"every {count} days",
                f"every {count} weeks on friday",
                f"every {count} months on the 1st",
                f"every {count} minutes",
            ]
        )
    )


def _explained(exc: UserError) -> str:
    if isinstance(exc, Worded):
        assert exc.key in KEYS, exc.key
        return CONTENT.msg(exc.key, **exc.values)
    return exc.message


@settings(max_examples=200, deadline=None)
@given(far_phrases(), st.sampled_from(["", " email Dr Rao", " 15 ERAS"]))
def test_far_years_and_huge_intervals_are_refused_or_within_the_horizon(
    phrase: str, tail: str
) -> None:
    for read in (
        lambda: parse(phrase, NOW, NY, Rules()).due_at,
        lambda: split(phrase + (tail or " x"), NOW, NY, Rules())[0].due_at,
    ):
        try:
            due = read()
        except UserError as exc:
            assert _explained(exc).strip()
            continue
        assert NOW < due <= NOW + MAX_AHEAD


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        far_phrases(),
        st.text(max_size=60),
        st.builds(lambda p, n: p + n, far_phrases(), st.sampled_from(NASTY)),
    )
)
def test_every_reader_refuses_with_a_message_or_reads_within_range(text: str) -> None:
    for read in (
        lambda: read_start(text, NOW, NY),
        lambda: read_whole(text, NOW, NY),
        lambda: find_day(f"Dr Sam Lee {text} ERAS", NOW, NY),
    ):
        try:
            found = read()
        except UserError as exc:
            assert _explained(exc).strip()
            continue
        if found is not None:
            at = found[1].at if isinstance(found, tuple) else found.at
            assert at <= NOW + MAX_AHEAD
    try:
        day = read_day(text, NOW, NY)
        assert day.year <= (NOW + MAX_AHEAD).year
    except UserError as exc:
        assert _explained(exc).strip()
    clock = read_clock(text)
    assert clock is None or (0 <= clock[0] <= 23 and 0 <= clock[1] <= 59)


@settings(max_examples=300, deadline=None)
@given(counts, st.sampled_from(["m", "h", "d", "w", " minutes", " weeks"]))
def test_snooze_durations_are_bounded_numbers(count: int, unit: str) -> None:
    gap = duration(f"{count}{unit}")
    assert gap is None or timedelta(0) <= gap <= timedelta(weeks=99999)


@st.composite
def far_lines(draw: st.DrawFn) -> tuple[str, str]:
    year, count = draw(years), draw(counts)
    unit = draw(st.sampled_from(UNITS))
    return draw(
        st.sampled_from(
            [
                ("alice", f"/letters request Dr Sam Lee {year:04d}-04-15 ERAS"),
                ("alice", f"/letters request Dr Sam Lee Sept 15 {year} ERAS"),
                ("alice", f"/remind me {year:04d}-01-01 09:00 file taxes"),
                ("alice", f"/remind me in {count} {unit} email Dr Rao"),
                ("alice", f"/remind me every {count} days stretch"),
                ("alice", f"/remind snooze 1 in {count} {unit}"),
                ("alice", f"/remind snooze 1 {count}{unit[0]}"),
                ("olivia", f"/conference add SIR {year} {year:04d}-03-20 {year:04d}-03-24 Boston"),
            ]
        )
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(far_lines())
async def test_far_dates_through_the_commands_store_nothing(
    fresh: Fresh,  # noqa: F811
    line: tuple[str, str],
) -> None:
    member, text = line
    async with fresh as rounds:
        before = await snapshot(rounds)
        with failures() as caught:
            response = await rounds.run_line(actor(member), text, channel_id="console")
            await check_answer(rounds, response, before, caught, text)
        assert await _stored_within_horizon(rounds)


async def _stored_within_horizon(rounds: object) -> bool:
    """Whatever was stored lies within five years of the clock."""
    from sqlalchemy import select

    from bot.scheduling.tables import jobs

    async with rounds.db.connect() as conn:  # type: ignore[attr-defined]
        due = [r.due_at for r in await conn.execute(select(jobs.c.due_at))]
    horizon = START + timedelta(days=5 * 366 + 400)
    return all(d.replace(tzinfo=UTC) <= horizon if d.tzinfo is None else d <= horizon for d in due)


async def test_letters_due_in_9990_are_refused_and_nothing_is_stored(fresh: Fresh) -> None:  # noqa: F811
    async with fresh as rounds:
        made = await rounds.run_line(actor("alice"), "/remind me in 2 days x", channel_id="c")
        mine = made.data["reminder"]["id"]
        before = await snapshot(rounds)
        for line in (
            "/letters request Dr Sam Lee 9990-04-15 ERAS",
            "/letters request Dr Sam Lee Sept 15 9990",
            "/remind me 9999-12-31 23:00 x",
            "/remind me in 99999999 days x",
            "/remind me every 99999999 days x",
            f"/remind snooze {mine} in 999999999999 weeks",
            f"/remind snooze {mine} 99999w",
        ):
            response = await rounds.run_line(actor("alice"), line, channel_id="console")
            assert response.error and "too far ahead" in response.text, (line, response.text)
        assert await snapshot(rounds) == before
