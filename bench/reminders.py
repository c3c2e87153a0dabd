"""How fast the real Dispatcher delivers due reminders, against a bare
claim-deliver-mark loop on the same database.

    python -m bench.reminders                      # 100,000 reminders, SQLite
    python -m bench.reminders --count 5000         # a CI-size run
    ROUNDS_BENCH_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/postgres \\
        python -m bench.reminders                  # SQLite and PostgreSQL

The PostgreSQL URL (--postgres, or ROUNDS_BENCH_POSTGRES_URL, or
ROUNDS_TEST_POSTGRES_URL) names a server and an admin database; the bench creates
a fresh database there and drops it afterwards.

Each run schedules `count` reminders across `members` members, all due, the way
/remind stores them, in one of two layouts: "community", where due order follows
creation order with a few minutes' jitter (members add reminders over time, each
due some while later), and "strided", the pathological one, where rows next in
due order are 100 ids apart (so every claim and mark touches a page per row);
then delivers them to a no-op deliverer that counts delivery keys. The bare loop
is the least any dispatcher must do: one hand-written UPDATE ... RETURNING claim
per batch, a no-op send per row, one UPDATE marking the batch. Both paths use
the same batch size and database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import bindparam, insert, text

from bot.clock import FakeClock
from bot.content import load_content
from bot.core import Rounds
from bot.features.reminders.store import KIND, payload
from bot.features.reminders.when import When
from bot.responses import Post
from bot.scheduling.dispatcher import Dispatcher, Policy
from bot.scheduling.tables import jobs
from bot.storage.db import Database

NOW = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
COMMUNITY = "console:bench"


@dataclass
class Result:
    backend: str
    path: str
    layout: str
    delivered: int
    seconds: float
    duplicates: int
    lost: int

    @property
    def rate(self) -> float:
        return self.delivered / self.seconds if self.seconds else 0.0


class NoopDeliverer:
    """Sends nothing; remembers each key so duplicates and losses can be counted."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    async def deliver(self, post: Post) -> None:
        self.keys.append(post.key or "")


LAYOUTS = ("community", "strided")


