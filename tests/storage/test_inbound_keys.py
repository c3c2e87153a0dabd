"""Requests already run, in the database: a retry claimed through another
process's store (another `SharedDeliveries` on the same database) is dropped; a
released claim lets the retry run; a claim older than the keep period is free."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.clock import FakeClock
from bot.storage.db import Database
from bot.storage.inbound import SharedDeliveries
from tests.conftest import START


async def test_a_retry_through_another_process_runs_once(any_db: Database) -> None:
    clock = FakeClock(START)
    first, second = SharedDeliveries(any_db, clock), SharedDeliveries(any_db, clock)
    assert await first.claim("http:a")
    assert not await second.claim("http:a")
    await first.done("http:a")
    assert not await second.claim("http:a")
    assert await second.claim("http:b", "env:b")
    assert not await first.claim("env:b", "http:c")  # one key known: the delivery ran
    assert await first.claim("http:c")  # and the other key was given back


async def test_a_released_or_expired_claim_lets_the_retry_run(any_db: Database) -> None:
    clock = FakeClock(START)
    first, second = SharedDeliveries(any_db, clock), SharedDeliveries(any_db, clock)
    assert await first.claim("http:a")
    await first.release("http:a")  # failed before it was processed
    assert await second.claim("http:a")
    clock.advance(timedelta(minutes=11))
    assert await first.claim("http:a")


async def test_claims_that_arrive_together_each_run_once(any_db: Database) -> None:
    """A burst's claims share statements: each request still wins exactly once, a
    key asked twice at the same moment is won by one ask, and a key both stores
    (two processes) ask at once is won by one of them, whichever the database
    lets write first."""
    clock = FakeClock(START)
    first, second = SharedDeliveries(any_db, clock), SharedDeliveries(any_db, clock)
    keys = [f"http:{i}" for i in range(600)]  # more than one batch holds
    asks = [first.claim(k) for k in keys] + [first.claim("http:7"), second.claim("http:8")]
    won = await asyncio.gather(*asks)
    assert won[:7] + won[9:600] == [True] * 598
    assert [won[7], won[600]] == [True, False]  # one store: the first ask wins
    assert sorted([won[8], won[601]]) == [False, True]  # two stores: one wins
    again = await asyncio.gather(*(second.claim(k) for k in keys[:50]), second.claim("http:new"))
    assert again == [False] * 50 + [True]
