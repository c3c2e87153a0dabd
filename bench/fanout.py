"""A week of peer groups at scale: 10,000 members in 2,000 groups of five, every
group prompting at the same minute (the worst case). The real Dispatcher sends
the prompts (a DM to each member), half the members check in through the core
(50 at a time), then the nudge goes to the other half and the digest to all.
Deliveries go to a no-op deliverer that counts keys: none may be lost or repeated."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.common import GROUP_SIZE, groups_in_bulk, pct
from bot.clock import FakeClock
from bot.commands import Actor
from bot.content import load_content
from bot.core import Rounds
from bot.features.groups.content import CheckinSection
from bot.features.groups.cycle import Cycle
from bot.features.groups.group_commands import cycle_for
from bot.members import create_community
from bot.responses import Post
from bot.scheduling.dispatcher import Dispatcher
from bot.storage.db import Database

COMMUNITY = "console:bench"
BEFORE = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)  # a Monday, an hour before the prompts
ANSWERS = 'win="Sent two program coordinators my update" next="Call the IR fellowship office"'
Row = dict[str, Any]


class Counting:
    """A no-op platform that remembers each delivery key."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    async def deliver(self, post: Post) -> None:
        self.keys.append(post.key or "")


async def seed(rounds: Rounds, count: int) -> tuple[dict[str, int], Cycle]:
    """`count` members in groups of five, each group scheduled: member -> group id,
    and the groups' shared weekly cycle (bulk inserts: see bench.common.groups_in_bulk)."""
    timing = rounds.content.pack("ir").section("checkin", CheckinSection).timing
    cycle = cycle_for(timing, 0, 9, 0, "UTC")
    ids = [f"U{i:05d}" for i in range(count - count % GROUP_SIZE)]
    async with rounds.db.begin() as conn:
        await create_community(conn, COMMUNITY, "ir", BEFORE)
        group_of = await groups_in_bulk(conn, COMMUNITY, {m: m for m in ids}, cycle, BEFORE)
    return group_of, cycle


async def dispatch(rounds: Rounds, sink: Counting, at: datetime) -> tuple[float, int, int]:
    """Deliver everything due at `at`: (seconds, jobs, posts)."""
    assert isinstance(rounds.clock, FakeClock)
    rounds.clock.set(at)
    before = len(sink.keys)
    start = time.perf_counter()
    jobs = 0
    while done := await Dispatcher(rounds, rounds.outbox).run_once():
        jobs += done
    return time.perf_counter() - start, jobs, len(sink.keys) - before


async def week(url: str, count: int) -> list[Row]:
    db = Database(url)
    await db.migrate()
    rounds = Rounds(db, load_content(), clock=FakeClock(BEFORE))
    sink = Counting()
    rounds.outbox.register("console", sink)
    start = time.perf_counter()
    group_of, cycle = await seed(rounds, count)
    seeded = time.perf_counter() - start
    rows: list[Row] = [{"step": "seed members, groups, schedules (bulk)", "seconds": seeded}]
    prompt_at = BEFORE + timedelta(hours=1)
    week_of = cycle.week_of(prompt_at)

    secs, jobs, posts = await dispatch(rounds, sink, prompt_at + timedelta(minutes=1))
    rows.append(
        {"step": "prompts", "seconds": secs, "jobs": jobs, "posts": posts, "expected": count}
    )

    rounds.clock.set(prompt_at + timedelta(hours=2))
    answering = list(group_of.items())[::2]
    sem = asyncio.Semaphore(50)
    latencies: list[float] = []

    async def check_in(member: str, gid: int) -> bool:
        line = f"/checkin save group={gid} week={week_of.isoformat()} {ANSWERS}"
        async with sem:
            t0 = time.perf_counter()
            reply = await rounds.run_line(Actor(COMMUNITY, member), line)
            latencies.append((time.perf_counter() - t0) * 1000)
        return not reply.error

    start = time.perf_counter()
    saved = sum(await asyncio.gather(*(check_in(m, g) for m, g in answering)))
    rows.append(
        {
            "step": "check-ins through the core, 50 at a time",
            "seconds": time.perf_counter() - start,
            "posts": saved,
            "expected": len(answering),
            "p50_ms": pct(latencies, 50),
            "p99_ms": pct(latencies, 99),
        }
    )

    waiting = count - len(answering)
    for step, at, expected in (
        ("nudges to those still waiting", cycle.nudge_at(week_of), waiting),
        ("digests", cycle.deadline_at(week_of), count),
    ):
        secs, jobs, posts = await dispatch(rounds, sink, at + timedelta(minutes=1))
        rows.append(
            {"step": step, "seconds": secs, "jobs": jobs, "posts": posts, "expected": expected}
        )
    repeats = sum(n - 1 for n in Counter(sink.keys).values())
    for row in rows:
        row["duplicates"] = repeats
    await db.close()
    return rows
