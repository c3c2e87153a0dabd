"""Claim due jobs, turn them into posts, deliver them, and record the outcome.

Claims are leases, short and renewed while the dispatcher works: a process
that dies mid-dispatch leaves its claims to expire within `Policy.lease`, and
the next tick of any process (its restart, or another one) claims them again.
On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several processes share the table
without two claiming the same row, and each claims `batch` rows at a time only
when its lanes are about to run dry, so a process holds a bounded share and
another process finds the rest. A recurring job is sent once and moves to its
next future time, never in a burst after downtime.

Delivery runs in `concurrency` lanes fed from the claimed rows: a slow platform
call holds its own lane (and at most `send_timeout`), never the others. Every
post carries an idempotency key (`job:<id>:<occurrence>:<n>` unless the feature
gave one), the same for every retry of one occurrence. Each job is finished on
its own: right after a post's platform call returns, its key goes into the next
group commit (bot.scheduling.group_commit) with the job's outcome, and every
write of a run (outcomes, keys, lease renewals, claims) goes through that one
group commit. A job tried before skips the keys that went out (sent_keys; a
job's own last key is recorded by its outcome). No post starts while
`unrecorded` posts wait for their record, so a crash re-sends at most that many,
and only posts whose platform call had returned. A dispatcher that is running
out of lease (it could not renew) stops starting deliveries and hands the rest
back, and an outcome is only written by the worker that still holds the claim."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.logs import log_failure
from bot.responses import Post
from bot.scheduling import sent
from bot.scheduling.group_commit import GroupCommit, RecordFailed
from bot.scheduling.jobs import KINDS, Job
from bot.scheduling.outbox import DeliveryError, Outbox
from bot.scheduling.recurrence import next_after
from bot.scheduling.retention import purge_finished
from bot.scheduling.statements import Statements, job

if TYPE_CHECKING:
    from bot.core import Rounds

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Policy:
    batch: int = 200  # rows per claim; a process holds at most batch + concurrency
    lease: timedelta = timedelta(seconds=30)  # renewed every third of it while working
    max_attempts: int = 5
    concurrency: int = 64  # lanes: platform calls in flight at once
    unrecorded: int = 256  # posts sent, or being sent, whose keys are not yet committed
    late_after: timedelta = timedelta(minutes=2)
    backoff_base: timedelta = timedelta(seconds=30)
    backoff_max: timedelta = timedelta(hours=1)
    lease_margin: timedelta = timedelta(seconds=10)  # start no delivery this close to expiry
    send_timeout: timedelta = timedelta(seconds=10)  # one platform call, then a retry later
    finish_tries: int = 3  # attempts at recording outcomes before giving the claims up
    keep_sent: timedelta = timedelta(days=30)  # how long sent keys are remembered
    keep_done: timedelta = timedelta(days=30)  # delivered / cancelled one-offs (retention)


@dataclass(slots=True)
class _Outcome:
    """What happened to one claimed job. `sent_once` is the common case (a one-off
    delivered) and is marked in bulk; everything else carries its new row values."""

    job: Job
    sent_once: bool = False
    released: bool = False
    values: dict[str, Any] | None = None


@dataclass(slots=True)
class _Record:
    """One item of a group commit: keys sent, a job's outcome, a lease renewal, or
    a request for more jobs. Every write of a run goes through one group commit, so
    on SQLite no two of them wait on each other's lock."""

    outcome: _Outcome | None = None
    sent: tuple[sent.Sent, ...] = ()  # keys to remember (not the job's own last key)
    posts: int = 0  # posts sent that this record covers (their window places)
    renew: bool = False
    claim: bool = False  # and claim the next batch in the same transaction


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
        self._safe_until = rounds.clock.now()  # no delivery starts past this, less the margin
        self._stopping = False
        self._feed: _Feed | None = None
        self._forget_after = 0.0  # loop time of the next clean-up of old sent keys
        self._window = asyncio.Semaphore(self.policy.unrecorded)  # one per run, see run_once
        self._sql = Statements(rounds.db.dialect, self.worker, self.policy.batch)

    def stop(self) -> None:
        """Start no more deliveries; a run in progress hands its waiting jobs back."""
        self._stopping = True
        if self._feed is not None:
            self._feed.stop()

    async def run_once(self) -> int:
        """Deliver everything due now: first jobs whose claim expired (a process
        died holding them), then pending ones, until none is left. Returns jobs
        finished (delivered, failed for good, or put back for a retry)."""
        if self._stopping:
            return 0
        await self._forget_old_keys()
        self._safe_until = self.rounds.clock.now() + self.policy.lease
        self._window = asyncio.Semaphore(self.policy.unrecorded)
        writer: GroupCommit[_Record] = GroupCommit(self._write)
        feed = self._feed = _Feed(self, writer)
        first = await feed.prime()
        if not first:
            self._feed = None
            return 0
        keeper = asyncio.ensure_future(self._keep_leases(writer))
        lanes = [
            asyncio.ensure_future(self._lane(feed, writer))
            for _ in range(min(self.policy.concurrency, first))
        ]
        try:
            await asyncio.wait(lanes, return_when=asyncio.FIRST_EXCEPTION)
        finally:
            feed.stop()
            await asyncio.wait(lanes)  # each lane finishes the job it is on
            keeper.cancel()
            self._feed = None
            await feed.settle()
            if writer.failed is None:
                while feed.waiting:
                    job = feed.waiting.popleft()
                    await writer.add(_Record(_Outcome(job, released=True)), wait=False)
        await writer.drain()
        return sum(lane.result() for lane in lanes)

    async def _lane(self, feed: _Feed, writer: GroupCommit[_Record]) -> int:
        done = 0
        while (job := await feed.next()) is not None:
            if self.rounds.clock.now() >= self._safe_until - self.policy.lease_margin:
                feed.stop()  # out of lease: the next tick (or another process) goes on
                await writer.add(_Record(_Outcome(job, released=True)), wait=False)
                continue
            await self._process(job, writer)
            done += 1
        return done

    async def _keep_leases(self, writer: GroupCommit[_Record]) -> None:
        """Renew this worker's claims every third of the lease while it works."""
        while True:
            await asyncio.sleep(self.policy.lease.total_seconds() / 3)
            try:
                await writer.add(_Record(renew=True))
            except RecordFailed:
                return  # the run stops on it; the claims expire

    async def _forget_old_keys(self) -> None:
        """Once an hour: drop old sent keys, and finished jobs past retention."""
        loop = asyncio.get_running_loop()
        if loop.time() < self._forget_after:
            return
        self._forget_after = loop.time() + 3600
        now = self.rounds.clock.now()
        async with self.rounds.db.begin() as conn:
            await sent.forget_before(conn, now - self.policy.keep_sent)
        gone = await purge_finished(self.rounds.db, now - self.policy.keep_done)
        if gone:
            log.info("retention: deleted %d finished job(s)", gone)

    async def _claim(self, now: datetime, *, expired: bool = False) -> list[Job]:
        """Claim a batch in a transaction of its own."""
        async with self.rounds.db.begin() as conn:
            return await self._claim_on(conn, now, expired=expired)

    async def _claim_on(
        self, conn: AsyncConnection, now: datetime, *, expired: bool = False
    ) -> list[Job]:
        stmt = self._sql.claim_expired if expired else self._sql.claim_pending
        rows = await conn.execute(stmt, {"now": now, "until": now + self.policy.lease})
        return [job(r) for r in rows]

    async def _process(self, job: Job, writer: GroupCommit[_Record]) -> None:
        """Send the job's posts, each key recorded right after its send (the last
        one together with the job's outcome). A send waits while `unrecorded`
        posts await their record, so a crash leaves at most that many unrecorded."""
        now = self.rounds.clock.now()
        own = f"job:{job.id}:{job.occurrence}:"  # the prefix of the job's own keys
        last: sent.Sent | None = None  # the last post sent, recorded with the outcome
        succeeded = False
        try:
            posts = [
                p if p.key is not None else Post(p.to, p.message, f"{own}{i}")
                for i, p in enumerate(await KINDS[job.kind](self.rounds, job, now))
            ]
            for post in await self._unsent(job, own, posts):  # lanes bound the sends at once
                if last is not None:
                    await writer.add(_Record(sent=(last,), posts=1), wait=False)
                    last = None
                await self._window.acquire()  # given back when the key is committed
                if writer.failed is not None:
                    self._window.release()
                    raise RecordFailed from writer.failed  # send nothing unrecordable
                try:
                    await self.outbox.send(post, self.policy.send_timeout)
                except BaseException:
                    self._window.release()
                    raise
                last = (post.to.community_id, post.key or "")
            outcome = self._sent(job, now)
            succeeded = True
        except RecordFailed:
            raise
        except DeliveryError as exc:
            outcome = self._failure(job, now, exc.reason, exc.retryable, exc.retry_after)
        except Exception as exc:
            # Type only: an exception's message may quote what a member wrote.
            log_failure(log, exc, "job %s (%s) failed", job.id, job.kind)
            outcome = self._failure(job, now, type(exc).__name__, True, None)
        if last is None:
            await writer.add(_Record(outcome), wait=False)
        elif succeeded and last[1].startswith(own):
            # The job's own key needs no row when the job is marked sent with it:
            # its occurrence moves on, and no retry of that occurrence comes.
            await writer.add(_Record(outcome, posts=1), wait=False)
        else:
            await writer.add(_Record(outcome, (last,), posts=1), wait=False)

    async def _unsent(self, job: Job, own: str, posts: list[Post]) -> list[Post]:
        """The posts whose keys have not gone out. Only a job tried before can have
        sent its own keys (`own` and the post's index); a feature's keys are
        checked always, since any job or command may have sent them."""
        if job.attempts <= 1 and all((p.key or "").startswith(own) for p in posts):
            return posts
        keys = [(p.to.community_id, p.key or "") for p in posts]
        done = await self.rounds.db.read(lambda conn: sent.already_sent(conn, keys))
        if done:
            log.info("job %s: %d post(s) already sent, skipped", job.id, len(done))
        return [p for p, k in zip(posts, keys, strict=True) if k not in done]

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

    async def _write(self, records: list[_Record]) -> None:
        """One group commit: keys sent, outcomes, a lease renewal and a claim if asked."""
        now = self.rounds.clock.now()
        outcomes = [r.outcome for r in records if r.outcome is not None]
        keys = [k for r in records for k in r.sent]
        renew = any(r.renew for r in records)
        feed = self._feed if any(r.claim for r in records) else None
        try:
            found = await self._finish(
                outcomes, now, keys, renew=renew, claim=feed.claim_on if feed else None
            )
        finally:  # lanes waiting to send go on (or, after a failure, stop)
            for _ in range(sum(r.posts for r in records)):
                self._window.release()
        if renew:
            self._safe_until = now + self.policy.lease
        if feed is not None:
            feed.received(found)

    async def _finish(
        self,
        outcomes: Sequence[_Outcome],
        now: datetime,
        keys: Sequence[sent.Sent] = (),
        *,
        renew: bool = False,
        claim: Callable[[AsyncConnection, datetime], Awaitable[list[Job]]] | None = None,
    ) -> list[Job]:
        """Record keys sent and outcomes in one transaction: delivered one-offs
        with a single UPDATE, the rest with one executemany. Only rows still
        claimed by this worker change (a cancel or a reschedule meanwhile wins).
        Then renew this worker's claims and `claim` more, if asked; returns those."""
        sql = self._sql
        sent_ids = [o.job.id for o in outcomes if o.sent_once]
        released = [o.job.id for o in outcomes if o.released]
        rows = [o.values for o in outcomes if o.values is not None]
        for attempt in range(1, self.policy.finish_tries + 1):
            try:
                async with self.rounds.db.begin() as conn:
                    await sent.record(conn, keys, now)
                    if sent_ids:
                        late_before = now - self.policy.late_after
                        await conn.execute(
                            sql.delivered, {"ids": sent_ids, "now": now, "late_before": late_before}
                        )
                    if released:
                        await conn.execute(sql.released, {"ids": released})
                    if rows:
                        await conn.execute(sql.mark, rows)
                    if renew:
                        await conn.execute(sql.renew, {"until": now + self.policy.lease})
                    return await claim(conn, now) if claim else []
            except DBAPIError:
                if attempt == self.policy.finish_tries:
                    raise  # the claims expire and the jobs are tried again
                log.warning("recording outcomes failed (try %d); retrying", attempt)
                await asyncio.sleep(0.2 * attempt)
        return []  # not reached: the last try returns or raises


