"""What the Discord adversarial tests share: the real discord.py client running
the Rounds adapter against the fake Discord on 127.0.0.1, and a way to press
things and read what the bot answered."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest

from adapters.discord.app import DiscordBot
from bot.commands import Actor
from bot.core import Rounds
from tests.fakes.discord_api import FakeDiscord, RecordedCall
from tests.fakes.discord_client import make_client, running_client

CALLBACK = r"/interactions/\d+/[^/]+/callback"
JSON = dict[str, Any]


@pytest.fixture
async def bot(rounds: Rounds, fake_discord: FakeDiscord) -> AsyncIterator[DiscordBot]:
    client = make_client(discord.Client, allowed_mentions=discord.AllowedMentions.none())
    adapter = DiscordBot(rounds, client)
    async with running_client(client, fake_discord):
        yield adapter


def community(fake: FakeDiscord) -> str:
    return f"discord:{fake.guild_id}"


def organiser(fake: FakeDiscord) -> Actor:
    """The server's owner, as the core sees them (Manage Server)."""
    return Actor(community(fake), str(fake.owner_user["id"]), "owner", True)


async def interact(fake: FakeDiscord, payload: JSON, *, within: float = 5.0) -> JSON:
    """Dispatch an interaction; the first answer the bot gave it (callback, or the
    follow-up after a deferral), failing after `within` seconds without one."""
    mark = fake.mark()
    await fake.dispatch_interaction(payload)
    call = await fake.wait_for_call(
        "POST", CALLBACK, since=mark, timeout=within, predicate=lambda c: payload["token"] in c.path
    )
    body = dict(call.json)
    if body.get("type") == 5:  # deferred: the answer is the follow-up
        follow = await fake.wait_for_call(
            "POST",
            r"/webhooks/\d+/[^/]+",
            since=mark,
            timeout=within,
            predicate=lambda c: payload["token"] in c.path,
        )
        body = {"type": 4, "data": follow.json}
    return body


def said(body: JSON) -> str:
    """Everything a reply shows, as one string."""
    return json.dumps(body.get("data", {}), ensure_ascii=False)


def channel_posts(fake: FakeDiscord, since: int = 0) -> list[RecordedCall]:
    """Messages the bot posted in server channels (not DMs, not interaction replies)."""
    guild_channels = {cid for cid, c in fake.channels.items() if "guild_id" in c}
    return [
        c
        for c in fake.requests[since:]
        if c.matches("POST", r"/channels/\d+/messages") and c.path.split("/")[2] in guild_channels
    ]


@contextlib.asynccontextmanager
async def fresh_bot(rounds: Rounds, fake: FakeDiscord) -> AsyncIterator[DiscordBot]:
    """A new process, as far as the bot can tell: a new core and a new discord.py
    client on the same database, connected until the block ends."""
    again = Rounds(rounds.db, rounds.content, clock=rounds.clock, commands=rounds.registry)
    client = make_client(discord.Client, allowed_mentions=discord.AllowedMentions.none())
    adapter = DiscordBot(again, client)
    async with running_client(client, fake):
        yield adapter


def in_guild(payload: JSON, guild_id: int) -> JSON:
    """The same interaction, as Discord would send it from another server."""
    payload["guild_id"] = str(guild_id)
    payload["guild"] = {**payload["guild"], "id": str(guild_id)}
    return payload
