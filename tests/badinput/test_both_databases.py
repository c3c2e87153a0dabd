"""A smaller property on SQLite and PostgreSQL: the commands that store what
members type, with hostile text (NUL and other control characters, unicode,
over-long values, mentions). PostgreSQL refuses some text SQLite takes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import Rounds
from tests.badinput.support import (
    NASTY,
    actor,
    anything,
    build_community,
    check_answer,
    failures,
    snapshot,
)

# {} is where the hostile text goes
STORING = (
    ("alice", "/profile set name {}"),
    ("dan", "/profile set interests {}"),
    ("olivia", "/admin set name {}"),
    ("olivia", "/admin set review-channel {}"),
    ("carol", "/group create {}"),
    ("dan", "/group create x{} fri 18:30 {}"),
    ("alice", '/checkin win="{}" next="{}"'),
    ("bob", "/checkin skip 1 {}"),
    ("alice", "/pitch-review submit {}"),
    ("alice", "/pitch-review check {}"),
    ("dan", '/mentee signup kinds=career stage=ms3 goal="{}"'),
    ("bob", "/mentor details img=img timezone={} languages={}"),
    ("carol", '/pitch-review review 1 clarity=3 specificity=3 memorability=3 ask=3 comment="{}"'),
)
hostile = st.one_of(
    st.sampled_from(NASTY),
    st.lists(st.sampled_from(NASTY), min_size=1, max_size=4).map("".join),
    st.builds(lambda a, b: f"ok {a} text {b}", st.sampled_from(NASTY), st.sampled_from(NASTY)),
    anything,
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_hostile_text_on_both_databases(any_rounds: Rounds, data: st.DataObject) -> None:
    if not await _built(any_rounds):
        await build_community(any_rounds)
    member, template = data.draw(st.sampled_from(STORING), label="command")
    texts = [data.draw(hostile, label=f"text{i}") for i in range(template.count("{}"))]
    line = template.format(*(t.replace('"', "'") for t in texts))
    before = await snapshot(any_rounds)
    with failures() as caught:
        response = await any_rounds.run_line(actor(member), line, channel_id="console")
        await check_answer(any_rounds, response, before, caught, line)


async def _built(rounds: Rounds) -> bool:
    from bot.members import load_membership

    async with rounds.db.connect() as conn:
        _, profile = await load_membership(conn, "console:demo", "dan")
    return profile is not None
