"""Issue 15 #1: private content never reaches a channel. A member whose DMs are
closed (Discord 50007) runs `/privacy export`, or is due a reminder: nothing of
it is posted in public, the member is told the truth, and the channel gets at
most a content-free "please open your DMs" notice mentioning only them."""

from __future__ import annotations

import json

import pytest

from adapters.discord.app import DiscordBot
from bot.commands import Actor
from bot.responses import Post, Response, Target
from bot.scheduling.outbox import DeliveryError
from tests.fakes.conftest import loopback_only
from tests.fakes.discord_api import EPHEMERAL, FakeDiscord, subcommand
from tests.fakes.discord_client import fake_discord
from tests.security.discord_support import (
    bot,
    channel_posts,
    community,
    interact,
    organiser,
    said,
)

__all__ = ["bot", "fake_discord", "loopback_only"]
SECRET = "visa interview anxiety"


async def _groups_channel(bot: DiscordBot, fake: FakeDiscord) -> str:
    channel = fake.add_channel("peer-groups")
    set_it = await bot.rounds.run_line(
        organiser(fake), f"/admin set groups-channel {channel['id']}"
    )
    assert not set_it.error, set_it.text
    return str(channel["id"])


async def test_export_with_closed_dms_is_never_posted_in_public(
    bot: DiscordBot, fake_discord: FakeDiscord
) -> None:
    await _groups_channel(bot, fake_discord)
    shy = fake_discord.add_user("shy")
    me = Actor(community(fake_discord), shy["id"], "shy")
    added = await bot.rounds.run_line(me, f'/contact add "Dr Lee" notes="{SECRET}"')
    assert not added.error, added.text
    fake_discord.close_dms(shy["id"])
    mark = fake_discord.mark()

    reply = await interact(
        fake_discord, fake_discord.slash_command("privacy", subcommand("export"), user=shy)
    )

    assert reply["data"]["flags"] & EPHEMERAL
    assert "closed" in said(reply) and "I've sent" not in said(reply)
    for call in channel_posts(fake_discord, mark):
        assert SECRET not in json.dumps(call.json), "the export was posted in a channel"
        assert "Dr Lee" not in json.dumps(call.json)


async def test_a_closed_dm_leaves_only_a_notice_without_content(
    bot: DiscordBot, fake_discord: FakeDiscord
) -> None:
    channel = await _groups_channel(bot, fake_discord)
    shy = fake_discord.add_user("shy")
    fake_discord.close_dms(shy["id"])
    reminder = Post(
        Target(community(fake_discord), member_id=shy["id"]),
        Response(title="Reminder", text=f"Practise for the {SECRET} @everyone", dm=True),
    )
    mark = fake_discord.mark()

    with pytest.raises(DeliveryError) as failed:
        await bot.rounds.outbox.deliver(reminder)
    with pytest.raises(DeliveryError):  # the same day again: no second notice
        await bot.rounds.outbox.deliver(reminder)

    assert not failed.value.retryable  # recorded as failed, shown in /remind list
    posts = channel_posts(fake_discord, mark)
    assert len(posts) == 1 and posts[0].path == f"/channels/{channel}/messages"
    body = posts[0].json
    text = bot.rounds.content.msg("dm_closed_notice")
    assert body["content"] == f"<@{shy['id']}> {text}"
    assert "embeds" not in body or not body["embeds"]
    assert SECRET not in json.dumps(body) and "Reminder" not in json.dumps(body)
    assert body["allowed_mentions"]["parse"] == []
    assert [str(u) for u in body["allowed_mentions"]["users"]] == [str(shy["id"])]


async def test_private_content_addressed_to_a_channel_is_refused(
    bot: DiscordBot, fake_discord: FakeDiscord
) -> None:
    channel = await _groups_channel(bot, fake_discord)
    mark = fake_discord.mark()
    with pytest.raises(DeliveryError):
        await bot.rounds.outbox.deliver(
            Post(
                Target(community(fake_discord), channel_id=channel),
                Response(text=SECRET, dm=True),
            )
        )
    assert channel_posts(fake_discord, mark) == []
