"""Two bot processes against one PostgreSQL database deliver each due reminder
exactly once: real OS processes, each with its own dispatcher and connections,
claiming rows with FOR UPDATE SKIP LOCKED."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, text

from bot.features.reminders import store
from bot.features.reminders.when import When
from bot.scheduling.tables import jobs
from bot.schema import metadata
from bot.storage.db import Database
from tests.conftest import START

ROOT = Path(__file__).resolve().parents[2]
COUNT = 1000
WORKER = "tests.storage.dispatch_worker"


def _run_workers(
    url: str, now: str, outs: list[Path], tmp: Path
) -> tuple[list[int | None], list[tuple[str, str]]]:
    """Start two worker processes, let them go at the same moment, wait for both."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    go = tmp / "go"
    readies = [tmp / f"ready{n}" for n in range(len(outs))]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", WORKER, url, str(out), now, str(ready), str(go)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for out, ready in zip(outs, readies, strict=True)
    ]
    try:
        deadline = time.monotonic() + 60
        while not all(r.exists() for r in readies):
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                break
            time.sleep(0.05)
        go.touch()  # both start claiming at the same moment
        results = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    return [p.returncode for p in procs], results


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
    now = (START + timedelta(minutes=1)).isoformat()
    outs = [tmp_path / "out0.txt", tmp_path / "out1.txt"]
    codes, results = await asyncio.to_thread(_run_workers, pg_url, now, outs, tmp_path)
    assert codes == [0, 0], results
    finished = [int(stdout.strip()) for stdout, _ in results]
    keys = [k for out in outs for k in out.read_text().split()]
    per_process = [len(out.read_text().split()) for out in outs]
    dupes = [k for k, n in Counter(keys).items() if n > 1]
    assert dupes == [] and len(keys) == COUNT  # none twice, none lost
    assert sum(finished) == COUNT
    assert all(n > 0 for n in per_process), per_process  # they really shared the work
    async with db.connect() as conn:
        rows = (await conn.execute(select(jobs.c.status, jobs.c.sent_count))).all()
    assert Counter(tuple(r) for r in rows) == {("delivered", 1): COUNT}
    await db.close()
