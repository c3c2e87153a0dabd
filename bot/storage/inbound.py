"""Inbound deliveries every process sees: a platform's retry of a request may
reach any process behind the load balancer, so the key of each request is
claimed in the database, and the claim is what lets exactly one process run it.
Keys are hashes of request bodies, nothing of any member. Claims older than
`keep_for` no longer count and are deleted now and then."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Column, String, Table, bindparam, delete, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.clock import Clock
from bot.privacy.rules import Unowned, declare
from bot.storage.batch import Batches
from bot.storage.db import Database
from bot.storage.keys import key_params, key_table
from bot.storage.tables import metadata
from bot.storage.types import UTCDateTime

inbound_keys = Table(
    "inbound_keys",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("claimed_at", UTCDateTime(), nullable=False, index=True),
)

_KEY = {"key": String()}

declare(Unowned(inbound_keys, "hashes of requests already run, to drop platform retries"))


class SharedDeliveries:
    """`adapters.slack.dedup.Deliveries` in the database: one INSERT per request, or
    per batch of requests that arrive together (bot.storage.batch)."""

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
        # the same for any number of keys, in one statement of one shape
        keys = key_table(db.dialect, _KEY)
        now = bindparam("now", type_=UTCDateTime())
        many = module.insert(inbound_keys).from_select(
            ["key", "claimed_at"],
            select(keys.c.key, now).where(true()),  # SQLite's parser
        )
        self._claim_many = many.on_conflict_do_update(
            index_elements=["key"],
            set_={"claimed_at": many.excluded.claimed_at},
            where=inbound_keys.c.claimed_at < bindparam("stale", type_=UTCDateTime()),
        ).returning(inbound_keys.c.key)
        self._claims = Batches(self._claim_batch)

    async def claim(self, *keys: str) -> bool:
        if len(keys) == 1:
            return await self._claims(keys[0])
        now = self.clock.now()
        stale = now - self.keep_for
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

    async def _claim_batch(self, keys: Sequence[str]) -> list[bool]:
        """Single-key claims that arrived together: one INSERT for all (one
        statement is atomic by itself, so no BEGIN and COMMIT round trips on
        PostgreSQL). A key asked twice in one batch is won by its first ask."""
        now = self.clock.now()
        stale = now - self.keep_for
        unique = [(k,) for k in dict.fromkeys(keys)]
        params = key_params(self.db.dialect, _KEY, unique) | {"now": now, "stale": stale}
        async with (
            self.db.connect() if self.db.dialect == "postgresql" else self.db.begin() as conn
        ):
            await self._forget(conn, stale)
            won = set((await conn.execute(self._claim_many, params)).scalars())
        first: set[str] = set()
        answers = []
        for k in keys:
            answers.append(k in won and k not in first)
            first.add(k)
        return answers

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