def _due(i: int, count: int, layout: str) -> datetime:
    """When reminder `i` (in creation order) is due: see the module's docstring."""
    if layout == "strided":
        return NOW - timedelta(seconds=1 + i % 100)  # due now, not late
    jitter = (i * 7919) % 300  # a fixed shuffle within five minutes
    return NOW - timedelta(seconds=1 + (count - i) // 10 + jitter)


SEEDED = "bench_jobs_seeded"  # the last seed's rows, kept to lay them down again


async def seed(
    db: Database, count: int, members: int, layout: str = "community", again: bool = False
) -> float:
    """`count` due reminders across `members` members, as /remind stores them; the
    seconds the inserts took. With `again`, the previous seed's rows (ids included),
    copied back on the server in the same order: the same table, sooner."""
    async with db.begin() as conn:
        await conn.execute(jobs.delete())
    start = time.perf_counter()
    if again:
        async with db.begin() as conn:
            await conn.execute(text(f"INSERT INTO jobs SELECT * FROM {SEEDED} ORDER BY id"))
        seconds = time.perf_counter() - start
        await settle(db)
        return seconds
    chunk = 5000
    for lo in range(0, count, chunk):
        rows = []
        for i in range(lo, min(count, lo + chunk)):
            due = _due(i, count, layout)
            member = f"m{i % members}"
            rows.append(
                {
                    "community_id": COMMUNITY,
                    "member_id": member,
                    "kind": KIND,
                    "due_at": due,
                    "payload": payload(f"email mentor #{i}", When(due), None, member, ["1h"]),
                    "recurrence": None,
                    "timezone": "America/New_York",
                    "status": "pending",
                    "attempts": 0,
                    "key": None,
                    "sent_count": 0,
                    "occurrence": 0,
                    "late": False,
                    "created_at": NOW - timedelta(days=1),
                }
            )
        async with db.begin() as conn:
            await conn.execute(insert(jobs), rows)
    seconds = time.perf_counter() - start
    async with db.begin() as conn:
        await conn.execute(text(f"DROP TABLE IF EXISTS {SEEDED}"))
        await conn.execute(text(f"CREATE TABLE {SEEDED} AS SELECT * FROM jobs"))
    await settle(db)
    return seconds


async def settle(db: Database) -> None:
    """Fresh statistics and no leftover garbage, so neither path inherits the other's."""
    if db.dialect == "postgresql":
        async with db.engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await auto.execute(text("VACUUM ANALYZE jobs"))
    else:
        async with db.begin() as conn:
            await conn.execute(text("ANALYZE"))
        async with db.connect() as conn:
            await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


async def check(db: Database) -> tuple[int, int]:
    """(rows delivered once, rows not delivered) according to the table."""
    async with db.connect() as conn:
        rows = (await conn.execute(text("SELECT status, sent_count FROM jobs"))).all()
    done = sum(1 for r in rows if r.status == "delivered" and r.sent_count == 1)
    return done, len(rows) - done


def _tally(keys: list[str], count: int) -> tuple[int, int]:
    seen = Counter(keys)
    duplicates = sum(n - 1 for n in seen.values())
    return duplicates, count - len(seen)


async def run_dispatcher(
    db: Database, count: int, policy: Policy, backend: str, layout: str = "community"
) -> Result:
    rounds = Rounds(db, load_content(), clock=FakeClock(NOW))
    sink = NoopDeliverer()
    rounds.outbox.register("console", sink)
    dispatcher = Dispatcher(rounds, rounds.outbox, policy)
    start = time.perf_counter()
    while await dispatcher.run_once():
        pass
    seconds = time.perf_counter() - start
    duplicates, lost = _tally(sink.keys, count)
    _, undelivered = await check(db)
    return Result(
        backend, "dispatcher", layout, len(sink.keys), seconds, duplicates, max(lost, undelivered)
    )


async def run_bare(
    db: Database, count: int, batch: int, backend: str, layout: str = "community"
) -> Result:
    lock = " FOR UPDATE SKIP LOCKED" if db.dialect == "postgresql" else ""
    claim = text(
        "UPDATE jobs SET status = 'claimed', claimed_by = 'bare', claimed_until = :until, "
        "attempts = attempts + 1 WHERE id IN (SELECT id FROM jobs WHERE status = 'pending' "
        f"AND due_at <= :now ORDER BY due_at LIMIT :batch{lock}) RETURNING id"
    ).bindparams(
        bindparam("until", type_=jobs.c.due_at.type), bindparam("now", type_=jobs.c.due_at.type)
    )
    mark = text(
        "UPDATE jobs SET status = 'delivered', sent_count = sent_count + 1, "
        "claimed_by = NULL, claimed_until = NULL, last_sent_at = :now "
        "WHERE id IN :ids AND claimed_by = 'bare'"
    ).bindparams(bindparam("ids", expanding=True), bindparam("now", type_=jobs.c.due_at.type))
    delivered: list[str] = []

    async def noop(job_id: int) -> None:
        delivered.append(str(job_id))

    start = time.perf_counter()
    while True:
        async with db.begin() as conn:
            ids = [
                r[0]
                for r in await conn.execute(
                    claim, {"until": NOW + timedelta(minutes=5), "now": NOW, "batch": batch}
                )
            ]
        if not ids:
            break
        for job_id in ids:
            await noop(job_id)
        async with db.begin() as conn:
            await conn.execute(mark, {"ids": ids, "now": NOW})
    seconds = time.perf_counter() - start
    duplicates, lost = _tally(delivered, count)
    _, undelivered = await check(db)
    return Result(
        backend, "bare loop", layout, len(delivered), seconds, duplicates, max(lost, undelivered)
    )


async def bench_backend(
    backend: str, url: str, count: int, members: int, policy: Policy, repeat: int
) -> tuple[list[Result], float]:
    """Both layouts, each path's best of `repeat` runs (alternating which goes first);
    and the seconds the last layout's inserts took."""
    results: list[Result] = []
    scheduled = 0.0
    for layout in LAYOUTS:
        got, scheduled = await _bench_layout(backend, url, count, members, policy, repeat, layout)
        results += got
    return results, scheduled


async def _bench_layout(
    backend: str, url: str, count: int, members: int, policy: Policy, repeat: int, layout: str
) -> tuple[list[Result], float]:
    db = Database(url)
    await db.migrate()
    try:
        warm = min(count, 2000)  # warm caches and connections for both paths
        await seed(db, warm, members)
        await run_bare(db, warm, policy.batch, backend)
        await seed(db, warm, members)
        await run_dispatcher(db, warm, policy, backend)
        bare: list[Result] = []
        real: list[Result] = []
        scheduled = await seed(db, count, members, layout)  # the inserts, timed once
        again = False  # then the same rows for every later run
        for n in range(repeat):
            order = ("bare", "real") if n % 2 == 0 else ("real", "bare")
            for path in order:
                if again:
                    await seed(db, count, members, layout, again=True)
                again = True
                if path == "bare":
                    bare.append(await run_bare(db, count, policy.batch, backend, layout))
                else:
                    real.append(await run_dispatcher(db, count, policy, backend, layout))
        pick = [min(bare, key=lambda r: r.seconds), min(real, key=lambda r: r.seconds)]
        for best, runs in zip(pick, (bare, real), strict=True):  # correctness of every run
            best.duplicates = max(r.duplicates for r in runs)
            best.lost = max(r.lost for r in runs)
        return pick, scheduled
    finally:
        await db.close()


async def _pg_database(admin_url: str) -> tuple[str, str]:
    import asyncpg

    name = f"rounds_bench_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://"))
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return name, admin_url.rsplit("/", 1)[0] + "/" + name


