"""Discord across processes by shard (ROUNDS_DISCORD_SHARDS): the setting names
a range of one shard count, the client runs only those shards, and a form and
its button rendered by one shard's process are finished through another's, each
with its own core and connections on one PostgreSQL database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord
import pytest

from adapters.discord.app import DiscordBot
from adapters.discord.app import make_client as bot_client
from bot.config import ConfigError, load_settings
from bot.core import Rounds
from bot.shards import Shards, parse_shards
from bot.storage.db import Database
from tests.adapters.discord.test_discord_state import _with_survey
from tests.conftest import _postgres
from tests.fakes.discord_api import CALLBACK_MESSAGE, CALLBACK_MODAL, FakeDiscord, subcommand
from tests.fakes.discord_client import make_client, running_client
from tests.security.discord_support import interact, said


def test_the_setting_names_a_range_of_one_count(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_shards("0-1/4") == Shards((0, 1), 4)
    assert parse_shards(" 3 / 4 ") == Shards((3,), 4)
    for bad in ("4/4", "2-1/4", "0-1", "a/b", "0/0"):
        with pytest.raises(ValueError):
            parse_shards(bad)
    monkeypatch.setenv("ROUNDS_DISCORD_SHARDS", "0-4/4")
    with pytest.raises(ConfigError, match="ROUNDS_DISCORD_SHARDS"):
        load_settings()
    client = bot_client(Shards((0, 1), 4))
    assert isinstance(client, discord.AutoShardedClient)
    assert (client.shard_ids, client.shard_count) == ([0, 1], 4)
    assert type(bot_client()) is discord.Client


@asynccontextmanager
async def _process(
    url: str, rounds: Rounds, fake: FakeDiscord, shard: int
) -> AsyncIterator[DiscordBot]:
    """A bot process running shard `shard` of 2: its own core, database engine and client."""
    db = Database(url)
    mine = Rounds(db, rounds.content, clock=rounds.clock, commands=rounds.registry)
    client = make_client(
        discord.AutoShardedClient,
        shard_ids=[shard],
        shard_count=2,
        allowed_mentions=discord.AllowedMentions.none(),
    )
    try:
        async with running_client(client, fake, ready_timeout=15):
            yield DiscordBot(mine, client)
    finally:
        await db.close()


async def test_a_form_rendered_by_one_shard_is_finished_through_another(
    pg_url: str, rounds: Rounds, fake_discord: FakeDiscord
) -> None:
    await (await _postgres(pg_url)).close()  # an empty database
    base = Rounds(rounds.db, rounds.content, clock=rounds.clock, commands=_with_survey())
    async with _process(pg_url, base, fake_discord, 0):
        first = await interact(
            fake_discord, fake_discord.slash_command("survey", subcommand("open"))
        )
        assert first["type"] == CALLBACK_MODAL
        async with _process(pg_url, base, fake_discord, 1):  # the gateway now talks to it
            step = await interact(
                fake_discord,
                fake_discord.modal_submit(first["data"]["custom_id"], {"q1": "one"}),
            )
            [more] = step["data"]["components"][0]["components"]
            second = await interact(fake_discord, fake_discord.button_press(more["custom_id"]))
            done = await interact(
                fake_discord,
                fake_discord.modal_submit(second["data"]["custom_id"], {"q7": "seven"}),
            )
    assert done["type"] == CALLBACK_MESSAGE
    assert said(done).count("answers: one") == 1 and "seven" in said(done)
    identify = [f["d"].get("shard") for f in fake_discord.gateway_frames if f["op"] == 2]
    assert identify == [[0, 2], [1, 2]]
