"""A bot process killed with SIGKILL in the middle of a dispatch: a fresh process
started after the lease has run out delivers the rest. Nothing is lost, and a
post that went out just before the kill is sent again with the same
idempotency key (so the platform side can drop it); nothing else repeats."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.features.reminders import store
from bot.features.reminders.when import When
from bot.scheduling.tables import jobs
from bot.schema import metadata
from bot.storage.db import Database
from tests.conftest import START

ROOT = Path(__file__).resolve().parents[2]
COUNT = 600
WORKER = "tests.storage.dispatch_worker"
# Delivered but not yet recorded when killed: the batch being delivered and the one
# before it, whose outcomes are written while the next is delivered (batch 25).
IN_FLIGHT = 2 * 25


async def _seed(db: Database) -> None:
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    async with db.begin() as conn:
        if db.dialect == "postgresql":
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        for i in range(COUNT):
            await store.add(
                conn,
                community_id="console:demo",
                member_id=f"m{i % 40}",
                when=When(START + timedelta(seconds=i % 60)),
                text=f"r{i}",
                tz="UTC",
                now=START - timedelta(days=1),
            )


def _worker(url: str, out: Path, now: str, tmp: Path, tag: str) -> subprocess.Popen[str]:
    go = tmp / f"go-{tag}"
    go.touch()
    return subprocess.Popen(
        [sys.executable, "-m", WORKER, url, str(out), now, str(tmp / f"ready-{tag}"), str(go)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_sigkill_mid_dispatch_loses_nothing(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path}/bot.db"
    else:
        url = request.getfixturevalue("pg_url")
    db = Database(url)
    await db.migrate()
    await _seed(db)
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    proc = _worker(url, first, (START + timedelta(minutes=1)).isoformat(), tmp_path, "a")
    deadline = time.monotonic() + 60
    while len(_lines(first)) < COUNT // 4 and proc.poll() is None:
        assert time.monotonic() < deadline, "the worker never got going"
        await asyncio.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    delivered_before = len(_lines(first))
    assert delivered_before < COUNT  # killed in the middle
    # A new process, after the dead one's leases (5 minutes) have run out.
    later = (START + timedelta(minutes=10)).isoformat()
    again = _worker(url, second, later, tmp_path, "b")
    _, err = await asyncio.to_thread(again.communicate, timeout=120)
    assert again.returncode == 0, err
    keys = _lines(first) + _lines(second)
    repeated = {k: n for k, n in Counter(keys).items() if n > 1}
    expected = {f"job:{i}:0:0" for i in range(1, COUNT + 1)}
    assert set(keys) == expected  # none lost
    assert all(n == 2 for n in repeated.values()) and len(repeated) <= IN_FLIGHT
    async with db.connect() as conn:
        rows = (await conn.execute(select(jobs.c.status, jobs.c.sent_count))).all()
    assert Counter(tuple(r) for r in rows) == {("delivered", 1): COUNT}
    await db.close()
