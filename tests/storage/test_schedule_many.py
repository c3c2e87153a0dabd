"""Bulk scheduling leaves the jobs table exactly as scheduling one job at a time
would: keyed jobs replace their earlier selves (a delivered one comes back with a
new occurrence, a claim is dropped), a key given twice keeps its last job, and
jobs without a key are all added."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from bot.scheduling.jobs import NewJob, schedule, schedule_many
from bot.scheduling.tables import jobs
from bot.storage.db import Database
from tests.conftest import START

C = "console:demo"
NOW = START - timedelta(days=1)


def _batch() -> list[NewJob]:
    due = START + timedelta(hours=1)
    return [
        NewJob("test.echo", due, "alice", {"text": "one"}, key="k:1"),
        NewJob("test.echo", due, "bob", {"text": "loose"}),  # no key: always a new job
        NewJob("test.echo", due + timedelta(hours=1), None, {"text": "two"}, key="k:2"),
        NewJob(
            "test.echo",
            due,
            "carol",
            {"text": "weekly"},
            recurrence={"interval": {"days": 7}},
            timezone="America/Chicago",
            key="k:3",
        ),
        NewJob("test.echo", due, "bob", {"text": "loose"}),
    ]


def _moved() -> NewJob:
    return NewJob("test.echo", START + timedelta(days=2), "alice", {"text": "moved"}, key="k:1")


async def _earlier(db: Database) -> None:
    """A delivered job and a claimed one already hold two of the keys."""
    async with db.begin() as conn:
        for key in ("k:2", "k:3"):
            await schedule(conn, community_id=C, kind="test.echo", due_at=NOW, now=NOW, key=key)
        await conn.execute(
            update(jobs).where(jobs.c.key == "k:2").values(status="delivered", occurrence=1)
        )
        await conn.execute(
            update(jobs)
            .where(jobs.c.key == "k:3")
            .values(status="claimed", claimed_by="other", claimed_until=NOW, attempts=2)
        )


async def _table(db: Database) -> list[tuple[Any, ...]]:
    cols = [c for c in jobs.c if c.name not in ("id", "created_at")]
    async with db.connect() as conn:
        rows = (await conn.execute(select(*cols))).all()
    return sorted((tuple(r) for r in rows), key=repr)


async def test_schedule_many_matches_one_at_a_time(any_db: Database) -> None:
    await _earlier(any_db)
    async with any_db.begin() as conn:
        for job in _batch():
            await schedule(
                conn,
                community_id=C,
                kind=job.kind,
                due_at=job.due_at,
                now=NOW,
                member_id=job.member_id,
                payload=job.payload,
                recurrence=job.recurrence,
                timezone=job.timezone,
                key=job.key,
            )
    one_at_a_time = await _table(any_db)
    async with any_db.begin() as conn:
        await conn.execute(jobs.delete())
    await _earlier(any_db)
    async with any_db.begin() as conn:
        assert await schedule_many(conn, C, _batch(), NOW, batch=2) == 5
    assert await _table(any_db) == one_at_a_time
    by_key = {r.key: r for r in await _rows(any_db)}
    assert (by_key["k:2"].status, by_key["k:2"].occurrence) == ("pending", 2)
    assert (by_key["k:3"].claimed_by, by_key["k:3"].attempts) == (None, 0)


async def test_a_key_given_twice_keeps_its_last_job(any_db: Database) -> None:
    async with any_db.begin() as conn:
        assert await schedule_many(conn, C, [*_batch(), _moved()], NOW) == 5
    rows = [r for r in await _rows(any_db) if r.key == "k:1"]
    assert [(r.payload, r.due_at) for r in rows] == [({"text": "moved"}, _moved().due_at)]


async def test_schedule_many_twice_changes_nothing(any_db: Database) -> None:
    async with any_db.begin() as conn:
        await schedule_many(conn, C, [j for j in _batch() if j.key], NOW)
    first = {r.key: (r.id, r.due_at, r.payload) for r in await _rows(any_db)}
    async with any_db.begin() as conn:
        await schedule_many(conn, C, [j for j in _batch() if j.key], NOW)
    assert {r.key: (r.id, r.due_at, r.payload) for r in await _rows(any_db)} == first
    async with any_db.begin() as conn:
        assert await schedule_many(conn, C, [], NOW) == 0


async def _rows(db: Database) -> list[Any]:
    async with db.connect() as conn:
        return list((await conn.execute(select(jobs))).all())
