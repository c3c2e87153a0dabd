"""Figures for conference mode: 200 attendees of one meeting logging people
during the same hour (`/conference met`, then `/conference today`, through the
core's run_line as adapters call it), and the dispatcher sending the 200
morning 3-2-1 prompts due at the same minute.

    python -m bench.conference [postgresql+asyncpg://user@host/db]

The PostgreSQL URL, when given, must name a scratch database: its tables are emptied.
"""

from __future__ import annotations

import asyncio
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
from bot.responses import Post
from bot.scheduling.dispatcher import Dispatcher
from bot.schema import metadata
from bot.storage.db import Database

N = 200
C = "console:bench"


class _Sink:
    def __init__(self) -> None:
        self.count = 0

    async def deliver(self, post: Post) -> None:
        self.count += 1


def _ms(samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=20)
    return f"p50 {statistics.median(samples) * 1000:.1f} ms, p95 {q[18] * 1000:.1f} ms"


async def run(url: str) -> None:
    db = Database(url)
    await db.migrate()
    if db.dialect == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        async with db.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    clock = FakeClock(datetime(2027, 1, 4, 14, tzinfo=UTC))
    rounds = Rounds(db, load_content(), clock=clock)
    sink = _Sink()
    rounds.outbox.register("console", sink)
    olivia = Actor(C, "olivia", platform_organiser=True)
    made = await rounds.run_line(
        olivia, '/conference add "SIR 2027" 2027-02-06 2027-02-08 America/Chicago'
    )
    assert not made.error, made.text
    actors = [Actor(C, f"m{i:03d}") for i in range(N)]
    t0 = time.perf_counter()
    for a in actors:
        assert not (await rounds.run_line(a, "/conference attend sir-2027")).error
    attend = (time.perf_counter() - t0) / N
    dispatcher = Dispatcher(rounds, rounds.outbox)
    clock.set(datetime(2027, 2, 5, 12, tzinfo=UTC))  # the preparation steps go out first
    while await dispatcher.run_once():
        pass
    sink.count = 0
    clock.set(datetime(2027, 2, 6, 13, 30, tzinfo=UTC))  # 07:30 in Chicago, day 1
    t0 = time.perf_counter()
    while await dispatcher.run_once():
        pass
    prompts = time.perf_counter() - t0
    sent = sink.count
    clock.set(datetime(2027, 2, 6, 16, tzinfo=UTC))

    async def one(a: Actor, i: int) -> tuple[float, float]:
        t = time.perf_counter()
        r = await rounds.run_line(a, f'/conference met "Dr Person {i}" faculty notes here')
        assert not r.error, r.text
        m = time.perf_counter() - t
        t = time.perf_counter()
        assert not (await rounds.run_line(a, "/conference today")).error
        return m, time.perf_counter() - t

    results = await asyncio.gather(*(one(a, i) for i, a in enumerate(actors)))
    alone = [await one(a, N + i) for i, a in enumerate(actors[:50])]
    print(f"{db.dialect}: {N} attendees")
    print(f"  /conference attend (11 jobs each): {attend * 1000:.1f} ms per member, sequential")
    print(f"  morning 3-2-1 prompts due at one minute: {sent} sent in {prompts * 1000:.0f} ms")
    print(f"  /conference met, one at a time: {_ms([m for m, _ in alone])}")
    print(f"  /conference today, one at a time: {_ms([t for _, t in alone])}")
    print(f"  /conference met, {N} at once: {_ms([m for m, _ in results])}")
    print(f"  /conference today, {N} at once: {_ms([t for _, t in results])}")
    await db.close()


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"))
    if argv:
        asyncio.run(run(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
