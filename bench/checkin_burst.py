"""Figures for peer groups: 500 members checking in within the same minute
(through the core's run_line, as adapters call it), and /group form's plan
for 500 waiting members.

    python -m bench.checkin_burst [postgresql+asyncpg://user@host/db]

The PostgreSQL URL, when given, must name a scratch database: its tables are emptied.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bot.clock import FakeClock
from bot.commands import Actor
from bot.content import load_content
from bot.core import Rounds
from bot.features.groups.content import CheckinSection
from bot.features.groups.partition import Candidate, plan
from bot.schema import metadata
from bot.storage.db import Database

N = 500
C = "console:bench"
WEEK = "2027-01-11"


async def burst(url: str) -> None:
    db = Database(url)
    await db.migrate()
    if db.dialect == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        async with db.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    rounds = Rounds(db, load_content(), clock=FakeClock(datetime(2027, 1, 4, 14, tzinfo=UTC)))
    actors = [Actor(C, f"m{i:03d}") for i in range(N)]
    gids: dict[Actor, int] = {}
    for g in range(N // 5):
        made = await rounds.run_line(actors[g * 5], f"/group create g{g:03d}")
        for a in actors[g * 5 : g * 5 + 5]:
            gids[a] = made.data["group"]["id"]
            if a is not actors[g * 5]:
                await rounds.run_line(a, f"/group join g{g:03d}")
    latencies: list[float] = []

    async def one(a: Actor, g: int) -> bool:
        t0 = time.perf_counter()
        line = f'/checkin save group={g} week={WEEK} win="A reply" next="Email two faculty"'
        r = await rounds.run_line(a, line)
        latencies.append(time.perf_counter() - t0)
        return not r.error

    t0 = time.perf_counter()
    ok = await asyncio.gather(*(one(a, g) for a, g in gids.items()))
    wall = time.perf_counter() - t0
    async with db.connect() as conn:
        rows = (await conn.execute(text("SELECT count(*) FROM checkins"))).scalar_one()
    q = statistics.quantiles(latencies, n=100)
    print(
        f"{db.dialect:10s} {N} concurrent check-ins: {wall:.2f} s wall, "
        f"{N / wall:.0f}/s, p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, "
        f"ok {sum(ok)}, rows {rows}"
    )
    await db.close()


def forming() -> None:
    sec = load_content().pack("ir").section("checkin", CheckinSection)
    rng = random.Random(7)
    zones = [-480, -360, -300, 0, 60, 120, 180, 330, 480, 540]
    people = [
        Candidate(f"m{i}", rng.choice(zones), "UTC", rng.choice(["ms3", "ms4", None]))
        for i in range(N)
    ]
    t0 = time.perf_counter()
    p = plan(people, [], sec.forming)
    took = time.perf_counter() - t0
    spreads = [
        max(c.offset_minutes for c in g) - min(c.offset_minutes for c in g) for g in p.groups
    ]
    print(
        f"/group form plan for {N}: {took * 1000:.0f} ms, {len(p.groups)} groups, "
        f"sizes {sorted({len(g) for g in p.groups})}, "
        f"groups spanning more than 1 h: {sum(s > 60 for s in spreads)}"
    )


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        await burst(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
    if len(sys.argv) > 1:
        await burst(sys.argv[1])
    forming()


if __name__ == "__main__":
    asyncio.run(main())
