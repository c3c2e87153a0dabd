"""Issue 15 #2: a channel id from another server the bot is in is refused
wherever a channel is set (`/group set channel`, `/admin set review-channel`,
`/remind channel`), and a group's channel is chosen by the member who started
it or an organiser only; nothing is stored by a refused command, and a
foreign channel stored before this check gets no post."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from adapters.discord.app import DiscordBot
from bot.commands import Actor
from bot.features.groups.tables import peer_groups
from bot.members import load_membership
from bot.responses import Post, Response, Target
from bot.scheduling.outbox import DeliveryError
from tests.fakes.conftest import loopback_only
from tests.fakes.discord_api import MANAGE_GUILD, FakeDiscord, option, subcommand
from tests.fakes.discord_client import fake_discord
from tests.security.discord_support import bot, community, interact, said

__all__ = ["bot", "fake_discord", "loopback_only"]


async def _group_channel(bot: DiscordBot) -> str | None:
    async with bot.rounds.db.connect() as conn:
        return (await conn.execute(select(peer_groups.c.channel_id))).scalar()


async def test_group_channel_in_another_server_is_refused(
    bot: DiscordBot, fake_discord: FakeDiscord
) -> None:
    starter, mate = fake_discord.add_user("starter"), fake_discord.add_user("mate")
    here = fake_discord.add_channel("crew")
    elsewhere = fake_discord.add_channel("other-server", guild_id=fake_discord.new_id())
    where = community(fake_discord)
    created = await bot.rounds.run_line(Actor(where, starter["id"], "s"), "/group create crew")
    assert not created.error, created.text
    joined = await bot.rounds.run_line(Actor(where, mate["id"], "m"), "/group join crew")
    assert not joined.error, joined.text

    def set_channel(user: dict[str, str], channel: str) -> dict[str, object]:
        return fake_discord.slash_command(
            "group",
            subcommand("set", option("field", "channel"), option("value", channel)),
            user=user,
        )

    foreign = await interact(fake_discord, set_channel(starter, elsewhere["id"]))
    assert "not a channel of this community" in said(foreign)
    not_theirs = await interact(fake_discord, set_channel(mate, here["id"]))
    assert "started" in said(not_theirs)
    assert await _group_channel(bot) is None

    own = await interact(fake_discord, set_channel(starter, here["id"]))
    assert "not a channel" not in said(own)
    assert await _group_channel(bot) == here["id"]


async def test_organiser_channels_in_another_server_are_refused(
    bot: DiscordBot, fake_discord: FakeDiscord
) -> None:
    elsewhere = fake_discord.add_channel("other-server", guild_id=fake_discord.new_id())
    review = await interact(
        fake_discord,
        fake_discord.slash_command(
            "admin",
            subcommand("set", option("key", "review-channel"), option("value", elsewhere["id"])),
            permissions=MANAGE_GUILD,
        ),
    )
    assert "not a channel of this community" in said(review)
    remind = await interact(
        fake_discord,
        fake_discord.slash_command(
            "remind",
            subcommand(
                "channel",
                option("channel", f"<#{elsewhere['id']}>"),
                option("when", "in 2 days"),
                option("what", "Share your wins"),
            ),
            permissions=MANAGE_GUILD,
        ),
    )
    assert "not a channel of this community" in said(remind)
    async with bot.rounds.db.connect() as conn:
        found, _ = await load_membership(conn, community(fake_discord), "")
    assert found is not None and "review-channel" not in found.settings
    owner = Actor(community(fake_discord), fake_discord.owner_user["id"], "o", True)
    listed = await bot.rounds.run_line(owner, "/remind list")
    assert "Share your wins" not in said({"data": listed.to_dict()})


async def test_a_foreign_channel_stored_before_the_check_gets_nothing(
    bot: DiscordBot, fake_discord: FakeDiscord
) -> None:
    elsewhere = fake_discord.add_channel("other-server", guild_id=fake_discord.new_id())
    with pytest.raises(DeliveryError):
        await bot.rounds.outbox.deliver(
            Post(
                Target(community(fake_discord), channel_id=elsewhere["id"]),
                Response(text="This week's wins and blockers", ephemeral=False),
            )
        )
    assert fake_discord.calls("POST", rf"/channels/{elsewhere['id']}/messages") == []
