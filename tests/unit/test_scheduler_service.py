"""Stopping the scheduler right after it starts never cancels a tick mid-query."""

from __future__ import annotations

import logging

import pytest

from bot.core import Rounds
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.service import Scheduler


async def test_stop_right_after_start_logs_no_error(
    rounds: Rounds, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    for _ in range(20):
        scheduler = Scheduler(Dispatcher(rounds, rounds.outbox))
        scheduler.start()
        await scheduler.stop()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
