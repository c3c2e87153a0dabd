"""Which server a Discord channel is in, for the core's channel rule
(bot.channels): a channel id may name a channel of any server the bot is in."""

from __future__ import annotations

import discord

SNOWFLAKE_DIGITS = 20


class DiscordChannels:
    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def community_of(self, channel_id: str) -> str | None:
        if not channel_id.isdigit() or len(channel_id) > SNOWFLAKE_DIGITS:
            return None
        try:
            channel = await self.client.fetch_channel(int(channel_id))
        except discord.HTTPException:  # unknown, hidden from the bot, or Discord failed
            return None
        return community_of(channel)


def community_of(channel: object) -> str | None:
    """The community of a fetched channel (None for a DM)."""
    guild = getattr(channel, "guild", None)
    return f"discord:{guild.id}" if guild is not None else None
