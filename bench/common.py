"""What every bench section shares: a scratch database on either backend,
percentiles, and a population of members in peer groups."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.commands import Actor
from bot.core import Rounds

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
