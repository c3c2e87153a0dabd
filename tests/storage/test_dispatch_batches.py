"""A batch of due reminders through the real dispatcher, on both databases: one
delivery failing leaves the others marked and is retried alone; reminders due at
the same instant still say it in each member's own zone; a renewed lease keeps a
working process's jobs from another process."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.clock import FakeClock
from bot.core import Rounds
from bot.features.reminders import store
from bot.features.reminders.when import When
from bot.responses import Post
from bot.scheduling.dispatcher import Dispatcher, Policy
from bot.scheduling.outbox import DeliveryError
from bot.scheduling.tables import jobs
from tests.fakes.outbox import RecordingDeliverer

C = "console:demo"


class FailsFor(RecordingDeliverer):
    """Refuses the first post to one member (a platform hiccup), delivers the rest."""

    def __init__(self, member: str) -> None:
        super().__init__()
        self.member = member
        self.refused = 0

    async def deliver(self, post: Post) -> None:
        if post.to.member_id == self.member and not self.refused:
            self.refused += 1
            raise DeliveryError("platform hiccup")
        await super().deliver(post)


async def _remind(rounds: Rounds, member: str, text: str, tz: str, late: bool = False) -> int:
    due = rounds.clock.now() - (timedelta(hours=3) if late else timedelta(seconds=1))
    async with rounds.db.begin() as conn:
        return await store.add(
            conn,
            community_id=C,
            member_id=member,
            when=When(due),
            text=text,
            tz=tz,
            now=rounds.clock.now() - timedelta(days=1),
        )


async def _rows(rounds: Rounds) -> dict[int, tuple[str, int]]:
    async with rounds.db.connect() as conn:
        rows = (await conn.execute(select(jobs.c.id, jobs.c.status, jobs.c.sent_count))).all()
    return {r.id: (r.status, r.sent_count) for r in rows}


async def test_one_failure_in_a_batch_is_retried_alone_and_each_arrives_once(
    any_rounds: Rounds, clock: FakeClock
) -> None:
    members = [f"m{i}" for i in range(30)]
    ids = {m: await _remind(any_rounds, m, f"note for {m}", "UTC") for m in members}
    rec = FailsFor("m7")
    any_rounds.outbox.register("console", rec)
    disp = Dispatcher(any_rounds, any_rounds.outbox, Policy(batch=10, concurrency=4))
    assert await disp.run_once() == 30
    rows = await _rows(any_rounds)
    assert rows[ids["m7"]] == ("pending", 0)
    assert all(rows[ids[m]] == ("delivered", 1) for m in members if m != "m7")
    assert await disp.run_once() == 0  # the retry waits for its backoff
    clock.advance(timedelta(minutes=1))
    assert await disp.run_once() == 1
    assert (await _rows(any_rounds))[ids["m7"]] == ("delivered", 1)
    keys = [p.key for p in rec.posts]
    assert sorted(keys) == sorted(f"job:{i}:0:0" for i in ids.values())
    assert sorted(p.message.text.split("\n")[0] for p in rec.posts) == sorted(
        f"note for {m}" for m in members
    )


async def test_reminders_due_together_are_late_in_each_members_zone(
    any_rounds: Rounds, clock: FakeClock
) -> None:
    zones = {"ana": "America/New_York", "ben": "Asia/Kolkata", "cho": "America/New_York"}
    for member, tz in zones.items():
        await _remind(any_rounds, member, f"call {member}", tz, late=True)
    await _remind(any_rounds, "dev", "on time", "Asia/Kolkata")
    rec = RecordingDeliverer()
    any_rounds.outbox.register("console", rec)
    assert await Dispatcher(any_rounds, any_rounds.outbox).run_once() == 4
    text = {p.to.member_id: p.message.text for p in rec.posts}
    # due 11:00 UTC: 06:00 in New York, 16:30 in Kolkata
    assert "Mon 04 Jan 2027, 06:00" in text["ana"] and "sorry it comes late" in text["ana"]
    assert "Mon 04 Jan 2027, 06:00" in text["cho"]
    assert "Mon 04 Jan 2027, 16:30" in text["ben"]
    assert text["dev"] == "on time"
    late = {p.to.member_id: p.message.data["reminder"]["late"] for p in rec.posts}
    assert late == {"ana": True, "ben": True, "cho": True, "dev": False}


async def test_a_renewed_lease_keeps_the_jobs_from_another_process(
    any_rounds: Rounds, clock: FakeClock
) -> None:
    for m in ("ana", "ben"):
        await _remind(any_rounds, m, "hi", "UTC")
    busy = Dispatcher(any_rounds, any_rounds.outbox, worker="busy")
    assert len(await busy._claim(clock.now())) == 2  # then works slowly
    clock.advance(timedelta(seconds=20))
    await busy._finish([], clock.now(), renew=True)
    clock.advance(timedelta(seconds=20))  # past the first lease, within the renewed one
    rec = RecordingDeliverer()
    any_rounds.outbox.register("console", rec)
    other = Dispatcher(any_rounds, any_rounds.outbox, worker="other")
    assert await other.run_once() == 0
    clock.advance(timedelta(seconds=15))  # the renewed lease runs out too
    assert await other.run_once() == 2
    assert len(rec.posts) == 2
