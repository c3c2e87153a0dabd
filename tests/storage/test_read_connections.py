"""Read connections on PostgreSQL (bot.storage.db): a burst of reads shares the
connections kept for reads instead of checking more out of the pool, each read
gets its own answer, a read cancelled while it waits takes no connection with
it, a read whose turn does not come takes one of its own, and a connection the
server dropped is never handed on."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import event, text

from bot.storage import db as db_module
from bot.storage.db import Database


@pytest.fixture
async def small(pg_url: str) -> Database:
    db = Database(pg_url, pool_size=2)
    yield db  # type: ignore[misc]
    await db.close()


@pytest.fixture
def patient(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reads wait for their turn however slow the machine: only the hand-over counts."""
    monkeypatch.setattr(db_module, "HAND_OFF", 60.0)


def _checkouts(db: Database) -> list[int]:
    seen: list[int] = []
    event.listen(db.engine.sync_engine, "checkout", lambda *_: seen.append(1))
    return seen


async def _hold(db: Database, release: asyncio.Event) -> None:
    """Keep a read connection busy until `release`."""
    async with db.connect() as conn:
        await conn.execute(text("SELECT 1"))
        await release.wait()


async def test_a_burst_of_reads_shares_the_kept_connections(small: Database, patient: None) -> None:
    checkouts = _checkouts(small)

    async def read(i: int) -> int:
        async with small.connect() as conn:
            found = await conn.execute(text(f"SELECT {i}"))
            return int(found.scalar_one())

    assert await asyncio.gather(*(read(i) for i in range(100))) == list(range(100))
    assert len(checkouts) == 2  # the two kept connections served all 100 reads
    assert await read(7) == 7 and len(checkouts) == 2


async def test_a_cancelled_waiter_leaves_the_connection_for_the_next(
    small: Database, patient: None
) -> None:
    checkouts = _checkouts(small)
    release = asyncio.Event()
    holders = [asyncio.ensure_future(_hold(small, release)) for _ in range(2)]
    await asyncio.sleep(0.05)
    waiter = asyncio.ensure_future(small.read(lambda c: c.execute(text("SELECT 1"))))
    await asyncio.sleep(0.01)
    waiter.cancel()
    release.set()
    await asyncio.gather(*holders)
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert len(small._lent) == 2 and len(small._kept) == 2
    assert await small.read(lambda c: c.execute(text("SELECT 1"))) is not None
    assert len(checkouts) == 2


async def test_a_read_whose_turn_does_not_come_takes_its_own(small: Database) -> None:
    release = asyncio.Event()
    holders = [asyncio.ensure_future(_hold(small, release)) for _ in range(2)]
    await asyncio.sleep(0.05)
    async with small.connect() as conn:  # both kept ones are held: after a moment, its own
        assert (await conn.execute(text("SELECT 42"))).scalar_one() == 42
    release.set()
    await asyncio.gather(*holders)
    assert len(small._kept) == 2


async def test_a_dropped_connection_is_never_handed_on(small: Database) -> None:
    async with small.connect() as conn:
        pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    async with small.begin() as admin:
        await admin.execute(text(f"SELECT pg_terminate_backend({pid})"))
    found = await small.read(lambda c: c.execute(text("SELECT pg_backend_pid()")))
    assert found.scalar_one() != pid  # the read ran again on a fresh connection
    assert all(not c.invalidated for c, _ in small._kept)
