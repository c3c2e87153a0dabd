"""Concurrent lookups gathered into one statement, as a database's group commit
does: while one batch is in flight, the keys that arrive wait and go together in
the next. One member alone is a batch of one and waits for nothing; a thousand
pressing at once share a few round trips, which is most of what a command costs
this process (each statement is a checkout, a compiled statement's set-up, a send
and a receive)."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")
MOST = 256  # keys in one statement: a bounded statement, and bounded wait behind it


class Batches(Generic[K, V]):
    """`await batches(key)` is `(await run([key]))[0]`, with concurrent keys in one
    `run`. `run` gets the keys in arrival order (repeats included) and answers one
    value per key, in that order. A batch that fails fails each of its callers."""

    def __init__(self, run: Callable[[Sequence[K]], Awaitable[Sequence[V]]]) -> None:
        self._run = run
        self._queue: list[tuple[K, asyncio.Future[V]]] = []
        self._runner: asyncio.Task[None] | None = None

    async def __call__(self, key: K) -> V:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[V] = loop.create_future()
        self._queue.append((key, answer))
        if self._runner is None or self._runner.done() or self._runner.get_loop() is not loop:
            # its own context: the runner serves many commands and borrows none's state
            self._runner = loop.create_task(self._drain(), context=contextvars.Context())
        return await answer

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[:MOST], self._queue[MOST:]
            try:
                values = await self._run([key for key, _ in batch])
            except asyncio.CancelledError:
                for _, answer in batch + self._queue:
                    answer.cancel()
                self._queue = []
                raise
            except Exception as exc:
                for _, answer in batch:
                    if not answer.done():
                        answer.set_exception(exc)
                continue
            for (_, answer), value in zip(batch, values, strict=True):
                if not answer.done():  # its caller may have been cancelled meanwhile
                    answer.set_result(value)
