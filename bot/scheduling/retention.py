"""Retention: delivered and cancelled one-off jobs are deleted once they are older
than the retention period (ROUNDS_RETENTION_DAYS, 30 days by default), so a
reminder's text is not kept longer than anyone needs it. Pending, claimed and
failed jobs stay, and so does every recurring job (its row is its schedule).

Deletion goes in small batches, each a short transaction of its own, so no lock
is held long. On PostgreSQL each batch first takes a transaction-level advisory
lock without waiting: only one of many processes deletes at a time, and the
others go on with their own work. SQLite has one process (`rounds run` refuses a
second), so it needs none."""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlalchemy import ColumnElement, Text, cast, delete, func, select, text

from bot.scheduling.tables import jobs
from bot.storage.db import Database

FINISHED = ("delivered", "cancelled")
LOCK = 0x526F756E64730001  # pg_try_advisory_xact_lock key: "Rounds" and 1, housekeeping


def _deletable(before: datetime) -> ColumnElement[bool]:
    one_off = func.coalesce(cast(jobs.c.recurrence, Text), "null") == "null"
    return (
        jobs.c.status.in_(FINISHED)
        & (jobs.c.due_at < before)  # ix_jobs_status_due narrows the search
        & (func.coalesce(jobs.c.last_sent_at, jobs.c.due_at) < before)
        & (jobs.c.created_at < before)
        & one_off
    )


async def purge_finished(db: Database, before: datetime, *, batch: int = 500) -> int:
    """Delete finished one-off jobs due and sent before `before`, `batch` rows per
    transaction, until none is left or another process holds the lock. Returns
    how many rows went."""
    total = 0
    pick = select(jobs.c.id).where(_deletable(before)).limit(batch).scalar_subquery()
    while True:
        async with db.begin() as conn:
            if db.dialect == "postgresql":
                locked = await conn.execute(
                    text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": LOCK}
                )
                if not locked.scalar_one():
                    return total
            done = int((await conn.execute(delete(jobs).where(jobs.c.id.in_(pick)))).rowcount or 0)
        total += done
        if done < batch:
            return total
        await asyncio.sleep(0)  # the process's other work goes on between batches
