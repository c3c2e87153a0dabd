"""Claim due jobs, turn them into posts, deliver them, and record the outcome.

Claims are leases: a process that dies mid-dispatch leaves its claims to expire
and be claimed again. On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several bot
processes share the table without two claiming the same row. A recurring job is
sent once and moves to its next future time, never in a burst after downtime.

Every post carries an idempotency key (`job:<id>:<occurrence>:<n>` unless the
feature gave one), the same for every retry of one occurrence, so an adapter
that remembers keys never sends an occurrence twice. A dispatcher that is
running out of lease stops starting deliveries and hands the rest back, and an
outcome is only written by the worker that still holds the claim."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, ColumnElement, any_, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError

from bot.logs import log_failure
from bot.responses import Post
from bot.scheduling.jobs import KINDS, Job
from bot.scheduling.outbox import DeliveryError, Outbox
from bot.scheduling.recurrence import next_after
from bot.scheduling.tables import jobs
from bot.storage.types import UTCDateTime

if TYPE_CHECKING:
    from bot.core import Rounds

log = logging.getLogger(__name__)

_CLAIMED = (
    jobs.c.id,
    jobs.c.community_id,
    jobs.c.member_id,
    jobs.c.kind,
    jobs.c.due_at,
    jobs.c.payload,
    jobs.c.recurrence,
    jobs.c.timezone,
    jobs.c.attempts,
    jobs.c.key,
    jobs.c.sent_count,
    jobs.c.occurrence,
)
assert [c.name for c in _CLAIMED] == [f.name for f in fields(Job)], "claim columns = Job fields"


@dataclass(frozen=True)
class Policy:
    batch: int = 500
    lease: timedelta = timedelta(minutes=5)
    max_attempts: int = 5
    concurrency: int = 64
    late_after: timedelta = timedelta(minutes=2)
    backoff_base: timedelta = timedelta(seconds=30)
    backoff_max: timedelta = timedelta(hours=1)
    lease_margin: timedelta = timedelta(seconds=30)  # start no delivery this close to expiry
    finish_tries: int = 3  # attempts at recording outcomes before giving the claims up


@dataclass(frozen=True)
class _Outcome:
    """What happened to one claimed job. `sent_once` is the common case (a one-off
    delivered) and is marked in bulk; everything else carries its new row values."""

    job: Job
    sent_once: bool = False
    released: bool = False
    values: dict[str, Any] | None = None


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
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"[:64]

    async def run_once(self) -> int:
        """Deliver everything due now, batch after batch: first jobs whose claim
        expired (a process died holding them), then pending ones. Returns jobs
        finished (delivered, failed for good, or put back for a retry).

        Batches overlap: the next batch is claimed, and the previous one's
        outcomes recorded, while the current one is delivered, so the database
        and the platform calls work at the same time instead of taking turns."""
        done = 0
        behind: asyncio.Future[None] | None = None  # the previous batch's _finish
        try:
            for expired in (True, False):
                ahead = asyncio.ensure_future(self._claim(self.rounds.clock.now(), expired=expired))
                while True:
                    claimed = await ahead
                    if not claimed:
                        break
                    now = self.rounds.clock.now()
                    if len(claimed) == self.policy.batch:  # probably more waiting
                        ahead = asyncio.ensure_future(self._claim(now, expired=expired))
                    else:
                        ahead = asyncio.ensure_future(_nothing())
                    try:
                        outcomes = await self._process_batch(claimed, now)
                        if behind is not None:
                            await behind
                        behind = asyncio.ensure_future(self._finish(outcomes, now))
                    except BaseException:
                        await self._hand_back(ahead)
                        raise
                    released = sum(1 for o in outcomes if o.released)
                    done += len(claimed) - released
                    if released:  # out of lease: let the next tick (or another process) go on
                        await self._hand_back(ahead)
                        return done
        finally:
            if behind is not None:
                await behind
        return done

    async def _hand_back(self, ahead: asyncio.Future[list[Job]]) -> None:
        """Return a batch claimed ahead that will not be worked on now."""
        try:
            claimed = await ahead
        except Exception:
            log.exception("claiming ahead failed")
            return
        if claimed:
            released = [_Outcome(job, released=True) for job in claimed]
            await self._finish(released, self.rounds.clock.now())

    async def _claim(self, now: datetime, *, expired: bool = False) -> list[Job]:
        # Two index-friendly shapes rather than one OR, which would make each batch
        # sort every due row (ix_jobs_status_due serves both).
        if expired:
            due = (jobs.c.status == "claimed") & (jobs.c.claimed_until < now)
        else:
            due = (jobs.c.status == "pending") & (jobs.c.due_at <= now)
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
            .returning(*_CLAIMED)
        )
        async with self.rounds.db.begin() as conn:
            rows = (await conn.execute(stmt)).all()
        return [Job(*r) for r in rows]  # _CLAIMED lists Job's fields in order

    async def _process_batch(self, claimed: Sequence[Job], now: datetime) -> list[_Outcome]:
        """Run the batch through at most `concurrency` lanes: a slow platform call
        holds up one lane, not the batch, and a fast one costs no task per job."""
        deadline = now + self.policy.lease - self.policy.lease_margin
        results: list[_Outcome | None] = [None] * len(claimed)
        todo = iter(enumerate(claimed))

        async def lane() -> None:
            for i, job in todo:
                results[i] = await self._process(job, now, deadline)

        lanes = min(self.policy.concurrency, len(claimed))
        if lanes == 1:
            await lane()
        else:
            await asyncio.gather(*(lane() for _ in range(lanes)))
        return [r for r in results if r is not None]

    async def _process(self, job: Job, now: datetime, deadline: datetime) -> _Outcome:
        if self.rounds.clock.now() >= deadline:
            return _Outcome(job, released=True)
        try:
            handler = KINDS[job.kind]
            posts = await handler(self.rounds, job, now)
            for i, post in enumerate(posts):  # lanes bound how many sends run at once
                if post.key is None:
                    post = Post(post.to, post.message, job.delivery_key(i))
                await self.outbox.deliver(post)
        except DeliveryError as exc:
            return self._failure(job, now, exc.reason, exc.retryable, exc.retry_after)
        except Exception as exc:
            # Type only: an exception's message may quote what a member wrote.
            log_failure(log, exc, "job %s (%s) failed", job.id, job.kind)
            return self._failure(job, now, type(exc).__name__, True, None)
        return self._sent(job, now)

    def _sent(self, job: Job, now: datetime) -> _Outcome:
        if not job.recurrence:
            return _Outcome(job, sent_once=True)
        nxt = next_after(job.recurrence, job.timezone, max(now, job.due_at))
        return self._row(
            job,
            status="pending" if nxt else "delivered",
            due_at=nxt or job.due_at,
            attempts=0,
            sent=job.sent_count + 1,
            occurrence=job.occurrence + 1,
            error=None,
            last_sent_at=now,
            late=now - job.due_at > self.policy.late_after,
        )

    def _failure(
        self, job: Job, now: datetime, reason: str, retryable: bool, retry_after: float | None
    ) -> _Outcome:
        reason = reason[:300]
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
                occurrence=job.occurrence,
                error=reason,
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
                    occurrence=job.occurrence + 1,
                    error=reason,
                )
        return self._row(
            job,
            status="failed",
            due_at=job.due_at,
            attempts=job.attempts,
            sent=job.sent_count,
            occurrence=job.occurrence + 1,
            error=reason,
        )

    def _row(
        self,
        job: Job,
        *,
        status: str,
        due_at: datetime,
        attempts: int,
        sent: int,
        occurrence: int,
        error: str | None,
        last_sent_at: datetime | None = None,
        late: bool = False,
    ) -> _Outcome:
        return _Outcome(
            job,
            values={
                "jid": job.id,
                "me": self.worker,
                "st": status,
                "due": due_at,
                "att": attempts,
                "sent": sent,
                "occ": occurrence,
                "err": error,
                "lsa": last_sent_at,
                "late": late,
            },
        )

    def _among(self, ids: list[int]) -> ColumnElement[bool]:
        """`id IN (...)`; on PostgreSQL `id = ANY(:array)`, one parameter however many."""
        if self.rounds.db.dialect == "postgresql":
            return jobs.c.id == any_(bindparam("ids", ids, type_=ARRAY(BigInteger())))
        return jobs.c.id.in_(ids)

    async def _finish(self, outcomes: Sequence[_Outcome], now: datetime) -> None:
        """Record every outcome in one transaction: delivered one-offs with a single
        UPDATE, the rest with one executemany. Only rows still claimed by this
        worker change (a cancel or a reschedule meanwhile wins)."""
        mine = jobs.c.claimed_by == self.worker
        sent_ids = [o.job.id for o in outcomes if o.sent_once]
        released = [o.job.id for o in outcomes if o.released]
        rows = [o.values for o in outcomes if o.values is not None]
        for attempt in range(1, self.policy.finish_tries + 1):
            try:
                async with self.rounds.db.begin() as conn:
                    if sent_ids:
                        await conn.execute(
                            update(jobs)
                            .where(self._among(sent_ids), mine)
                            .values(
                                status="delivered",
                                attempts=0,
                                sent_count=jobs.c.sent_count + 1,
                                occurrence=jobs.c.occurrence + 1,
                                last_error=None,
                                last_sent_at=now,
                                late=jobs.c.due_at < now - self.policy.late_after,
                                claimed_by=None,
                                claimed_until=None,
                            )
                        )
                    if released:
                        await conn.execute(
                            update(jobs)
                            .where(self._among(released), mine)
                            .values(
                                status="pending",
                                attempts=jobs.c.attempts - 1,
                                claimed_by=None,
                                claimed_until=None,
                            )
                        )
                    if rows:
                        await conn.execute(_MARK, rows)
                return
            except DBAPIError:
                if attempt == self.policy.finish_tries:
                    raise  # the claims expire and the jobs are tried again
                log.warning("recording outcomes failed (try %d); retrying", attempt)
                await asyncio.sleep(0.2 * attempt)


async def _nothing() -> list[Job]:
    return []


_MARK = (
    update(jobs)
    .where(jobs.c.id == bindparam("jid"), jobs.c.claimed_by == bindparam("me"))
    .values(
        status=bindparam("st"),
        due_at=bindparam("due"),
        attempts=bindparam("att"),
        sent_count=bindparam("sent"),
        occurrence=bindparam("occ"),
        last_error=bindparam("err"),
        last_sent_at=func.coalesce(bindparam("lsa", type_=UTCDateTime()), jobs.c.last_sent_at),
        late=bindparam("late"),
        claimed_by=None,
        claimed_until=None,
    )
)
