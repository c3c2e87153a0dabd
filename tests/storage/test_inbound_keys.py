"""Requests already run, in the database: a retry claimed through another
process's store (another `SharedDeliveries` on the same database) is dropped; a
released claim lets the retry run; a claim older than the keep period is free."""

from __future__ import annotations

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