class _Feed:
    """Claimed jobs waiting for a lane. It asks for `batch` more when fewer than
    `concurrency` wait (one claim at a time, riding on the next group commit),
    so a process holds at most batch + concurrency jobs it has not started;
    claims left by a dead process are looked for first, and again every third
    of a lease."""

    def __init__(self, dispatcher: Dispatcher, writer: GroupCommit[_Record]) -> None:
        self.dispatcher = dispatcher
        self.writer = writer
        self.waiting: deque[Job] = deque()
        self._claiming: asyncio.Future[None] | None = None
        self._exhausted = False
        self._stopped = False
        self._look_expired = 0.0  # loop time of the next look for expired claims

    async def prime(self) -> int:
        """The first claim; how many jobs it found."""
        await self.writer.add(_Record(claim=True))
        return len(self.waiting)

    def stop(self) -> None:
        self._stopped = True

    async def settle(self) -> None:
        """Wait for a claim in progress; jobs it brings are put in `waiting`."""
        if self._claiming is not None:
            await asyncio.wait({self._claiming})

    async def next(self) -> Job | None:
        policy = self.dispatcher.policy
        while not self._stopped:
            low = len(self.waiting) < policy.concurrency
            if low and not self._exhausted and self._claiming is None:
                self._claiming = asyncio.ensure_future(self._claim())
            if self.waiting:
                return self.waiting.popleft()
            if self._claiming is None:
                return None
            await asyncio.shield(self._claiming)  # one claim serves every waiting lane
        return None

    async def _claim(self) -> None:
        try:
            await self.writer.add(_Record(claim=True))
        finally:
            self._claiming = None

    async def claim_on(self, conn: AsyncConnection, now: datetime) -> list[Job]:
        """The claim statements, inside the group commit's transaction."""
        d = self.dispatcher
        found: list[Job] = []
        loop = asyncio.get_running_loop()
        if loop.time() >= self._look_expired:
            found = await d._claim_on(conn, now, expired=True)
            if len(found) < d.policy.batch:
                self._look_expired = loop.time() + d.policy.lease.total_seconds() / 3
        if not found:
            found = await d._claim_on(conn, now)
            self._exhausted = len(found) < d.policy.batch  # due later: the next tick
        return found

    def received(self, found: list[Job]) -> None:
        """Jobs claimed by a committed transaction."""
        self.waiting.extend(found)
