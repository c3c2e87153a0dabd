"""PostgreSQL restarted, or down for a while, under the running bot, on a private
throwaway cluster (never the shared server). Members see at worst a friendly
"nothing was changed" while it is down, and the bot reconnects by itself:
commands work again, nothing stored is lost, and a reminder that fell due
during the outage is delivered once when the database is back."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.commands import Actor
from bot.content import Content
from bot.core import Rounds
from bot.responses import Response
from bot.scheduling.dispatcher import Dispatcher, Policy
from bot.scheduling.service import Scheduler
from bot.scheduling.tables import jobs
from bot.storage.db import Database
from tests.fakes.outbox import RecordingDeliverer

BIN = Path("/usr/lib/postgresql/15/bin")
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # root can't
SORRY = "Something went wrong on our side; nothing was changed. Please try again in a minute."
ALICE = Actor("console:demo", "alice")


class Cluster:
    """A PostgreSQL cluster of our own in a temp dir, on a free port of 127.0.0.1."""

    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.data = root / "data"

    def ctl(self, *args: str) -> None:
        # -l: the server must not inherit our pipes, or run() waits for it to exit.
        cmd = [str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-w"]
        subprocess.run([*AS_POSTGRES, *cmd, *args], check=True, capture_output=True)

    def running(self) -> bool:
        status = [str(BIN / "pg_ctl"), "-D", str(self.data), "status"]
        return subprocess.run([*AS_POSTGRES, *status], capture_output=True).returncode == 0

    async def restart(self) -> None:
        await asyncio.to_thread(self.ctl, "-m", "fast", "restart")

    async def stop(self) -> None:
        await asyncio.to_thread(self.ctl, "-m", "fast", "stop")

    async def start(self) -> None:
        await asyncio.to_thread(self.ctl, "start")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    if not (BIN / "initdb").exists() or not (BIN / "pg_ctl").exists():
        pytest.skip(f"PostgreSQL binaries not found in {BIN}")
    root = Path(tempfile.mkdtemp(prefix="rounds-pg-"))  # /tmp: the postgres user can reach it
    cluster = Cluster(root, _free_port())
    try:
        initdb = [str(BIN / "initdb"), "-D", str(cluster.data), "-A", "trust", "-U", "postgres"]
        try:
            if AS_POSTGRES:
                shutil.chown(root, "postgres", "postgres")
            done = subprocess.run(
                [*AS_POSTGRES, *initdb, "--no-sync"], capture_output=True, text=True
            )
        except (LookupError, OSError) as exc:  # no postgres user, or no runuser
            pytest.skip(f"cannot run initdb: {exc}")
        if done.returncode:
            pytest.skip(f"initdb failed: {done.stderr.strip()[-300:]}")
        with (cluster.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = '127.0.0.1'\nport = {cluster.port}\n"
                f"unix_socket_directories = '{root}'\nfsync = off\n"
            )
        cluster.ctl("start")
        yield cluster
    finally:
        if cluster.data.exists():
            with contextlib.suppress(subprocess.CalledProcessError):  # it was not running
                cluster.ctl("-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
async def pg_rounds(cluster: Cluster, content: Content, clock: FakeClock) -> AsyncIterator[Rounds]:
    """The core on a fresh, migrated database of the private cluster."""
    if not cluster.running():
        await cluster.start()  # an earlier test failed while it was down
    name = f"rounds_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(cluster.url().replace("+asyncpg", ""))
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    db = Database(cluster.url(name))
    await db.migrate()
    yield Rounds(db, content, clock=clock)
    await db.close()


async def _say(rounds: Rounds, line: str, actor: Actor = ALICE) -> Response:
    response = await rounds.run_line(actor, line)
    assert not response.error, f"{line!r} failed: {response.text}"
    return response


async def _timezone(rounds: Rounds) -> str:
    return str((await _say(rounds, "/profile show")).data["profile"]["timezone"])


async def test_restart_under_the_bot(pg_rounds: Rounds, cluster: Cluster) -> None:
    members = [Actor("console:demo", f"m{i}") for i in range(5)]
    await _say(pg_rounds, "/profile set timezone Europe/Berlin")
    # several commands at once, so the pool holds several connections the restart will cut
    await asyncio.gather(*(_say(pg_rounds, "/profile set stage MS3", m) for m in members))
    await cluster.restart()
    # The very first commands after the restart work, several at once too: the member's
    # context read meets a dropped connection, SQLAlchemy discards the stale pool and
    # the read runs again on a fresh one (Database.read).
    after = await asyncio.gather(*(pg_rounds.run_line(m, "/profile show") for m in members))
    assert [r.error for r in after] == [False] * len(members)
    assert {r.data["profile"]["stage"] for r in after} == {"ms3"}
    assert await _timezone(pg_rounds) == "Europe/Berlin"  # written before: still there
    await _say(pg_rounds, "/profile set timezone America/Chicago")
    assert await _timezone(pg_rounds) == "America/Chicago"  # written after: visible


async def test_an_idle_connection_is_checked_before_use(
    pg_rounds: Rounds, cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pooled connection idle longer than IDLE_PING is pinged at checkout and
    replaced if the server dropped it, so even a plain read (no retry) works."""
    db = pg_rounds.db
    async with db.connect() as conn:
        await conn.execute(select(jobs.c.id).limit(1))
    monkeypatch.setattr("bot.storage.db.IDLE_PING", 0.0)  # every pooled connection is "idle"
    await cluster.restart()
    async with db.connect() as conn:
        assert (await conn.execute(select(jobs.c.id).limit(1))).all() == []


async def test_down_for_a_while(pg_rounds: Rounds, cluster: Cluster, clock: FakeClock) -> None:
    await _say(pg_rounds, "/profile set timezone Europe/Berlin")
    await _say(pg_rounds, "/remind me in 1 minute call the program coordinator")
    recorder = RecordingDeliverer()
    pg_rounds.outbox.register("console", recorder)
    scheduler = Scheduler(Dispatcher(pg_rounds, pg_rounds.outbox, Policy(batch=50)))
    await cluster.stop()
    # A member's command gets the friendly answer, not a traceback.
    down = await pg_rounds.run_line(ALICE, "/profile set timezone America/Chicago")
    assert down.error and down.text == SORRY
    # The reminder falls due while the database is down: the scheduler's tick fails
    # quietly (the dispatcher cannot claim; the tick logs it and the next one tries again).
    clock.advance(timedelta(minutes=1))
    await scheduler.tick()
    assert recorder.posts == []
    await cluster.start()
    await scheduler.tick()
    await scheduler.tick()
    assert [t.split("\n")[0] for t in recorder.texts()] == ["call the program coordinator"]
    async with pg_rounds.db.connect() as conn:
        rows = (await conn.execute(select(jobs.c.status, jobs.c.sent_count))).all()
    assert [tuple(r) for r in rows] == [("delivered", 1)]
    assert await _timezone(pg_rounds) == "Europe/Berlin"  # the failed write changed nothing
