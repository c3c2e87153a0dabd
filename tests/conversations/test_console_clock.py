"""The console's fake clock: scheduled items arrive when time is moved."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.core import Rounds
from bot.responses import Post, Response, Target
from bot.scheduling.jobs import Job, job_kind, schedule
from tests.conversation import Conversation


@job_kind("test.console")
async def _say(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    return [Post(Target(job.community_id, member_id=job.member_id), Response(text="ding"))]


async def test_advance_delivers_due_items(chat: Conversation, rounds: Rounds) -> None:
    async with rounds.db.begin() as conn:
        await schedule(
            conn,
            community_id=chat.community_id,
            kind="test.console",
            due_at=rounds.clock.now() + timedelta(days=1),
            now=rounds.clock.now(),
            member_id=chat.id("alice"),
        )
    assert await chat.advance("23h") == []
    delivered = await chat.advance("1h")
    assert [(d["to"]["member"], d["message"]["text"]) for d in delivered] == [("alice", "ding")]
    assert await chat.tick() == []
