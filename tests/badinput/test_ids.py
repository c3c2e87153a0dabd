"""Member and community ids no column can hold (over 80 characters, or empty),
from a forged or broken platform request or typed as a member option, on SQLite
and PostgreSQL (which refuses them with an internal error if they get through):
a clear message, and nothing stored."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands import ID_LIMIT, Actor
from bot.core import Rounds
from bot.members import load_membership
from tests.badinput.support import (
    COMMUNITY,
    actor,
    build_community,
    check_answer,
    failures,
    snapshot,
)

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# what an id looks like on the platforms (Slack U0..., Discord snowflakes, names)
ID_CHARS = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
too_long = st.text(ID_CHARS, min_size=ID_LIMIT + 1, max_size=400)
# commands a member runs before anything else (each stores a profile) and ones that store more
LINES = (
    "/profile show",
    "/profile set timezone Europe/Berlin",
    "/remind me in 1 hour call the program",
    "/group create crew2 mon 9am",
    "/help",
)


async def _ready(rounds: Rounds) -> None:
    async with rounds.db.connect() as conn:
        _, profile = await load_membership(conn, COMMUNITY, "dan")
    if profile is None:
        await build_community(rounds)


@SETTINGS
@given(member=st.one_of(too_long, st.just("")), line=st.sampled_from(LINES))
async def test_a_member_id_too_long_is_refused_clearly(
    any_rounds: Rounds, member: str, line: str
) -> None:
    await _ready(any_rounds)
    before = await snapshot(any_rounds)
    with failures() as caught:
        response = await any_rounds.run_line(Actor(COMMUNITY, member, "Someone"), line)
        await check_answer(any_rounds, response, before, caught, line)
    assert response.error and f"1 to {ID_LIMIT} characters" in response.text


@SETTINGS
@given(community=too_long.map(lambda s: f"slack:{s}"), line=st.sampled_from(LINES))
async def test_a_community_id_too_long_is_refused_clearly(
    any_rounds: Rounds, community: str, line: str
) -> None:
    await _ready(any_rounds)
    before = await snapshot(any_rounds)
    with failures() as caught:
        response = await any_rounds.run_line(Actor(community, "alice", "Alice"), line)
        await check_answer(any_rounds, response, before, caught, line)
    assert response.error and "community id" in response.text


@SETTINGS
@given(
    member=too_long,
    form=st.sampled_from(("{}", "@{}", "<@{}>")),
    template=st.sampled_from(
        (
            ("olivia", "/admin organiser add {}"),
            ("alice", "/profile show {}"),
            ("dan", "/mentee exclude {}"),
        )
    ),
)
async def test_a_member_option_too_long_is_refused_clearly(
    any_rounds: Rounds, member: str, form: str, template: tuple[str, str]
) -> None:
    await _ready(any_rounds)
    who, line = template
    line = line.format(form.format(member))
    before = await snapshot(any_rounds)
    with failures() as caught:
        response = await any_rounds.run_line(actor(who), line)
        await check_answer(any_rounds, response, before, caught, line)
    assert response.error, line  # "at most 80 characters", or not an id at all
