"""Glue between the real discord.py client and :class:`tests.fakes.discord_api.FakeDiscord`.

* :func:`point_discord_at` redirects REST (``discord.http.Route.BASE``, also used by webhooks
  and interaction responses) and the gateway (``DiscordWebSocket.DEFAULT_GATEWAY``, a
  ``yarl.URL``) to the fake, and restores them afterwards.
* :func:`loopback_only_trace` is an aiohttp trace that refuses any non-127.0.0.1 request.
* :func:`make_client` builds a client that becomes ready ~0.1 s after GUILD_CREATE.
* :func:`running_client` logs in, connects, waits for ``on_ready`` and always closes.
* ``fake_discord`` is a pytest fixture yielding a started, pointed-at fake.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from types import SimpleNamespace
from typing import Any, TypeVar

import aiohttp
import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.fakes.discord_api import FakeDiscord

ClientT = TypeVar("ClientT", bound=discord.Client)

READY_TIMEOUT = 0.1
"""``guild_ready_timeout``: on_ready fires this long after the last GUILD_CREATE (default 2 s)."""


@contextlib.contextmanager
def point_discord_at(fake: FakeDiscord) -> Iterator[None]:
    """Point discord.py's REST base and default gateway at ``fake``; restore on exit."""
    saved_base, saved_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = fake.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved_base, saved_gateway


def loopback_only_trace() -> aiohttp.TraceConfig:
    """Trace config for ``Client(http_trace=...)`` that fails any request not to 127.0.0.1."""

    async def guard(
        session: aiohttp.ClientSession,
        ctx: SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        if params.url.host != "127.0.0.1":
            raise RuntimeError(f"test client tried to reach {params.url}")

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(guard)
    return trace


def make_client(cls: type[ClientT], /, **options: Any) -> ClientT:
    """Construct ``cls`` with test defaults for a quick ``on_ready`` and no outside network.

    Defaults: ``Intents.default()`` (no members/presences), ``chunk_guilds_at_startup=False``,
    ``guild_ready_timeout=READY_TIMEOUT`` and the loopback guard; ``options`` override them.
    """
    defaults: dict[str, Any] = {
        "intents": discord.Intents.default(),
        "chunk_guilds_at_startup": False,
        "guild_ready_timeout": READY_TIMEOUT,
        "http_trace": loopback_only_trace(),
    }
    return cls(**{**defaults, **options})


@contextlib.asynccontextmanager
async def running_client(
    client: ClientT, fake: FakeDiscord, *, ready_timeout: float = 5.0
) -> AsyncIterator[ClientT]:
    """Log ``client`` in to ``fake``, run ``connect()`` in a task until ready; close on exit."""
    await client.login(fake.token)
    runner = asyncio.create_task(client.connect(reconnect=False), name="discord-connect")
    ready = asyncio.create_task(client.wait_until_ready(), name="discord-ready")
    try:
        done, _ = await asyncio.wait(
            {runner, ready}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if runner in done:
            runner.result()  # re-raise the connection error
            raise RuntimeError("client disconnected before becoming ready")
        if ready not in done:
            raise TimeoutError(f"client not ready after {ready_timeout} s")
        yield client
    finally:
        ready.cancel()
        await client.close()
        await asyncio.wait_for(runner, timeout=5.0)


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A running :class:`FakeDiscord` with discord.py pointed at it for the test's duration."""
    async with FakeDiscord() as fake:
        with point_discord_at(fake):
            yield fake
