"""Retention: delivered and cancelled one-off jobs older than the retention period
are deleted (in batches); pending, failed and recurring jobs stay, and so do
recently delivered ones. The dispatcher's hourly clean-up does it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.clock import FakeClock
from bot.core import Rounds
from bot.scheduling.dispatcher import Dispatcher, Policy
from bot.scheduling.jobs import schedule
from bot.scheduling.retention import purge_finished
from bot.scheduling.tables import jobs
from bot.storage.db import Database
from tests.conftest import START

C = "console:demo"
OLD = START - timedelta(days=40)
RECENT = START - timedelta(days=3)


async def _job(db: Database, name: str, due: object, status: str, **kw: object) -> None:
    async with db.begin() as conn:
        job_id = await schedule(
            conn,
            community_id=C,
            kind="reminder",
            due_at=due,  # type: ignore[arg-type]
            now=OLD - timedelta(days=1),
            member_id="alice",
            payload={"text": name},
            key=name,
            **kw,  # type: ignore[arg-type]
        )
        sent = due if status == "delivered" else None
        await conn.execute(
            update(jobs).where(jobs.c.id == job_id).values(status=status, last_sent_at=sent)
        )


async def _seed(db: Database) -> None:
    weekly = {"interval": {"days": 7}, "start": OLD.isoformat()}
    for i in range(7):  # more than one batch of 3
        await _job(db, f"old-delivered-{i}", OLD, "delivered")
    await _job(db, "old-cancelled", OLD, "cancelled")
    await _job(db, "old-pending", OLD, "pending")
    await _job(db, "old-failed", OLD, "failed")
    await _job(db, "old-recurring-delivered", OLD, "delivered", recurrence=weekly)
    await _job(db, "old-recurring-pending", OLD, "pending", recurrence=weekly)
    await _job(db, "recent-delivered", RECENT, "delivered")
    await _job(db, "future-cancelled", START + timedelta(days=5), "cancelled")


async def _left(db: Database) -> set[str]:
    async with db.connect() as conn:
        return set((await conn.execute(select(jobs.c.key))).scalars())


KEPT = {
    "old-pending",
    "old-failed",
    "old-recurring-delivered",
    "old-recurring-pending",
    "recent-delivered",
    "future-cancelled",
}


async def test_old_finished_one_offs_go_the_rest_stay(any_db: Database) -> None:
    await _seed(any_db)
    gone = await purge_finished(any_db, START - timedelta(days=30), batch=3)
    assert gone == 8
    assert await _left(any_db) == KEPT
    assert await purge_finished(any_db, START - timedelta(days=30), batch=3) == 0


async def test_the_dispatcher_applies_the_retention_period(
    any_db: Database, content: object
) -> None:
    await _seed(any_db)
    rounds = Rounds(any_db, content, clock=FakeClock(START))  # type: ignore[arg-type]
    await Dispatcher(rounds, rounds.outbox, Policy(keep_done=timedelta(days=60))).run_once()
    assert len(await _left(any_db)) == 8 + len(KEPT)  # none is 60 days old
    await Dispatcher(rounds, rounds.outbox, Policy(keep_done=timedelta(days=30))).run_once()
    assert await _left(any_db) == KEPT
