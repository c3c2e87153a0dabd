"""500 members checking in within the same minute, on SQLite and PostgreSQL:
every check-in is stored once, and concurrent updates of one member's check-in
never make a second row."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.commands import Actor
from bot.core import Rounds
from bot.features.groups.tables import checkins, peer_group_members
from bot.responses import Response

C = "slack:TBURST"
WEEK = "2027-01-11"  # groups made on Monday 4 Jan at 14:00 start with the week of the 11th


async def _groups_of_five(rounds: Rounds, n: int) -> dict[Actor, int]:
    actors = [Actor(C, f"m{i:03d}", f"M{i}") for i in range(n)]
    gids: dict[Actor, int] = {}
    for g in range(n // 5):
        made = await rounds.run_line(actors[g * 5], f"/group create g{g:03d}")
        assert not made.error, made.text
        gids.update({a: made.data["group"]["id"] for a in actors[g * 5 : g * 5 + 5]})
    joins = [a for i, a in enumerate(actors) if i % 5]
    answers = await asyncio.gather(
        *(rounds.run_line(a, f"/group join g{int(a.member_id[1:]) // 5:03d}") for a in joins)
    )
    assert not [r.text for r in answers if r.error]
    return gids


def _line(gid: int, text: str) -> str:
    return f'/checkin save group={gid} week={WEEK} win="{text}" next="Email two faculty; {text}"'


async def test_500_checkins_in_the_same_minute_lose_nothing(any_rounds: Rounds) -> None:
    gids = await _groups_of_five(any_rounds, 500)
    first: list[Response] = await asyncio.gather(
        *(any_rounds.run_line(a, _line(g, f"first {a.member_id}")) for a, g in gids.items())
    )
    assert not [r.text for r in first if r.error]
    assert {r.data["checkin"]["revision"] for r in first} == {1}
    # Now everyone updates twice at once: two racing saves per member.
    again: list[Response] = await asyncio.gather(
        *(
            any_rounds.run_line(a, _line(g, f"{label} {a.member_id}"))
            for a, g in gids.items()
            for label in ("second", "third")
        )
    )
    assert not [r.text for r in again if r.error]
    async with any_rounds.db.connect() as conn:
        rows = (
            await conn.execute(
                select(checkins.c.member_id, checkins.c.revision, checkins.c.win).where(
                    checkins.c.community_id == C
                )
            )
        ).all()
    assert len(rows) == 500
    assert sorted(r.member_id for r in rows) == sorted(a.member_id for a in gids)
    assert {r.revision for r in rows} == {3}
    assert all(r.win.split()[0] in ("second", "third") for r in rows)


async def test_a_full_group_takes_no_more_joiners_even_at_once(any_rounds: Rounds) -> None:
    made = await any_rounds.run_line(Actor(C, "owner"), "/group create tight")
    assert not made.error
    racers = [Actor(C, f"r{i}") for i in range(12)]
    answers = await asyncio.gather(*(any_rounds.run_line(a, "/group join tight") for a in racers))
    assert sum(not r.error for r in answers) == 4  # 5 with the owner
    assert all("is full" in r.text for r in answers if r.error)
    async with any_rounds.db.connect() as conn:
        size = (
            await conn.execute(
                select(func.count()).where(
                    peer_group_members.c.community_id == C,
                    peer_group_members.c.group_id == made.data["group"]["id"],
                )
            )
        ).scalar_one()
    assert size == 5
