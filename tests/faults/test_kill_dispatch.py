"""`kill -9` of a process dispatching 3,000 due reminders, with a new process
started at once (SQLite and PostgreSQL); and two processes dispatching together
on PostgreSQL, the busier one killed while the other goes on.

What bounds the damage (the Policy defaults, bot/scheduling/dispatcher.py):
- Twice: the key of each post sent is committed right after its platform call
  returns (a job's own key with its outcome, in group commits), a retried job
  skips recorded keys, and no post is started while `unrecorded` (256) posts
  wait for their record. So a post goes out twice only if its platform call had
  returned and its key was not yet committed when the process died: at most
  256, and none whose call had not started or not returned.
- Lost: none; every reminder is delivered and its row says so once.
- Late: the dead process's claims expire within the lease (30 s, renewed while
  a process works) and the next tick (15 s) takes them: none is more than a
  minute late counted from the kill. Times come from the workers' clock: real
  time, with the waits in which nothing happens skipped (see dispatch_worker).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text

from bot.features.reminders import store
from bot.features.reminders.when import When
from bot.scheduling.dispatcher import Policy
from bot.scheduling.tables import jobs
from bot.schema import metadata
from bot.storage.db import Database
from tests.conftest import START
from tests.storage.dispatch_worker import Log, anchor, recorded, spawn

COUNT = 3000
BEGIN = START + timedelta(minutes=1)  # the workers' clock at the go: everything is due
WINDOW = Policy().unrecorded
LATE = timedelta(minutes=1)


async def _seed(db: Database) -> dict[str, datetime]:
    """COUNT due reminders as /remind stores them; each one's delivery key -> due time."""
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    rows = []
    for i in range(COUNT):
        when, member = When(START + timedelta(seconds=i % 60)), f"m{i % 200}"
        rows.append(
            {
                "community_id": "console:demo",
                "member_id": member,
                "kind": store.KIND,
                "due_at": when.due_at,
                "payload": store.payload(f"r{i}", when, None, member, ()),
                "timezone": "UTC",
                "status": "pending",
                "attempts": 0,
                "sent_count": 0,
                "occurrence": 0,
                "late": False,
                "created_at": START - timedelta(days=1),
            }
        )
    async with db.begin() as conn:
        if db.dialect == "postgresql":
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        await conn.execute(insert(jobs), rows)
        found = (await conn.execute(select(jobs.c.id, jobs.c.due_at))).all()
    return {f"job:{r.id}:0:0": r.due_at for r in found}


async def _url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/bot.db"
    return str(request.getfixturevalue("pg_url"))


