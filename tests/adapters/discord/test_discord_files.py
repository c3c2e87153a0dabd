"""Files through Discord: a member's /privacy export arrives in their DM as a
multipart message with the JSON attached (discord.File), which the fake parses
and records; the bytes hold the member's rows and nobody else's. An organiser's
/mentor export CSV is attached to their private reply."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator

import discord
import pytest

from adapters.discord.app import DiscordBot
from bot.commands import Actor
from bot.core import Rounds
from tests.adapters.pool import open_round_with_a_pair
from tests.fakes.discord_api import (
    CALLBACK_MESSAGE,
    EPHEMERAL,
    MANAGE_GUILD,
    FakeDiscord,
    subcommand,
)
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


async def test_mentor_export_csv_is_attached_to_the_private_reply(
    bot: DiscordBot, fake_discord: FakeDiscord
) -> None:
    community = f"discord:{fake_discord.guild_id}"
    owner = str(fake_discord.owner_user["id"])
    mentor, mentee = fake_discord.add_user("ben"), fake_discord.add_user("bea")
    await open_round_with_a_pair(bot.rounds, community, owner, mentor["id"], mentee["id"])
    mark = fake_discord.mark()
    payload = fake_discord.slash_command("mentor", subcommand("export"), permissions=MANAGE_GUILD)
    await fake_discord.dispatch_interaction(payload)
    call = await fake_discord.wait_for_call(
        "POST",
        r"/interactions/\d+/[^/]+/callback",
        since=mark,
        predicate=lambda c: payload["token"] in c.path,
    )
    assert call.json["type"] == CALLBACK_MESSAGE and call.json["data"]["flags"] & EPHEMERAL
    (attached,) = call.files
    assert attached.filename == "mentoring-round-1.csv"
    rows = list(csv.DictReader(io.StringIO(attached.content.decode())))
    assert [(r["mentee"], r["mentor"], r["status"]) for r in rows] == [
        (mentee["id"], mentor["id"], "preview")
    ]
