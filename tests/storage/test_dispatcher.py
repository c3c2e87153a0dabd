"""The scheduling engine on both databases: due jobs are delivered once, recurring
ones move to their next local time, failures retry and are recorded."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.core import Rounds
from bot.responses import Post, Response, Target
from bot.scheduling.dispatcher import Dispatcher, Policy
from bot.scheduling.jobs import Job, cancel, job_kind, schedule
from bot.scheduling.outbox import DeliveryError
from bot.scheduling.tables import jobs
from tests.fakes.outbox import RecordingDeliverer

C = "console:demo"


@job_kind("test.echo")
async def _echo(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    return [
        Post(
            Target(job.community_id, member_id=job.member_id),
            Response(text=job.payload["text"], data={"late": now - job.due_at}),
        )
    ]


async def _add(rounds: Rounds, due: datetime, text: str = "hi", **kw: object) -> int:
    async with rounds.db.begin() as conn:
        return await schedule(
            conn,
            community_id=C,
            kind="test.echo",
            due_at=due,
            now=rounds.clock.now(),
            member_id="alice",
            payload={"text": text},
            **kw,
        )  # type: ignore[arg-type]


def _setup(rounds: Rounds) -> tuple[RecordingDeliverer, Dispatcher]:
    rec = RecordingDeliverer()
    rounds.outbox.register("console", rec)
    return rec, Dispatcher(rounds, rounds.outbox, Policy(batch=50))


async def _status(rounds: Rounds, job_id: int) -> tuple[str, datetime, int, str | None]:
    async with rounds.db.connect() as conn:
        row = (await conn.execute(select(jobs).where(jobs.c.id == job_id))).one()
    return row.status, row.due_at.astimezone(UTC), row.sent_count, row.last_error


async def test_one_off_delivered_once_when_due(any_rounds: Rounds, clock: FakeClock) -> None:
    rec, disp = _setup(any_rounds)
    job = await _add(any_rounds, clock.now() + timedelta(hours=1))
    assert await disp.run_once() == 0
    clock.advance(timedelta(hours=1))
    assert await disp.run_once() == 1
    assert await disp.run_once() == 0
    assert rec.texts() == ["hi"]
    assert (await _status(any_rounds, job))[0] == "delivered"


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    "zone, before, after",
    [  # spring forward and fall back, 9:00 local each Monday
        ("America/New_York", _utc(2027, 3, 8, 14), _utc(2027, 3, 15, 13)),
        ("America/New_York", _utc(2027, 11, 1, 13), _utc(2027, 11, 8, 14)),
        ("Europe/London", _utc(2027, 3, 22, 9), _utc(2027, 3, 29, 8)),
        ("Europe/London", _utc(2027, 10, 25, 8), _utc(2027, 11, 1, 9)),
    ],
)
async def test_weekly_recurrence_keeps_local_time_across_dst(
    any_rounds: Rounds, clock: FakeClock, zone: str, before: datetime, after: datetime
) -> None:
    _, disp = _setup(any_rounds)
    clock.set(before - timedelta(days=1))
    job = await _add(
        any_rounds,
        before,
        recurrence={"cron": {"day_of_week": "mon", "hour": 9, "minute": 0}},
        timezone=zone,
    )
    clock.set(before)
    await disp.run_once()
    status, due, sent, _ = await _status(any_rounds, job)
    assert (status, sent, due) == ("pending", 1, after)
    assert due.astimezone(ZoneInfo(zone)).hour == 9


async def test_restart_delivers_overdue_one_offs_once_marked_late(
    any_rounds: Rounds, clock: FakeClock
) -> None:
    rec, _ = _setup(any_rounds)
    for i in range(3):
        await _add(any_rounds, clock.now() + timedelta(hours=i), text=f"r{i}")
    clock.advance(timedelta(days=2))  # the bot was down
    fresh = Dispatcher(any_rounds, any_rounds.outbox)  # a new process
    assert await fresh.run_once() == 3
    assert sorted(rec.texts()) == ["r0", "r1", "r2"]
    async with any_rounds.db.connect() as conn:
        assert all((await conn.execute(select(jobs.c.late))).scalars())


async def test_recurring_after_long_outage_sends_once_then_next_future(
    any_rounds: Rounds, clock: FakeClock
) -> None:
    rec, disp = _setup(any_rounds)
    job = await _add(
        any_rounds,
        clock.now(),
        recurrence={"cron": {"hour": 8, "minute": 0}},
        timezone="Europe/Berlin",
    )
    clock.advance(timedelta(days=30, hours=3))
    await disp.run_once()
    _, due, sent, _ = await _status(any_rounds, job)
    assert len(rec.posts) == 1 and sent == 1
    assert due > clock.now() and due - clock.now() <= timedelta(days=1)


async def test_failures_retry_with_backoff_then_are_recorded(
    any_rounds: Rounds, clock: FakeClock
) -> None:
    rec, disp = _setup(any_rounds)
    job = await _add(any_rounds, clock.now())
    rec.fail_next = 10
    waits = []
    for _ in range(5):
        await disp.run_once()
        status, due, _, error = await _status(any_rounds, job)
        waits.append(due - clock.now())
        clock.set(due)
    assert status == "failed" and error == "platform said no"
    assert waits[0] < waits[1] < waits[2]
    assert rec.posts == []


async def test_cancel_only_in_own_community(any_rounds: Rounds, clock: FakeClock) -> None:
    _, disp = _setup(any_rounds)
    job = await _add(any_rounds, clock.now(), key="k1")
    async with any_rounds.db.begin() as conn:
        assert await cancel(conn, "console:other", ids=[job]) == 0
        assert await cancel(conn, C, keys=["k1"]) == 1
    assert await disp.run_once() == 0


async def test_keyed_schedule_replaces(any_rounds: Rounds, clock: FakeClock) -> None:
    first = await _add(any_rounds, clock.now() + timedelta(days=1), key="contact:1:follow")
    second = await _add(any_rounds, clock.now() + timedelta(days=2), key="contact:1:follow")
    assert first == second
    assert (await _status(any_rounds, first))[1] == clock.now() + timedelta(days=2)


async def test_two_dispatchers_share_work_without_duplicates(
    any_rounds: Rounds, clock: FakeClock
) -> None:
    rec = RecordingDeliverer()
    any_rounds.outbox.register("console", rec)
    async with any_rounds.db.begin() as conn:
        for i in range(300):
            await schedule(
                conn,
                community_id=C,
                kind="test.echo",
                due_at=clock.now(),
                now=clock.now(),
                payload={"text": str(i)},
            )
    a = Dispatcher(any_rounds, any_rounds.outbox, Policy(batch=20), worker="a")
    b = Dispatcher(any_rounds, any_rounds.outbox, Policy(batch=20), worker="b")
    done = await asyncio.gather(a.run_once(), b.run_once())
    assert sum(done) == 300
    assert sorted(rec.texts(), key=int) == [str(i) for i in range(300)]


async def test_delivery_keys_repeat_for_retries_and_change_per_occurrence(
    any_rounds: Rounds, clock: FakeClock
) -> None:
    rec, disp = _setup(any_rounds)
    job = await _add(any_rounds, clock.now(), recurrence={"cron": {"hour": 14, "minute": 0}})
    keys: list[str | None] = []

    class Flaky(RecordingDeliverer):
        async def deliver(self, post: Post) -> None:
            keys.append(post.key)
            await super().deliver(post)

    flaky = Flaky()
    flaky.fail_next = 1
    any_rounds.outbox.register("console", flaky)
    await disp.run_once()  # fails
    clock.advance(timedelta(minutes=1))
    await disp.run_once()  # the retry of the same occurrence
    clock.advance(timedelta(days=1))
    await disp.run_once()  # the next day's occurrence
    assert keys == [f"job:{job}:0:0", f"job:{job}:0:0", f"job:{job}:1:0"]
    assert len(flaky.posts) == 2 and rec.posts == []


_RACE: dict[str, object] = {}


@job_kind("test.race")
async def _race(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    """Meanwhile, a member cancels or reschedules the job being dispatched."""
    async with rounds.db.begin() as conn:
        if job.payload["do"] == "cancel":
            await cancel(conn, job.community_id, ids=[job.id])
        else:
            await schedule(
                conn,
                community_id=job.community_id,
                kind="test.race",
                due_at=now + timedelta(days=3),
                now=now,
                payload={"do": "reschedule"},
                key=job.key,
            )
    return [Post(Target(job.community_id, member_id="alice"), Response(text="x"))]


@pytest.mark.parametrize("do, status", [("cancel", "cancelled"), ("reschedule", "pending")])
async def test_a_change_made_during_dispatch_is_not_overwritten(
    any_rounds: Rounds, clock: FakeClock, do: str, status: str
) -> None:
    _, disp = _setup(any_rounds)
    async with any_rounds.db.begin() as conn:
        job = await schedule(
            conn,
            community_id=C,
            kind="test.race",
            due_at=clock.now(),
            now=clock.now(),
            payload={"do": do},
            key="race:1",
        )
    await disp.run_once()
    got_status, due, _, _ = await _status(any_rounds, job)
    assert got_status == status
    if do == "reschedule":
        assert due == clock.now() + timedelta(days=3)


@job_kind("test.slow")
async def _slow(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    clock = rounds.clock
    assert isinstance(clock, FakeClock)
    clock.advance(timedelta(seconds=40))  # a slow platform call
    return [Post(Target(job.community_id, member_id="alice"), Response(text=str(job.id)))]


async def test_running_out_of_lease_hands_the_rest_back(
    any_rounds: Rounds, clock: FakeClock
) -> None:
    rec = RecordingDeliverer()
    any_rounds.outbox.register("console", rec)
    async with any_rounds.db.begin() as conn:
        ids = [
            await schedule(
                conn, community_id=C, kind="test.slow", due_at=clock.now(), now=clock.now()
            )
            for _ in range(3)
        ]
    policy = Policy(
        batch=10, concurrency=1, lease=timedelta(minutes=1), lease_margin=timedelta(seconds=15)
    )
    disp = Dispatcher(any_rounds, any_rounds.outbox, policy)
    assert await disp.run_once() == 2  # the third would start past the safe part of the lease
    statuses = [(await _status(any_rounds, i))[0] for i in ids]
    assert sorted(statuses) == ["delivered", "delivered", "pending"]
    assert await disp.run_once() == 1
    assert sorted(rec.texts(), key=int) == [str(i) for i in ids]


async def test_a_worker_whose_lease_expired_cannot_record_over_the_new_owner(
    any_rounds: Rounds, clock: FakeClock
) -> None:
    rec, _ = _setup(any_rounds)
    job = await _add(any_rounds, clock.now(), text="once")
    stale = Dispatcher(any_rounds, any_rounds.outbox, worker="stale")
    claimed = await stale._claim(clock.now())  # then this process hangs
    assert [j.id for j in claimed] == [job]
    clock.advance(timedelta(minutes=6))  # the lease runs out
    fresh = Dispatcher(any_rounds, any_rounds.outbox, worker="fresh")
    assert await fresh.run_once() == 1
    outcomes = [stale._failure(claimed[0], clock.now(), "late writer", True, None)]
    await stale._finish(outcomes, clock.now())  # it wakes up and tries to record
    status, _, sent, error = await _status(any_rounds, job)
    assert (status, sent, error) == ("delivered", 1, None)
    assert rec.texts() == ["once"]


@job_kind("test.three")
async def _three(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    return [
        Post(Target(job.community_id, member_id=m), Response(text=f"{job.id}:{m}"))
        for m in ("alice", "bob", "carol")
    ]


async def test_a_retry_sends_only_the_posts_that_did_not_go_out(
    any_rounds: Rounds, clock: FakeClock
) -> None:
    keys: list[str | None] = []

    class FailsBob(RecordingDeliverer):
        async def deliver(self, post: Post) -> None:
            keys.append(post.key)
            if post.to.member_id == "bob" and keys.count(post.key) == 1:
                raise DeliveryError("bob's DMs hiccup")
            await super().deliver(post)

    out = FailsBob()
    any_rounds.outbox.register("console", out)
    async with any_rounds.db.begin() as conn:
        job = await schedule(
            conn, community_id=C, kind="test.three", due_at=clock.now(), now=clock.now()
        )
    disp = Dispatcher(any_rounds, any_rounds.outbox)
    await disp.run_once()  # alice's post goes, bob's fails, carol's waits
    clock.advance(timedelta(minutes=5))
    await disp.run_once()  # the retry: bob and carol only
    assert keys == [f"job:{job}:0:{n}" for n in (0, 1, 1, 2)]
    assert out.texts() == [f"{job}:alice", f"{job}:bob", f"{job}:carol"]
    assert (await _status(any_rounds, job))[0] == "delivered"


async def test_a_keyed_post_is_delivered_once(any_rounds: Rounds, clock: FakeClock) -> None:
    rec = RecordingDeliverer()
    any_rounds.outbox.register("console", rec)
    post = Post(Target(C, member_id="alice"), Response(text="welcome"), key="welcome:alice")
    assert await any_rounds.outbox.deliver(post) is True
    assert await any_rounds.outbox.deliver(post) is False  # a retried command, say
    keyless = Post(Target(C, member_id="alice"), Response(text="hello"))
    await any_rounds.outbox.deliver(keyless)
    await any_rounds.outbox.deliver(keyless)
    assert rec.texts() == ["welcome", "hello", "hello"]


@job_kind("test.keyed")
async def _keyed(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    return [Post(Target(job.community_id, member_id="alice"), Response(text="k"), key="wk:1")]


async def test_a_job_skips_a_key_sent_before(any_rounds: Rounds, clock: FakeClock) -> None:
    rec, disp = _setup(any_rounds)
    await any_rounds.outbox.deliver(
        Post(Target(C, member_id="alice"), Response(text="k"), key="wk:1")
    )
    async with any_rounds.db.begin() as conn:
        job = await schedule(
            conn, community_id=C, kind="test.keyed", due_at=clock.now(), now=clock.now()
        )
    assert await disp.run_once() == 1
    assert rec.texts() == ["k"]  # once, by the command; the job's copy was skipped
    assert (await _status(any_rounds, job))[0] == "delivered"


async def test_a_hung_platform_call_times_out_and_is_retried(
    any_rounds: Rounds, clock: FakeClock
) -> None:
    class HangsOnce(RecordingDeliverer):
        hung = False

        async def deliver(self, post: Post) -> None:
            if not self.hung:
                self.hung = True
                await asyncio.Event().wait()  # never answers
            await super().deliver(post)

    out = HangsOnce()
    any_rounds.outbox.register("console", out)
    ids = [await _add(any_rounds, clock.now(), text=str(i)) for i in range(5)]
    policy = Policy(concurrency=2, send_timeout=timedelta(milliseconds=50))
    disp = Dispatcher(any_rounds, any_rounds.outbox, policy)
    assert await disp.run_once() == 5  # four sent, one put back for a retry
    assert len(out.posts) == 4
    status = [await _status(any_rounds, i) for i in ids]
    (retry,) = [s for s in status if s[0] == "pending"]
    assert retry[3] == "console: timed out" and retry[1] > clock.now()
    clock.set(retry[1])
    assert await disp.run_once() == 1
    assert sorted(out.texts()) == [str(i) for i in range(5)]
