"""Group commit: many small writes become few transactions. Whatever is added
while one write runs goes into the next write, together; a caller that waits
returns once its item is committed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class GroupCommit(Generic[T]):
    def __init__(self, write: Callable[[list[T]], Awaitable[None]]) -> None:
        self._write = write
        self._items: list[tuple[T, asyncio.Future[None] | None]] = []
        self._task: asyncio.Task[None] | None = None
        self.failed: BaseException | None = None  # a write that failed: nothing more is taken

    async def add(self, item: T, *, wait: bool = True) -> None:
        """Queue `item`; with `wait`, return when it is written (or raise why not)."""
        if self.failed is not None:
            raise RecordFailed from self.failed
        done = asyncio.get_running_loop().create_future() if wait else None
        self._items.append((item, done))
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())
        if done is not None:
            await asyncio.shield(done)  # a cancelled waiter leaves the write alone

    async def drain(self) -> None:
        """Wait until everything added so far is written; raise if a write failed."""
        while self._task is not None:
            await asyncio.shield(self._task)
        if self.failed is not None:
            raise RecordFailed from self.failed

    async def _run(self) -> None:
        try:
            while self._items:
                await asyncio.sleep(0)  # let the callers that are ready add theirs too
                batch, self._items = self._items, []
                try:
                    await self._write([item for item, _ in batch])
                except BaseException as exc:  # handed to every waiter
                    self.failed = exc
                    for _, done in batch + self._items:
                        if done is not None and not done.done():
                            failure = RecordFailed()
                            failure.__cause__ = exc
                            done.set_exception(failure)
                    self._items = []
                    return
                for _, done in batch:
                    if done is not None and not done.done():
                        done.set_result(None)
        finally:
            self._task = None


class RecordFailed(Exception):
    """A group-commit write failed; what was queued is not recorded."""
