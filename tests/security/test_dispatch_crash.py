"""Issue 15, finding #8 (duplicates after a crash), in one process on both
databases: a dispatcher that stops dead part way (its platform calls hang, as
a killed process's would never return) and another that takes over. The
killed-process version, with real SIGKILL, is tests/faults/test_kill_dispatch.py.

- a post delivered before the stop is never delivered again by the next process;
- a stuck process holds only a bounded share of the due jobs, so another one
  delivers the rest at once instead of waiting out its leases;
- one hung platform call holds one lane, not the deliveries behind it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot.clock import FakeClock
from bot.content import Content
from bot.core import Rounds
from bot.responses import Post, Response, Target
from bot.scheduling.dispatcher import Dispatcher, Policy
from bot.scheduling.jobs import Job, job_kind, schedule

C = "console:demo"


@job_kind("test.security.note")
async def _note(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    return [Post(Target(C, member_id=job.member_id), Response(text=str(job.id)))]


class Stalling:
    """Delivers `until` posts, then every call hangs (or, with `hang_first`, only
    the first call hangs, until `release` is set)."""

    def __init__(self, until: int = 10**9, hang_first: bool = False) -> None:
        self.keys: list[str] = []
        self.until = until
        self.hang_first = hang_first
        self.release = asyncio.Event()
        self.calls = 0

    async def deliver(self, post: Post) -> None:
        self.calls += 1
        if len(self.keys) >= self.until or (self.hang_first and self.calls == 1):
            await self.release.wait()
        self.keys.append(post.key or "")


async def _due(rounds: Rounds, count: int) -> None:
    async with rounds.db.begin() as conn:
        for i in range(count):
            await schedule(
                conn,
                community_id=C,
                kind="test.security.note",
                due_at=rounds.clock.now(),
                now=rounds.clock.now(),
                member_id=f"m{i % 20}",
            )


def _process(rounds: Rounds, content: Content, clock: FakeClock) -> tuple[Rounds, Stalling]:
    """Another bot process on the same database (its own core and outbox)."""
    other = Rounds(rounds.db, content, clock=clock)
    out = Stalling()
    other.outbox.register("console", out)
    return other, out


async def _until(check: Callable[[], bool], turns: int = 500) -> None:
    for _ in range(turns):
        if check():
            return
        await asyncio.sleep(0.01)


async def test_a_post_sent_before_a_crash_is_not_sent_again(
    any_rounds: Rounds, content: Content, clock: FakeClock
) -> None:
    await _due(any_rounds, 300)
    stalled = Stalling(until=75)  # mid-batch: some of a batch out, the rest in flight
    any_rounds.outbox.register("console", stalled)
    first = Dispatcher(any_rounds, any_rounds.outbox, Policy(batch=50, concurrency=8), "a")
    dead = asyncio.ensure_future(first.run_once())
    await _until(lambda: len(stalled.keys) >= 75)
    await asyncio.sleep(0.2)  # whatever the stalled process still does, it does now
    clock.advance(timedelta(minutes=10))  # past any lease: its claims are up for grabs
    other, out = _process(any_rounds, content, clock)
    await Dispatcher(other, other.outbox, worker="b").run_once()
    dead.cancel()
    assert len(stalled.keys) == 75
    twice = set(stalled.keys) & set(out.keys)
    assert twice == set(), f"{len(twice)} posts delivered twice after the crash"
    assert len(set(stalled.keys) | set(out.keys)) == 300  # none lost


async def test_a_stuck_process_holds_a_bounded_share(
    any_rounds: Rounds, content: Content, clock: FakeClock
) -> None:
    await _due(any_rounds, 1000)
    stuck = Stalling(until=1)
    any_rounds.outbox.register("console", stuck)
    busy = asyncio.ensure_future(Dispatcher(any_rounds, any_rounds.outbox, worker="a").run_once())
    await _until(lambda: stuck.calls > 1)
    other, out = _process(any_rounds, content, clock)
    await Dispatcher(other, other.outbox, worker="b").run_once()  # no lease has run out
    busy.cancel()
    policy = Policy()
    assert len(out.keys) >= 1000 - (policy.batch + policy.concurrency), len(out.keys)


async def test_one_hung_call_holds_one_lane(any_rounds: Rounds, clock: FakeClock) -> None:
    await _due(any_rounds, 20)
    hung = Stalling(hang_first=True)
    any_rounds.outbox.register("console", hung)
    run = asyncio.ensure_future(
        Dispatcher(any_rounds, any_rounds.outbox, Policy(batch=5, concurrency=2)).run_once()
    )
    await _until(lambda: len(hung.keys) >= 19)
    behind = len(hung.keys)
    hung.release.set()
    assert await run == 20
    assert behind == 19, "the deliveries behind the hung call waited for it"
