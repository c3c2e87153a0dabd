"""The running scheduler: APScheduler only wakes us up; the jobs table says what
is due. A tick runs the dispatcher; `wake()` asks for a tick now (after a new
job was scheduled soon)."""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.scheduling.dispatcher import Dispatcher

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(self, dispatcher: Dispatcher, poll: timedelta = timedelta(seconds=15)) -> None:
        self.dispatcher = dispatcher
        self._aps = AsyncIOScheduler(
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        )
        self._poll = poll
        dispatcher.rounds.wake = self.wake

    def start(self) -> None:
        """Start ticking; the first tick runs at once, so overdue items go out at start."""
        self._aps.add_job(
            self.tick,
            IntervalTrigger(seconds=self._poll.total_seconds()),
            id="dispatch",
            next_run_time=self.dispatcher.rounds.clock.now(),
        )
        self._aps.start()

    def wake(self) -> None:
        job = self._aps.get_job("dispatch")
        if job is not None:
            job.modify(next_run_time=self.dispatcher.rounds.clock.now())

    async def tick(self) -> None:
        try:
            sent = await self.dispatcher.run_once()
            if sent:
                log.info("dispatched %d due item(s)", sent)
        except Exception:  # the scheduler must survive a database hiccup
            log.exception("dispatch tick failed; will try again")

    def stop(self) -> None:
        if self._aps.running:
            self._aps.shutdown(wait=False)
