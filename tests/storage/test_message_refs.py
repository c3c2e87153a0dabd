"""Post keys map to platform messages per community."""

from __future__ import annotations

from bot.clock import FakeClock
from bot.storage.db import Database
from bot.storage.message_refs import MessageRef, recall, remember


async def test_remember_and_recall_per_community(any_db: Database, clock: FakeClock) -> None:
    async with any_db.begin() as conn:
        await remember(conn, "slack:T1", "pitch:1:root", MessageRef("C1", "111.1"), clock.now())
        await remember(conn, "slack:T1", "pitch:1:root", MessageRef("C1", "222.2"), clock.now())
    async with any_db.connect() as conn:
        assert await recall(conn, "slack:T1", "pitch:1:root") == MessageRef("C1", "222.2")
        assert await recall(conn, "slack:T2", "pitch:1:root") is None
