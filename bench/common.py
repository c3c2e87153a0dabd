"""What every bench section shares: a scratch database on either backend,
percentiles, and a population of members in peer groups (made through the
commands members use, or written in bulk: the same rows, sooner)."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.commands import Actor
from bot.core import Rounds
from bot.features.groups.content import CheckinSection
from bot.features.groups.cycle import Cycle, parse_day
from bot.features.groups.group_commands import cycle_for
from bot.features.groups.tables import peer_group_members, peer_groups
from bot.features.groups.timetable import group_jobs, schedule_report
from bot.members import create_community
from bot.scheduling.jobs import schedule_many
from bot.storage.tables import communities, members
from bot.timelang import read_clock

GROUP_SIZE = 5


@asynccontextmanager
async def scratch_url(backend: str, pg_admin_url: str = "") -> AsyncIterator[str]:
    """A database URL nobody else uses: a temporary SQLite file, or a new
    PostgreSQL database on the server `pg_admin_url` names, dropped afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        return
    import asyncpg

    admin = pg_admin_url.replace("postgresql+asyncpg://", "postgresql://")
    name = f"rounds_bench_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(admin)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    try:
        yield pg_admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        conn = await asyncpg.connect(admin)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def members_in_groups(rounds: Rounds, community_id: str, count: int) -> list[Actor]:
    """`count` members in groups of five, made through the commands members use."""
    actors = [Actor(community_id, f"U{i:05d}", f"member{i}") for i in range(count)]
    for g in range(0, count, GROUP_SIZE):
        made = await rounds.run_line(actors[g], f"/group create crew-{g // GROUP_SIZE}")
        assert not made.error, made.text
        for a in actors[g + 1 : g + GROUP_SIZE]:
            joined = await rounds.run_line(a, f"/group join crew-{g // GROUP_SIZE}")
            assert not joined.error, joined.text
    return actors


async def groups_in_bulk(
    conn: AsyncConnection, community_id: str, names: dict[str, str], cycle: Cycle, now: datetime
) -> dict[str, int]:
    """The members (id -> display name) in groups of five named crew-0, crew-1, ...
    with `cycle`, each group's weekly jobs scheduled: the rows the groups store and
    scheduler write, as bulk inserts (bench only) and one schedule_many, in the
    order one-by-one seeding makes them. Returns member -> group id."""
    ids = list(names)[: len(names) - len(names) % GROUP_SIZE]
    crews = {
        f"crew-{g // GROUP_SIZE}": ids[g : g + GROUP_SIZE] for g in range(0, len(ids), GROUP_SIZE)
    }
    stamp = {"created_at": now, "updated_at": now}
    await conn.execute(
        insert(members),
        [
            {"community_id": community_id, "member_id": m, "display_name": names[m][:100]}
            | {"timezone": None, "interests": [], "is_organiser": False, **stamp}
            for m in ids
        ],
    )
    community = await conn.execute(
        select(communities.c.pack).where(communities.c.id == community_id)
    )
    group = {
        "community_id": community_id,
        "pack": community.scalar_one(),
        "prompt_day": cycle.day,
        "prompt_hour": cycle.hour,
        "prompt_minute": cycle.minute,
        "timezone": cycle.timezone,
        "deadline_minutes": cycle.deadline_minutes,
        "nudge_minutes": cycle.nudge_minutes,
        **stamp,
    }
    await conn.execute(
        insert(peer_groups),
        [group | {"name": name, "created_by": crew[0]} for name, crew in crews.items()],
    )
    found = await conn.execute(
        select(peer_groups.c.name, peer_groups.c.id).where(
            peer_groups.c.community_id == community_id
        )
    )
    gid = {name: group_id for name, group_id in found.all()}
    group_of = {m: gid[name] for name, crew in crews.items() for m in crew}
    await conn.execute(
        insert(peer_group_members),
        [
            {"community_id": community_id, "member_id": m, "group_id": g, "joined_at": now}
            for m, g in group_of.items()
        ],
    )
    jobs = [job for name in crews for job in group_jobs(gid[name], cycle, now)]
    await schedule_many(conn, community_id, jobs, now)
    return group_of


async def members_in_bulk(rounds: Rounds, community_id: str, count: int) -> list[Actor]:
    """What `members_in_groups` leaves (the community on its default pack, members
    named member0, member1, ... in groups of five with the pack's weekly cycle in
    UTC, their jobs and the organiser report), written in bulk. Only the report job
    differs: scheduled once, so it comes last and has not been replaced once per
    group."""
    now = rounds.clock.now()
    actors = [Actor(community_id, f"U{i:05d}", f"member{i}") for i in range(count)]
    async with rounds.db.begin() as conn:
        community = await create_community(conn, community_id, rounds.default_pack, now)
        timing = rounds.content.pack(community.pack).section("checkin", CheckinSection).timing
        day, clock = parse_day(timing.prompt_day), read_clock(timing.prompt_time)
        assert day is not None and clock is not None
        cycle = cycle_for(timing, day, clock[0], clock[1], "UTC")
        names = {a.member_id: a.display_name for a in actors}
        await groups_in_bulk(conn, community_id, names, cycle, now)
        await schedule_report(conn, community_id, timing, community.timezone, now)
    return actors
