"""Claim due jobs, turn them into posts, deliver them, and record the outcome.

Claims are leases: a process that dies mid-dispatch leaves its claims to expire
and be claimed again. On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several bot
processes share the table without two claiming the same row. A recurring job is
sent once and moves to its next future time, never in a burst after downtime."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, or_, select, update

from bot.scheduling.jobs import KINDS, Job
from bot.scheduling.outbox import DeliveryError, Outbox
from bot.scheduling.recurrence import next_after
from bot.scheduling.tables import jobs

if TYPE_CHECKING:
    from bot.core import Rounds

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Policy:
    batch: int = 500
    lease: timedelta = timedelta(minutes=5)
    max_attempts: int = 5
    concurrency: int = 64
    late_after: timedelta = timedelta(minutes=2)
    backoff_base: timedelta = timedelta(seconds=30)
    backoff_max: timedelta = timedelta(hours=1)


class Dispatcher:
    def __init__(
        self,
        rounds: Rounds,
        outbox: Outbox,
        policy: Policy | None = None,
        worker: str | None = None,
    ) -> None:
        self.rounds = rounds
        self.outbox = outbox
        self.policy = policy or Policy()
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._sem = asyncio.Semaphore(self.policy.concurrency)

    async def run_once(self) -> int:
        """Deliver everything due now, batch after batch. Returns jobs finished."""
        done = 0
        while True:
            now = self.rounds.clock.now()
            claimed = await self._claim(now)
            if not claimed:
                return done
            outcomes = await asyncio.gather(*(self._process(job, now) for job in claimed))
            await self._finish(outcomes)
            done += len(claimed)

    async def _claim(self, now: datetime) -> list[Job]:
        due = or_(
            (jobs.c.status == "pending") & (jobs.c.due_at <= now),
            (jobs.c.status == "claimed") & (jobs.c.claimed_until < now),
        )
        pick = select(jobs.c.id).where(due).order_by(jobs.c.due_at).limit(self.policy.batch)
        if self.rounds.db.dialect == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        stmt = (
            update(jobs)
            .where(jobs.c.id.in_(pick.scalar_subquery()))
            .values(
                status="claimed",
                claimed_by=self.worker,
                claimed_until=now + self.policy.lease,
                attempts=jobs.c.attempts + 1,
            )
            .returning(*jobs.c)
        )
        async with self.rounds.db.begin() as conn:
            rows = (await conn.execute(stmt)).all()
        return [Job.from_row(r) for r in rows]

    async def _process(self, job: Job, now: datetime) -> dict[str, Any]:
        late = now - job.due_at > self.policy.late_after
        try:
            handler = KINDS[job.kind]
            posts = await handler(self.rounds, job, now)
            for i, post in enumerate(posts):
                key = post.key or f"job:{job.id}:{job.sent_count}:{i}"
                async with self._sem:
                    await self.outbox.deliver(replace(post, key=key))
        except DeliveryError as exc:
            return self._failure(job, now, exc.reason, exc.retryable, exc.retry_after)
        except Exception as exc:
            log.exception("job %s (%s) failed", job.id, job.kind)
            return self._failure(job, now, f"{type(exc).__name__}: {exc}", True, None)
        return self._sent(job, now, late)

    def _sent(self, job: Job, now: datetime, late: bool) -> dict[str, Any]:
        nxt = None
        if job.recurrence:
            nxt = next_after(job.recurrence, job.timezone, max(now, job.due_at))
        return self._row(
            job,
            status="pending" if nxt else "delivered",
            due_at=nxt or job.due_at,
            attempts=0,
            sent=job.sent_count + 1,
            last_sent_at=now,
            error=None,
            late=late,
        )

    def _failure(
        self, job: Job, now: datetime, reason: str, retryable: bool, retry_after: float | None
    ) -> dict[str, Any]:
        if retryable and job.attempts < self.policy.max_attempts:
            wait = self.policy.backoff_base * (2 ** (job.attempts - 1))
            if retry_after is not None:
                wait = max(wait, timedelta(seconds=retry_after))
            return self._row(
                job,
                status="pending",
                due_at=now + min(wait, self.policy.backoff_max),
                attempts=job.attempts,
                sent=job.sent_count,
                error=reason[:300],
            )
        log.warning(
            "job %s (%s) gave up after %s attempts: %s", job.id, job.kind, job.attempts, reason
        )
        if job.recurrence:  # a recurring item keeps its future, the failure stays recorded
            nxt = next_after(job.recurrence, job.timezone, max(now, job.due_at))
            if nxt:
                return self._row(
                    job,
                    status="pending",
                    due_at=nxt,
                    attempts=0,
                    sent=job.sent_count,
                    error=reason[:300],
                )
        return self._row(
            job,
            status="failed",
            due_at=job.due_at,
            attempts=job.attempts,
            sent=job.sent_count,
            error=reason[:300],
        )

    def _row(
        self,
        job: Job,
        *,
        status: str,
        due_at: datetime,
        attempts: int,
        sent: int,
        error: str | None,
        last_sent_at: datetime | None = None,
        late: bool = False,
    ) -> dict[str, Any]:
        return {
            "jid": job.id,
            "me": self.worker,
            "st": status,
            "due": due_at,
            "att": attempts,
            "sent": sent,
            "err": error,
            "lsa": last_sent_at,
            "late": late,
        }

    async def _finish(self, outcomes: Sequence[dict[str, Any]]) -> None:
        stmt = (
            update(jobs)
            .where(jobs.c.id == bindparam("jid"), jobs.c.claimed_by == bindparam("me"))
            .values(
                status=bindparam("st"),
                due_at=bindparam("due"),
                attempts=bindparam("att"),
                sent_count=bindparam("sent"),
                last_error=bindparam("err"),
                last_sent_at=func.coalesce(bindparam("lsa"), jobs.c.last_sent_at),
                late=bindparam("late"),
                claimed_by=None,
                claimed_until=None,
            )
        )
        async with self.rounds.db.begin() as conn:
            await conn.execute(stmt, list(outcomes))
