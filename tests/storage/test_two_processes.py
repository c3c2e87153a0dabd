"""Two bot processes against one PostgreSQL database deliver each due reminder
exactly once and share the work: real OS processes, each with its own
dispatcher and connections, claiming a bounded share of rows at a time with
FOR UPDATE SKIP LOCKED. (tests/faults/test_kill_dispatch.py kills one.)"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, text

from bot.features.reminders import store
from bot.features.reminders.when import When
from bot.scheduling.dispatcher import Policy
from bot.scheduling.tables import jobs
from bot.schema import metadata
from bot.storage.db import Database
from tests.conftest import START
from tests.storage.dispatch_worker import Log, anchor, spawn

COUNT = 1000


def _run_workers(url: str, outs: list[Path], tmp: Path) -> list[tuple[int | None, str, str]]:
    """Start two worker processes, let them go at the same moment, wait for both."""
    go = tmp / "go"
    readies = [tmp / f"ready{n}" for n in range(len(outs))]
    clock = anchor(START + timedelta(minutes=1))
    procs = [spawn(url, out, clock, ready, go) for out, ready in zip(outs, readies, strict=True)]
    try:
        deadline = time.monotonic() + 120
        while not all(r.exists() for r in readies):
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                break
            time.sleep(0.05)
        go.touch()  # both start claiming at the same moment
        results = [(*p.communicate(timeout=180),) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    return [(p.returncode, out, err) for p, (out, err) in zip(procs, results, strict=True)]


async def test_two_processes_deliver_1000_reminders_exactly_once(
    pg_url: str, tmp_path: Path
) -> None:
    db = Database(pg_url)
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    async with db.begin() as conn:
        await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        for i in range(COUNT):
            await store.add(
                conn,
                community_id="console:demo",
                member_id=f"m{i % 50}",
                when=When(START + timedelta(seconds=i % 60)),
                text=f"reminder {i}",
                tz="UTC",
                now=START - timedelta(days=1),
            )
    outs = [tmp_path / "out0.txt", tmp_path / "out1.txt"]
    results = await asyncio.to_thread(_run_workers, pg_url, outs, tmp_path)
    assert [code for code, _, _ in results] == [0, 0], results
    finished = [int(stdout.strip()) for _, stdout, _ in results]
    logs = [Log(out) for out in outs]
    sent = Counter(k for log in logs for k, times in log.sent.items() for _ in times)
    assert max(sent.values()) == 1 and len(sent) == COUNT  # none twice, none lost
    assert sum(finished) == COUNT
    # they shared the work: each claims a bounded share (a batch, when its lanes run
    # low), so neither can take it all ahead of the other
    per_process = [len(log.sent) for log in logs]
    assert Policy().batch + Policy().concurrency < COUNT // 2
    assert min(per_process) >= COUNT // 10, per_process
    async with db.connect() as conn:
        rows = (await conn.execute(select(jobs.c.status, jobs.c.sent_count))).all()
    assert Counter(tuple(r) for r in rows) == {("delivered", 1): COUNT}
    await db.close()
