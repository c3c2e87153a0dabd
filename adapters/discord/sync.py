"""`rounds discord sync [--guild ID]`: register the slash commands explicitly,
never on every start (a guild sync is instant, a global one takes a while)."""

from __future__ import annotations

import discord

from adapters.discord.commands import payloads
from adapters.discord.connect import point_at
from bot.config import Settings
from bot.core import Rounds


async def sync_commands(rounds: Rounds, settings: Settings, guild: str | None) -> int:
    await point_at(settings.discord_api_base, settings.discord_token or "")
    client = discord.Client(intents=discord.Intents.none())
    try:
        await client.login(settings.discord_token or "")
        app = await client.application_info()
        body = payloads(rounds.registry)
        if guild:
            await client.http.bulk_upsert_guild_commands(app.id, int(guild), body)
        else:
            await client.http.bulk_upsert_global_commands(app.id, body)
    finally:
        await client.close()
    where = f"guild {guild}" if guild else "globally (may take up to an hour to show)"
    print(f"Registered {len(body)} commands {where}: " + ", ".join(f"/{c['name']}" for c in body))
    return 0
