"""The running scheduler: APScheduler only wakes us up; the jobs table says what
is due. A tick runs the dispatcher; `wake()` asks for a tick now (after a new
job was scheduled soon)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.logs import log_failure
from bot.scheduling.dispatcher import Dispatcher

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(self, dispatcher: Dispatcher, poll: timedelta = timedelta(seconds=15)) -> None:
        self.dispatcher = dispatcher
        self._aps = AsyncIOScheduler(
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        )
        self._poll = poll
        self._stopping = False
        self._ticking: asyncio.Task[object] | None = None
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
        if self._stopping:
            return
        self._ticking = asyncio.current_task()
        try:
            sent = await self.dispatcher.run_once()
            if sent:
                log.info("dispatched %d due item(s)", sent)
        except Exception as exc:  # the scheduler must survive a database hiccup
            log_failure(log, exc, "dispatch tick failed; will try again")
        finally:
            self._ticking = None

    async def stop(self) -> None:
        """Stop waking up, and let a tick in progress finish its batch."""
        self._stopping = True
        self.dispatcher.stop()  # a tick in progress hands back what it has not started
        if not self._aps.running:
            return
        self._aps.pause()
        for _ in range(3):  # let a tick that was just handed to the loop start and see _stopping
            await asyncio.sleep(0)
        if self._ticking is not None:
            await asyncio.wait({self._ticking}, timeout=30)
        self._aps.shutdown(wait=False)  # only now: shutdown cancels jobs still in flight
