"""Pointing discord.py at another Discord (DISCORD_API_BASE: tests, staging).
The REST base is `Route.BASE` (webhooks and interaction callbacks use it too); a
plain Client dials `DEFAULT_GATEWAY` itself, so we ask that API for its gateway."""

from __future__ import annotations

import aiohttp
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route


async def point_at(api_base: str | None, token: str) -> None:
    if not api_base:
        return
    Route.BASE = api_base.rstrip("/")
    headers = {"Authorization": f"Bot {token}"}
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.get(Route.BASE + "/gateway/bot") as r,
    ):
        r.raise_for_status()
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL((await r.json())["url"])
