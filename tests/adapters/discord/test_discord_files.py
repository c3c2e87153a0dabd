"""Files through Discord: a member's /privacy export arrives in their DM as a
multipart message with the JSON attached (discord.File), which the fake parses
and records; the bytes hold the member's rows and nobody else's."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import discord
import pytest

from adapters.discord.app import DiscordBot
from bot.commands import Actor
from bot.core import Rounds
from tests.fakes.discord_api import FakeDiscord, subcommand
from tests.fakes.discord_client import make_client, running_client


@pytest.fixture
async def bot(rounds: Rounds, fake_discord: FakeDiscord) -> AsyncIterator[DiscordBot]:
    client = make_client(discord.Client, allowed_mentions=discord.AllowedMentions.none())
    adapter = DiscordBot(rounds, client)
    async with running_client(client, fake_discord):
        yield adapter


async def test_privacy_export_is_attached_to_a_dm(
    bot: DiscordBot, fake_discord: FakeDiscord
) -> None:
    community = f"discord:{fake_discord.guild_id}"
    maya, other = fake_discord.add_user("maya"), fake_discord.add_user("other")
    await bot.rounds.run_line(Actor(community, other["id"]), '/contact add "Dr Not Yours"')
    await bot.rounds.run_line(Actor(community, maya["id"]), '/contact add "Dr Ada Okafor"')
    mark = fake_discord.mark()
    await fake_discord.dispatch_interaction(
        fake_discord.slash_command("privacy", subcommand("export"), user=maya)
    )
    sent = await fake_discord.wait_for_call(
        "POST", r"/channels/\d+/messages", predicate=lambda c: bool(c.files), since=mark
    )
    channel_id = sent.path.split("/")[2]
    channel = fake_discord.channels[channel_id]
    assert channel["type"] == 1 and channel["recipients"][0]["id"] == maya["id"]  # her DM
    assert sent.headers["Content-Type"].startswith("multipart/form-data")
    (attached,) = sent.files
    assert attached.filename == "rounds-data.json"
    # payload_json names the attachment and carries the message itself.
    assert [a["filename"] for a in sent.json["attachments"]] == ["rounds-data.json"]
    assert "rounds-data.json" in json.dumps(sent.json["embeds"])
    stored = next(m for m in fake_discord.messages.values() if m["attachments"])
    assert stored["attachments"][0]["size"] == len(attached.content)
    data = json.loads(attached.content)
    assert (data["member"], data["community"]) == (maya["id"], community)
    assert [c["name"] for c in data["tables"]["contacts"]] == ["Dr Ada Okafor"]
    assert other["id"] not in attached.content.decode()
    assert "Dr Not Yours" not in attached.content.decode()