class _Workers:
    """Worker processes started ahead (a Python start takes seconds on a busy
    machine), each beginning when told to."""

    def __init__(self, url: str, tmp: Path, tags: list[str]) -> None:
        self.tmp = tmp
        clock = anchor(BEGIN)  # every worker's clock: BEGIN now, real time from here
        self.wall = float(clock.rsplit("@", 1)[1])
        self.procs = {
            t: spawn(url, tmp / f"{t}.log", clock, tmp / f"ready-{t}", tmp / f"go-{t}")
            for t in tags
        }

    async def go(self, *tags: str) -> list[subprocess.Popen[str]]:
        deadline = time.monotonic() + 120
        while not all((self.tmp / f"ready-{t}").exists() for t in tags):
            assert time.monotonic() < deadline, "a worker never started"
            assert all(self.procs[t].poll() is None for t in tags)
            await asyncio.sleep(0.02)
        for t in tags:
            (self.tmp / f"go-{t}").touch()
        return [self.procs[t] for t in tags]

    def kill(self, tag: str) -> datetime:
        """SIGKILL; the workers' clock time of the kill."""
        proc = self.procs[tag]
        os.kill(proc.pid, signal.SIGKILL)
        at = BEGIN + timedelta(seconds=time.time() - self.wall)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
        return at

    def close(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


async def _until(done: Callable[[], bool], procs: list[subprocess.Popen[str]]) -> None:
    deadline = time.monotonic() + 120
    while not done():
        assert time.monotonic() < deadline, "the workers never got that far"
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        await asyncio.sleep(0.005)


async def _finish(procs: list[subprocess.Popen[str]]) -> None:
    for proc in procs:
        _, err = await asyncio.to_thread(proc.communicate, timeout=300)
        assert proc.returncode == 0, err


def _check(
    due: dict[str, datetime],
    killed: Log,
    unrecorded: set[str],
    others: list[Log],
    killed_at: datetime,
) -> dict[str, object]:
    """The bounds above, and the figures behind them."""
    sent = Counter(k for log in [killed, *others] for k, times in log.sent.items() for _ in times)
    twice = {k for k, n in sent.items() if n > 1}
    in_flight = set(killed.started) & unrecorded  # started, key not recorded at the kill
    returned = {k for k in in_flight if k in killed.sent}  # ... and its call had returned
    assert set(sent) == set(due), "none lost"
    assert max(sent.values()) <= 2
    assert twice <= returned, "only posts whose platform call had returned go twice"
    assert len(in_flight) <= WINDOW
    after = [
        (at - max(due[k], killed_at), k)
        for log in others
        for k, times in log.sent.items()
        for at in times
        if at >= killed_at
    ]
    worst = max(after)[0] if after else timedelta()
    assert worst <= LATE, max(after)
    figures: dict[str, object] = {
        "in flight at the kill": len(in_flight),
        "of which the call had returned": len(returned),
        "sent twice": len(twice),
        "worst lateness after the kill (s)": round(worst.total_seconds(), 1),
    }
    print(f"\n{figures}")
    return figures


async def _rows(db: Database) -> Counter[tuple[str, int]]:
    async with db.connect() as conn:
        rows = (await conn.execute(select(jobs.c.status, jobs.c.sent_count))).all()
    return Counter((r.status, r.sent_count) for r in rows)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_sigkill_mid_dispatch_then_restart_at_once(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = await _url(backend, tmp_path, request)
    db = Database(url)
    await db.migrate()
    due = await _seed(db)
    workers = _Workers(url, tmp_path, ["a", "b"])
    try:
        (first,) = await workers.go("a")
        await _until(lambda: len(Log(tmp_path / "a.log").sent) >= COUNT // 4, [first])
        killed_at = workers.kill("a")
        async with db.connect() as conn:
            unrecorded = set(due) - await recorded(conn)
        killed = Log(tmp_path / "a.log")
        assert len(killed.sent) < COUNT  # killed in the middle
        await _finish(await workers.go("b"))  # the restart, at once
    finally:
        workers.close()
    _check(due, killed, unrecorded, [Log(tmp_path / "b.log")], killed_at)
    assert await _rows(db) == {("delivered", 1): COUNT}
    await db.close()


async def test_two_processes_one_killed(pg_url: str, tmp_path: Path) -> None:
    db = Database(pg_url)
    due = await _seed(db)
    workers = _Workers(pg_url, tmp_path, ["a", "b"])
    logs = [tmp_path / "a.log", tmp_path / "b.log"]

    def both_going() -> bool:
        counts = [len(Log(p).sent) for p in logs]
        return min(counts) > 0 and sum(counts) >= COUNT // 3

    try:
        procs = await workers.go("a", "b")
        await _until(both_going, procs)
        shares = [len(Log(p).sent) for p in logs]
        busier = 0 if shares[0] >= shares[1] else 1
        killed_at = workers.kill("ab"[busier])
        async with db.connect() as conn:
            unrecorded = set(due) - await recorded(conn)
        await _finish([procs[1 - busier]])
    finally:
        workers.close()
    print(f"\ndelivered by each process while both were up: {shares}")
    assert min(shares) > 0  # both delivered while both were up
    _check(due, Log(logs[busier]), unrecorded, [Log(logs[1 - busier])], killed_at)
    assert await _rows(db) == {("delivered", 1): COUNT}
    await db.close()
