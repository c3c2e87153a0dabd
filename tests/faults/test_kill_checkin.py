"""A bot process killed with SIGKILL in the middle of check-in writes, then a
new one taking every member's check-in again (members retry once the bot is
back). A check-in a member was told was saved is never lost, nobody ends up
with two check-ins for the week or with one missing its answers, and a
re-submission is an update whose group posts carry keys of their own."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from bot.clock import FakeClock
from bot.commands import Actor
from bot.content import Content
from bot.core import Rounds
from bot.features.groups.tables import checkins
from bot.schema import metadata
from bot.storage.db import Database
from tests.conftest import START
from tests.faults.checkin_worker import CHUNK, WEEK, C, answers

ROOT = Path(__file__).resolve().parents[2]
GROUPS, SIZE = 30, 5
COUNT = GROUPS * SIZE
WORKER = "tests.faults.checkin_worker"
KILL_AT = COUNT // 3 + CHUNK // 2  # halfway through a batch: other saves are under way


async def _groups(db: Database, content: Content) -> dict[str, int]:
    """GROUPS groups of SIZE members, made as members make them: member -> group id."""
    if db.dialect == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        async with db.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    rounds = Rounds(db, content, clock=FakeClock(START))
    groups = [[f"m{g * SIZE + i:03d}" for i in range(SIZE)] for g in range(GROUPS)]
    made = await asyncio.gather(
        *(
            rounds.run_line(Actor(C, ms[0]), f"/group create g{g:02d}")
            for g, ms in enumerate(groups)
        )
    )
    assert not [r.text for r in made if r.error]
    joins = await asyncio.gather(
        *(
            rounds.run_line(Actor(C, m), f"/group join g{g:02d}")
            for g, ms in enumerate(groups)
            for m in ms[1:]
        )
    )
    assert not [r.text for r in joins if r.error]
    return {m: r.data["group"]["id"] for ms, r in zip(groups, made, strict=True) for m in ms}


Spawn = Callable[[str, Path, str, Path], subprocess.Popen[str]]


@pytest.fixture
def spawn() -> Iterator[Spawn]:
    """Starts bot processes that take check-ins once their go file exists; any
    still running when the test ends (a failed test) are killed."""
    procs: list[subprocess.Popen[str]] = []

    def start(url: str, out: Path, now: str, go: Path) -> subprocess.Popen[str]:
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", WORKER, url, str(out), now, out.stem, str(go)],
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                text=True,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        )
        return procs[-1]

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def _told(path: Path) -> list[dict[str, Any]]:
    """What members were told was saved: the file's complete lines."""
    raw = path.read_text() if path.exists() else ""
    return [json.loads(t) for t in raw[: raw.rfind("\n") + 1].splitlines()]


async def _stored(db: Database) -> dict[str, list[Any]]:
    async with db.connect() as conn:
        rows = (
            await conn.execute(
                select(
                    checkins.c.member_id,
                    checkins.c.week,
                    checkins.c.win,
                    checkins.c.commitments,
                    checkins.c.revision,
                ).where(checkins.c.community_id == C)
            )
        ).all()
    out: dict[str, list[Any]] = {}
    for r in rows:
        assert r.week.isoformat() == WEEK
        out.setdefault(r.member_id, []).append(r)
    return out


def _posts(gids: dict[str, int], member: str, revision: int) -> list[str]:
    """The keys of the DMs to the member's group-mates for this revision."""
    mates = sorted(m for m, g in gids.items() if g == gids[member] and m != member)
    return [f"checkin:{gids[member]}:{member}:{WEEK}:{revision}:{m}" for m in mates]


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_sigkill_mid_checkins_loses_and_doubles_nothing(
    backend: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    spawn: Spawn,
    content: Content,
) -> None:
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path}/bot.db"
    else:
        url = request.getfixturevalue("pg_url")
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    proc = spawn(url, first, START.isoformat(), tmp_path / "go-first")
    # The bot after the restart: it touches the database only once told to go.
    again = spawn(url, second, (START + timedelta(minutes=5)).isoformat(), tmp_path / "go")
    db = Database(url)
    await db.migrate()
    gids = await _groups(db, content)
    (tmp_path / "go-first").touch()
    deadline = time.monotonic() + 60
    while len(_told(first)) < KILL_AT and proc.poll() is None:
        assert time.monotonic() < deadline, "the worker never got going"
        await asyncio.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    told = {t["member"]: t for t in _told(first)}
    assert len(told) == len(_told(first))  # nobody told twice
    assert KILL_AT <= len(told) < COUNT  # killed in the middle
    assert all(t["revision"] == 1 and t["text"].startswith("Checked in") for t in told.values())

    # After the kill: every acknowledged check-in is there, whole; the rest is at
    # most the batch that was in flight, and whole too.
    stored = await _stored(db)
    assert all(len(rows) == 1 for rows in stored.values())
    assert set(told) <= set(stored)
    assert len(set(stored) - set(told)) <= CHUNK
    for member, (row,) in stored.items():
        assert (row.win, row.commitments, row.revision) == (*answers("first", member), 1)

    # The bot is back and every member sends their check-in again.
    (tmp_path / "go").touch()
    out, err = await asyncio.to_thread(again.communicate, timeout=120)
    assert again.returncode == 0, err
    assert out.split() == [str(COUNT)]
    retold = {t["member"]: t for t in _told(second)}
    assert len(retold) == len(_told(second)) == COUNT
    for member, t in retold.items():
        revision = 2 if member in stored else 1
        assert t["revision"] == revision
        assert t["text"].startswith("Updated" if revision == 2 else "Checked in")
        assert sorted(t["posts"]) == _posts(gids, member, revision)
    for t in told.values():
        assert sorted(t["posts"]) == _posts(gids, t["member"], 1)
    keys = [k for t in [*told.values(), *retold.values()] for k in t["posts"]]
    assert not [k for k, n in Counter(keys).items() if n > 1]  # no post twice

    # One check-in per member for the week, with the answers of the last save.
    final = await _stored(db)
    assert set(final) == set(gids)
    for member, rows in final.items():
        assert len(rows) == 1
        (row,) = rows
        expected = (*answers("second", member), retold[member]["revision"])
        assert (row.win, row.commitments, row.revision) == expected
    await db.close()
