"""Issue 15 #9, Discord parts: masked links and bidi / zero-width characters in
member text never reach a public post as such (the core neutralises every
public post, whatever the platform), and `organiser-role` is honoured: a member
holding the role is an organiser, decided in the core from the roles Discord
reports; without it they are not."""

from __future__ import annotations

import json

from adapters.discord.app import DiscordBot
from bot.core import Rounds
from tests.fakes.conftest import loopback_only
from tests.fakes.discord_api import MANAGE_GUILD, FakeDiscord, option, subcommand
from tests.fakes.discord_client import fake_discord
from tests.security.discord_support import bot, fresh_bot, interact, organiser, said

__all__ = ["bot", "fake_discord", "loopback_only"]
BIDI = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
HIDDEN = "\u200b\u2060\ufeff"
PITCH = (
    "Hi, I'm Ana Silva, an MS4 at the University of Lisbon. I focus on interventional "
    "oncology and I'm writing up a TACE outcomes review. Could we talk for 15 minutes? "
    f"My CV: [cv.pdf](https://evil.example/steal) {BIDI}fdp.exe{HIDDEN} [see](<https://x.example>)"
)


async def test_masked_links_and_bidi_are_neutralised_in_public_posts(
    bot: DiscordBot, fake_discord: FakeDiscord
) -> None:
    channel = fake_discord.add_channel("pitch-reviews")
    set_it = await bot.rounds.run_line(
        organiser(fake_discord), f"/admin set review-channel {channel['id']}"
    )
    assert not set_it.error, set_it.text
    author = fake_discord.add_user("author")
    mark = fake_discord.mark()
    await interact(
        fake_discord,
        fake_discord.slash_command(
            "pitch-review", subcommand("submit", option("text", PITCH)), user=author
        ),
    )
    post = await fake_discord.wait_for_call(
        "POST", rf"/channels/{channel['id']}/messages", since=mark
    )
    shown = json.dumps(post.json, ensure_ascii=False)
    assert "cv.pdf" in shown  # the pitch itself is posted
    assert "](" not in shown, "a masked link reached the channel"
    assert BIDI not in shown and not any(c in shown for c in "\u2060\ufeff")
    assert "https://evil.example/steal" in shown  # the address is in plain sight


async def test_organiser_role_makes_an_organiser(rounds: Rounds, fake_discord: FakeDiscord) -> None:
    role = fake_discord.add_role("Organisers")
    other = fake_discord.add_role("Members")
    helper = fake_discord.add_user("helper")
    show = subcommand("show")
    async with fresh_bot(rounds, fake_discord):  # the roles come with GUILD_CREATE
        value = option("value", f"<@&{role['id']}>")
        set_it = await interact(
            fake_discord,
            fake_discord.slash_command(
                "admin",
                subcommand("set", option("key", "organiser-role"), value),
                permissions=MANAGE_GUILD,
            ),
        )
        assert "Saved" in said(set_it), said(set_it)
        with_role = await interact(
            fake_discord, fake_discord.slash_command("admin", show, user=helper, roles=[role["id"]])
        )
        without = await interact(
            fake_discord,
            fake_discord.slash_command("admin", show, user=helper, roles=[other["id"]]),
        )
    assert "Community settings" in said(with_role)
    assert "for organisers" in said(without)
