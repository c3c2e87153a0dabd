"""Inbound deliveries every process sees: a platform's retry of a request may
reach any process behind the load balancer, so the key of each request is
claimed in the database, and the claim is what lets exactly one process run it.
Keys are hashes of request bodies, nothing of any member. Claims older than
`keep_for` no longer count and are deleted now and then."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from sqlalchemy import Column, String, Table, bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.clock import Clock
from bot.privacy.rules import Unowned, declare
from bot.storage.db import Database
from bot.storage.tables import metadata
from bot.storage.types import UTCDateTime

inbound_keys = Table(
    "inbound_keys",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("claimed_at", UTCDateTime(), nullable=False, index=True),
)

declare(Unowned(inbound_keys, "hashes of requests already run, to drop platform retries"))


class SharedDeliveries:
    """`adapters.slack.dedup.Deliveries` in the database: one INSERT per request."""

    def __init__(self, db: Database, clock: Clock, keep_for: float = 600.0) -> None:
        self.db = db
        self.clock = clock
        self.keep_for = timedelta(seconds=keep_for)
        self._clean_after = 0.0  # monotonic time of the next delete of old keys
        module = postgresql if db.dialect == "postgresql" else sqlite
        insert = module.insert(inbound_keys)
        # A key claimed longer ago than keep_for is free again (as if forgotten).
        self._claim = insert.on_conflict_do_update(
            index_elements=["key"],
            set_={"claimed_at": insert.excluded.claimed_at},
            where=inbound_keys.c.claimed_at < bindparam("stale", type_=UTCDateTime()),
        ).returning(inbound_keys.c.key)

    async def claim(self, *keys: str) -> bool:
        now = self.clock.now()
        stale = now - self.keep_for
        if len(keys) == 1 and self.db.dialect == "postgresql":
            # one statement is atomic by itself: no BEGIN and COMMIT round trips
            async with self.db.connect() as conn:  # autocommit on PostgreSQL
                await self._forget(conn, stale)
                row = {"key": keys[0], "claimed_at": now, "stale": stale}
                return (await conn.execute(self._claim, row)).first() is not None
        async with self.db.begin() as conn:
            await self._forget(conn, stale)
            params = [{"key": k, "claimed_at": now, "stale": stale} for k in keys]
            won = [(await conn.execute(self._claim, p)).first() for p in params]
            if all(won):
                return True
            # a key was taken: give back the others this call claimed
            mine = [k for k, w in zip(keys, won, strict=True) if w]
            if mine:
                await conn.execute(delete(inbound_keys).where(inbound_keys.c.key.in_(mine)))
            return False

    async def done(self, *keys: str) -> None:
        """Nothing more to do: claimed keys stay until they expire."""

    async def release(self, *keys: str) -> None:
        if keys:
            async with self.db.begin() as conn:
                await conn.execute(delete(inbound_keys).where(inbound_keys.c.key.in_(keys)))

    async def _forget(self, conn: AsyncConnection, stale: datetime) -> None:
        if time.monotonic() < self._clean_after:
            return
        self._clean_after = time.monotonic() + 60
        await conn.execute(delete(inbound_keys).where(inbound_keys.c.claimed_at < stale))
