"""One bot process's dispatcher, for the two-process and kill tests: it waits for
a go file, then ticks like `rounds run` does (Scheduler -> Dispatcher.run_once,
default Policy) until no job is pending or claimed, delivering to a deliverer
that writes to its own file. Prints how many jobs it finished.

    python -m tests.storage.dispatch_worker DB_URL OUT_FILE ANCHOR READY_FILE GO_FILE

ANCHOR is `<ISO time>@<Unix seconds>`: the worker's clock reads the ISO time at
those Unix seconds and runs with real time from there, so processes started
together share one clock. Between ticks the real scheduler waits `POLL`; the
worker waits for real only while the jobs table changes (another process is
working), and when nothing moves it jumps its clock to the next tick instead of
sleeping (a dead process's leases then run out on the clock, not on the wall).

Each delivery writes `start <key>` before the "platform call" (a short sleep)
and `sent <key> <clock time>` after it, so a test can tell posts that went out
from posts in flight at a kill."""

from __future__ import annotations

import asyncio
import inspect
import os
import random
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.content import load_content
from bot.core import Rounds
from bot.responses import Post
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.service import Scheduler
from bot.scheduling.tables import jobs, sent_keys
from bot.storage.db import Database

POLL: timedelta = inspect.signature(Scheduler).parameters["poll"].default
HORIZON = timedelta(minutes=15)  # give up when the clock has jumped this far
ROOT = Path(__file__).resolve().parents[2]
WORKER = "tests.storage.dispatch_worker"


def spawn(url: str, out: Path, anchor: str, ready: Path, go: Path) -> subprocess.Popen[str]:
    """Start a worker process (it waits for `go` to exist)."""
    return subprocess.Popen(
        [sys.executable, "-m", WORKER, url, str(out), anchor, str(ready), str(go)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def anchor(at: datetime) -> str:
    """A clock anchor for workers started now: they read `at` at this moment."""
    return f"{at.isoformat()}@{time.time()}"


class Log:
    """What one worker's deliverer wrote: keys started, and keys sent with their times."""

    def __init__(self, path: Path) -> None:
        self.started: list[str] = []
        self.sent: dict[str, list[datetime]] = {}
        lines = path.read_text().splitlines() if path.exists() else []
        for line in lines:
            what, key, *when = line.split()
            if what == "start":
                self.started.append(key)
            elif when:  # a line cut by a kill has no time: it never completed
                self.sent.setdefault(key, []).append(datetime.fromisoformat(when[0]))


async def recorded(conn: AsyncConnection) -> set[str]:
    """Keys recorded as sent: in sent_keys, or a job's own single post of an
    occurrence its row has moved past (delivered, or on to the next one)."""
    keys = set((await conn.execute(select(sent_keys.c.key))).scalars())
    rows = await conn.execute(select(jobs.c.id, jobs.c.occurrence))
    return keys | {f"job:{r.id}:{n}:0" for r in rows for n in range(r.occurrence)}


class ForwardClock:
    """Real time from an anchor, plus the waits skipped."""

    def __init__(self, anchor: str) -> None:
        at, wall = anchor.rsplit("@", 1)
        self.start = datetime.fromisoformat(at)
        self.wall = float(wall)
        self.skipped = timedelta()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.time() - self.wall) + self.skipped


class FileDeliverer:
    """Writes `start <key>`, takes 1-4 ms like a platform call, writes `sent <key> <time>`."""

    def __init__(self, path: Path, clock: ForwardClock) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.clock = clock

    async def deliver(self, post: Post) -> None:
        os.write(self.fd, f"start {post.key}\n".encode())
        await asyncio.sleep(random.uniform(0.001, 0.004))
        os.write(self.fd, f"sent {post.key} {self.clock.now().isoformat()}\n".encode())


async def _live(db: Database) -> int:
    async with db.connect() as conn:
        query = select(func.count()).where(jobs.c.status.in_(("pending", "claimed")))
        return int((await conn.execute(query)).scalar_one())


async def main(rounds: Rounds, db: Database, clock: ForwardClock) -> int:
    dispatcher = Dispatcher(rounds, rounds.outbox)
    finished = 0
    while clock.skipped < HORIZON:
        finished += await dispatcher.run_once()
        live = await _live(db)
        if live == 0:
            break
        await asyncio.sleep(0.3)
        if await _live(db) == live:  # nobody is working: on to the next tick
            clock.skipped += POLL
    else:
        print(f"gave up with jobs left after {HORIZON}", file=sys.stderr)
        return 3
    await db.close()
    print(finished)
    return 0


if __name__ == "__main__":
    url, out, at, ready, go = sys.argv[1:6]
    database = Database(url)
    fwd = ForwardClock(at)
    core = Rounds(database, load_content(), clock=fwd)
    core.outbox.register("console", FileDeliverer(Path(out), fwd))
    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.01)
    sys.exit(asyncio.run(main(core, database, fwd)))
