"""Each Slack request runs once: Slack redelivers what it thinks was lost (an
envelope in Socket Mode, a retried or replayed HTTP request). A delivery is
claimed before it runs and marked done after; one that failed before it was
processed is released, so its redelivery runs.

`Deliveries` is the interface; `RecentDeliveries` keeps keys in this process for
a while (SQLite: one process); on PostgreSQL the app uses
`bot.storage.inbound.SharedDeliveries`, which every process behind a load
balancer shares."""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from typing import Protocol

KEEP_FOR = 600.0  # seconds; Slack's retries come within minutes


class Deliveries(Protocol):
    async def claim(self, *keys: str) -> bool:
        """True if the delivery known by these keys should run now (none seen yet)."""

    async def done(self, *keys: str) -> None:
        """The delivery was processed: its redeliveries are dropped."""

    async def release(self, *keys: str) -> None:
        """The delivery failed before it was processed: a redelivery may run."""


class RecentDeliveries:
    """Keys seen in the last `keep_for` seconds, in this process."""

    def __init__(self, keep_for: float = KEEP_FOR) -> None:
        self.keep_for = keep_for
        self._seen: OrderedDict[str, float] = OrderedDict()  # key -> first seen, oldest first

    def _expire(self, now: float) -> None:
        while self._seen and now - next(iter(self._seen.values())) >= self.keep_for:
            self._seen.popitem(last=False)

    async def claim(self, *keys: str) -> bool:
        now = time.monotonic()
        self._expire(now)
        if any(k in self._seen for k in keys):
            return False
        for k in keys:
            self._seen[k] = now
        return True

    async def done(self, *keys: str) -> None:
        """Nothing more to do: claimed keys stay until they expire."""

    async def release(self, *keys: str) -> None:
        for k in keys:
            self._seen.pop(k, None)


def request_key(raw: bytes) -> str:
    """A stable key for one HTTP request: Slack's body names one invocation
    (each carries its own trigger_id), and a replay repeats it byte for byte."""
    return "http:" + hashlib.sha256(raw).hexdigest()
