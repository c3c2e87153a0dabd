"""The database: one async SQLAlchemy Core engine for SQLite (aiosqlite) and
PostgreSQL (asyncpg), with migrations applied through Alembic."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import event, make_url, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, NullPool

from bot.storage.batch import Batches

MIGRATIONS = Path(__file__).with_name("migrations")
T = TypeVar("T")
K = TypeVar("K")
IDLE_PING = 5.0  # seconds a pooled connection may sit unused before it is checked
HAND_OFF = 0.25  # seconds a read waits for a lent connection before taking its own
_MIGRATION_LOCK = 72_010  # an arbitrary advisory-lock key shared by every Rounds process


class DatabaseUnreachable(Exception):
    """The database did not accept connections at start: one line, no traceback."""

    def __init__(self, url: str, reason: BaseException, waited: float) -> None:
        where = make_url(url).render_as_string(hide_password=True)
        kind = type(getattr(reason, "orig", None) or reason).__name__
        super().__init__(f"cannot reach the database at {where} ({kind}) after {waited:.0f} s")


class Database:
    """Owns the engine. `begin()` yields a connection inside one transaction;
    `connect()` one for reads, each statement on its own (on PostgreSQL no
    BEGIN/ROLLBACK round trips around a read; its default READ COMMITTED gives a
    transaction's statements no shared snapshot anyway, and SQLite's driver only
    opens a transaction before a write).

    On PostgreSQL up to `pool_size` read connections stay checked out between
    reads (writes take the pool's overflow), and in a burst each goes from one
    read straight to the next waiting: a read autocommits, so nothing passes
    from one read to the next, and a checkout from the pool costs this process
    about as much CPU as the statement itself."""

    def __init__(self, url: str, *, pool_size: int = 10, echo: bool = False) -> None:
        self.url = url
        self.engine: AsyncEngine = _make_engine(url, pool_size=pool_size, echo=echo)
        postgres = self.dialect == "postgresql"
        self._reads = (
            self.engine.execution_options(isolation_level="AUTOCOMMIT") if postgres else self.engine
        )
        self._keep = pool_size if postgres else 0
        self._lent: set[AsyncConnection] = set()  # checked out for reads, in use or kept
        self._lending = 0  # lent, and being checked out to be lent
        self._kept: list[tuple[AsyncConnection, float]] = []  # (connection, idle since)
        self._waiting: deque[asyncio.Future[AsyncConnection]] = deque()
        self._batches: dict[Callable[..., Any], Batches[Any, Any]] = {}

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        conn = await self._take()
        try:
            yield conn
        except BaseException:
            await self._drop(conn)  # e.g. cancelled mid-statement: never reuse it
            raise
        if conn.invalidated:  # the server dropped it, so likely the kept ones too
            for other, _ in self._kept:
                await self._drop(other)
            self._kept = []
            await self._drop(conn)
        elif conn in self._lent and self._keep:
            self._pass_on(conn)
        else:
            await conn.close()

    async def _take(self) -> AsyncConnection:
        """A kept read connection; else a new one while fewer than `_keep` are lent;
        else the next one given back (a burst's reads queue for a moment rather than
        check out more); else, after HAND_OFF, one of its own from the pool."""
        now = time.monotonic()
        while self._kept:
            conn, since = self._kept.pop()
            if now - since < IDLE_PING and not conn.invalidated:
                return conn
            await self._drop(conn)  # idle a while: the pool pings it at its next checkout
        if self._lending < self._keep:
            self._lending += 1  # counted before the checkout, which waits
            try:
                conn = await self._reads.connect()
            except BaseException:
                self._lending -= 1
                raise
            self._lent.add(conn)
            return conn
        if self._keep:
            handed = await self._wait_for_one()
            if handed is not None:
                return handed
        return await self._reads.connect()

    async def _wait_for_one(self) -> AsyncConnection | None:
        waiter: asyncio.Future[AsyncConnection] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            return await asyncio.wait_for(asyncio.shield(waiter), HAND_OFF)
        except TimeoutError:
            return waiter.result() if waiter.done() else None
        except BaseException:
            if waiter.done():  # handed over just as this read was cancelled
                self._pass_on(waiter.result())
            raise
        finally:
            if not waiter.done():
                waiter.cancel()  # a later hand-over skips it

    def _pass_on(self, conn: AsyncConnection) -> None:
        """A lent connection, free again: to the first read waiting, else kept."""
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return
        self._kept.append((conn, time.monotonic()))

    async def _drop(self, conn: AsyncConnection) -> None:
        if conn in self._lent:
            self._lent.remove(conn)
            self._lending -= 1
        await conn.close()

    async def read(self, query: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run a read-only `query`; if the server had dropped the pooled connection
        (it restarted), SQLAlchemy discards the stale pool and the read runs once
        more on a fresh connection. Safe because a read changes nothing."""
        try:
            async with self.connect() as conn:
                return await query(conn)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
        async with self.connect() as conn:
            return await query(conn)

    def batched(
        self, query: Callable[[AsyncConnection, Sequence[K]], Awaitable[Sequence[T]]]
    ) -> Batches[K, T]:
        """`query` answers a list of keys in one read; what this returns answers one
        key, and the keys asked meanwhile share that read (bot.storage.batch)."""
        batches = self._batches.get(query)
        if batches is None:

            async def run(keys: Sequence[K]) -> Sequence[T]:
                return await self.read(lambda conn: query(conn, keys))

            batches = self._batches[query] = Batches(run)
        return batches

    async def migrate(self) -> None:
        """Bring the schema to the newest revision (safe with several processes)."""
        async with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                await conn.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})"))
            await conn.run_sync(_upgrade)

    async def close(self) -> None:
        self._keep = 0
        for conn, _ in self._kept:
            await self._drop(conn)
        self._kept = []
        await self.engine.dispose()


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def _upgrade(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")


def _make_engine(url: str, *, pool_size: int, echo: bool) -> AsyncEngine:
    if url.startswith("sqlite"):
        memory = ":memory:" in url or url.rstrip("/").endswith("sqlite+aiosqlite:")
        kwargs: dict[str, Any] = {"connect_args": {"timeout": 30}}
        if memory:
            kwargs["poolclass"] = NullPool
        engine = create_async_engine(url, echo=echo, hide_parameters=True, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_async_engine(
        url,
        echo=echo,
        hide_parameters=True,  # SQL errors and logs never show values members wrote
        pool_size=pool_size,
        max_overflow=pool_size,
    )
    event.listen(engine.sync_engine, "checkin", _mark_idle)
    event.listen(engine.sync_engine, "checkout", _ping_if_idle)
    return engine


def _mark_idle(_dbapi_conn: Any, record: ConnectionPoolEntry) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_conn: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
    """Ping a connection that sat idle (the server may have restarted meanwhile); a
    busy bot skips the round trip. A dead connection is replaced before use; one that
    died in the last few seconds fails one statement, and SQLAlchemy then drops
    every connection older than that failure."""
    if time.monotonic() - record.info.get("idle_since", 0.0) < IDLE_PING:
        return
    try:
        dbapi_conn.ping()
    except Exception as exc:
        raise DisconnectionError("the connection was closed while idle") from exc


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
