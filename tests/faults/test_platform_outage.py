"""A platform that answers 500 and 429 for a while (5 minutes, inside the default
retry budget of 5 attempts with 30 s backoff doubling): deliveries are retried with
backoff, a 429's Retry-After is honoured, the failure is recorded while it lasts
and cleared once through; nothing is lost and nothing is sent twice."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from bot.clock import FakeClock
from bot.core import Rounds
from bot.responses import Post
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.jobs import schedule
from bot.scheduling.outbox import DeliveryError
from bot.scheduling.tables import jobs
from tests.storage.test_dispatcher import C  # also registers the 'test.echo' job kind

JOBS = 40


class FlakyPlatform:
    """Fails every send until `healthy_at`: alternately 500s and 429s (Retry-After 90 s)."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.healthy_at = clock.now() + timedelta(minutes=5)
        self.sent: list[str] = []
        self.refused = 0

    async def deliver(self, post: Post) -> None:
        if self.clock.now() < self.healthy_at:
            self.refused += 1
            if self.refused % 2:
                raise DeliveryError("slack: internal_error (500)", retryable=True)
            raise DeliveryError("slack: ratelimited (429)", retryable=True, retry_after=90)
        self.sent.append(str(post.key))


async def test_outage_then_recovery(any_rounds: Rounds, clock: FakeClock) -> None:
    platform = FlakyPlatform(clock)
    any_rounds.outbox.register("console", platform)
    async with any_rounds.db.begin() as conn:
        for i in range(JOBS):
            await schedule(
                conn,
                community_id=C,
                kind="test.echo",
                due_at=clock.now(),
                now=clock.now(),
                member_id="alice",
                payload={"text": f"t{i}"},
            )
    dispatcher = Dispatcher(any_rounds, any_rounds.outbox)
    await dispatcher.run_once()
    async with any_rounds.db.connect() as conn:
        rows = (await conn.execute(select(jobs.c.status, jobs.c.due_at, jobs.c.last_error))).all()
    assert {r.status for r in rows} == {"pending"} and all(r.last_error for r in rows)
    limited = [r for r in rows if "429" in r.last_error]
    assert limited and all(r.due_at >= clock.now() + timedelta(seconds=90) for r in limited)
    for _ in range(30):  # half an hour, minute by minute: the outage ends after 5 minutes
        clock.advance(timedelta(minutes=1))
        await dispatcher.run_once()
    assert Counter(platform.sent) == {k: 1 for k in set(platform.sent)}  # none twice
    assert len(platform.sent) == JOBS  # none lost
    async with any_rounds.db.connect() as conn:
        rows = (await conn.execute(select(jobs.c.status, jobs.c.last_error))).all()
    assert {(r.status, r.last_error) for r in rows} == {("delivered", None)}