async def _pg_drop(admin_url: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://"))
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


def table(results: list[Result]) -> str:
    bare = {(r.backend, r.layout): r for r in results if r.path == "bare loop"}
    head = (
        "backend",
        "layout",
        "path",
        "delivered",
        "seconds",
        "rate/s",
        "vs bare",
        "duplicates",
        "lost",
    )
    lines = [head]
    for r in results:
        base = bare.get((r.backend, r.layout))
        ratio = f"{r.seconds / base.seconds:.2f}x" if base and base.seconds else "-"
        lines.append(
            (
                r.backend,
                r.layout,
                r.path,
                f"{r.delivered:,}",
                f"{r.seconds:.2f}",
                f"{r.rate:,.0f}",
                ratio,
                str(r.duplicates),
                str(r.lost),
            )
        )
    widths = [max(len(row[i]) for row in lines) for i in range(len(head))]
    out = []
    for n, row in enumerate(lines):
        out.append(" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
        if n == 0:
            out.append("-+-".join("-" * w for w in widths))
    return "\n".join(out)


async def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.reminders", description=__doc__.split("\n")[0]
    )
    p.add_argument("--count", type=int, default=100_000, help="reminders to deliver")
    p.add_argument("--members", type=int, default=1_000, help="members they belong to")
    p.add_argument("--batch", type=int, default=Policy().batch, help="claim batch size")
    p.add_argument(
        "--postgres",
        default=os.environ.get("ROUNDS_BENCH_POSTGRES_URL")
        or os.environ.get("ROUNDS_TEST_POSTGRES_URL"),
        help="PostgreSQL server URL (an admin database; a fresh one is created)",
    )
    p.add_argument("--repeat", type=int, default=1, help="runs of each path; the best counts")
    p.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = p.parse_args(argv)
    policy = Policy(batch=args.batch)
    results: list[Result] = []
    notes: list[str] = []
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            got, scheduled = await bench_backend(
                "sqlite", url, args.count, args.members, policy, args.repeat
            )
            results += got
            notes.append(f"sqlite: scheduled {args.count:,} in {scheduled:.2f}s")
    if args.postgres:
        name, url = await _pg_database(args.postgres)
        try:
            got, scheduled = await bench_backend(
                "postgresql", url, args.count, args.members, policy, args.repeat
            )
            results += got
            notes.append(f"postgresql: scheduled {args.count:,} in {scheduled:.2f}s")
        finally:
            await _pg_drop(args.postgres, name)
    else:
        notes.append("postgresql: skipped (give --postgres or ROUNDS_BENCH_POSTGRES_URL)")
    print(
        f"{args.count:,} due reminders across {args.members:,} members, batch {policy.batch}, "
        f"no-op deliverer, best of {args.repeat}"
    )
    print(table(results))
    for note in notes:
        print(note)
    bad = [r for r in results if r.duplicates or r.lost]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
