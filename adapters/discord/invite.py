"""`rounds discord invite`: the OAuth2 URL that adds the bot to a server, with the
scopes it needs and the permissions its messages use (computed here, not copied)."""

from __future__ import annotations

import discord

from adapters.discord.connect import point_at
from bot.config import ConfigError, Settings

SCOPES = ("bot", "applications.commands")
# What the bot does in a server: post and reply (also in threads), open a thread
# under a pitch, embed and attach (exports), read the history it threads under.
PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    use_application_commands=True,
)


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(application_id, permissions=PERMISSIONS, scopes=SCOPES)


async def application_id(settings: Settings) -> int:
    """The application behind DISCORD_TOKEN, asked of Discord."""
    await point_at(settings.discord_api_base, settings.discord_token or "")
    client = discord.Client(intents=discord.Intents.none())
    try:
        await client.login(settings.discord_token or "")
        return (await client.application_info()).id
    except discord.LoginFailure:
        raise ConfigError(
            "Discord refused DISCORD_TOKEN; copy it again from the Bot page."
        ) from None
    finally:
        await client.close()
