"""A small round-robin HTTP proxy on 127.0.0.1, standing in for the load balancer
in front of several `rounds run` processes: each request goes to the next
backend in turn, so a retry of a request reaches another process than the first.

    async with round_robin([url_a, url_b]) as url: ...   # url ends in the same path
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from tests.fakes.slack_api import serve

HOP = {"host", "content-length", "transfer-encoding", "connection"}


@asynccontextmanager
async def round_robin(backends: Sequence[str]) -> AsyncIterator[str]:
    """Serve a proxy that sends each POST to the next of `backends` (full URLs with
    one path); yields the proxy's URL with that path."""
    turn = itertools.cycle(backends)
    path = urlsplit(backends[0]).path
    limits = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=limits) as session:

        async def forward(request: web.Request) -> web.Response:
            body = await request.read()
            headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP}
            async with session.post(next(turn), data=body, headers=headers) as resp:
                out = {k: v for k, v in resp.headers.items() if k.lower() not in HOP}
                return web.Response(status=resp.status, body=await resp.read(), headers=out)

        app = web.Application()
        app.router.add_post(path, forward)
        async with serve(app) as base:
            yield base + path
