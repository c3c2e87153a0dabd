"""The Discord adapter end to end: the real discord.py client connected to a fake
Discord (REST and gateway) on 127.0.0.1; interactions dispatched in Discord's
formats, answers asserted on what the fake received."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest
from sqlalchemy import func, select

from adapters.discord.app import DiscordBot
from adapters.discord.commands import payloads
from adapters.discord.sync import sync_commands
from bot.commands import Actor
from bot.config import Settings
from bot.core import Rounds
from bot.features.pitch.tables import pitch_reviews
from bot.responses import Response
from tests.fakes.discord_api import (
    CALLBACK_MESSAGE,
    CALLBACK_MODAL,
    EPHEMERAL,
    MANAGE_GUILD,
    FakeDiscord,
    option,
    subcommand,
)
from tests.fakes.discord_client import make_client, running_client
from tests.long_text import COLD_EMAIL

CALLBACK = r"/interactions/\d+/[^/]+/callback"
PITCH = (
    "Hi, I'm Ana Silva, an MS4 at the University of Lisbon and a US citizen. I focus on "
    "interventional oncology, especially Y-90, and I'm writing up a TACE outcomes review. "
    "Could we talk for 15 minutes about research at your program? @everyone <@&123>"
)


@pytest.fixture
async def bot(rounds: Rounds, fake_discord: FakeDiscord) -> AsyncIterator[DiscordBot]:
    client = make_client(discord.Client, allowed_mentions=discord.AllowedMentions.none())
    adapter = DiscordBot(rounds, client)
    async with running_client(client, fake_discord):
        yield adapter


def community(fake: FakeDiscord) -> str:
    return f"discord:{fake.guild_id}"


async def interact(fake: FakeDiscord, payload: dict[str, Any]) -> dict[str, Any]:
    """Dispatch an interaction; return the callback body the bot posted for it."""
    mark = fake.mark()
    await fake.dispatch_interaction(payload)
    call = await fake.wait_for_call(
        "POST", CALLBACK, since=mark, predicate=lambda c: payload["token"] in c.path
    )
    return dict(call.json)


async def test_help_is_an_ephemeral_embed(bot: DiscordBot, fake_discord: FakeDiscord) -> None:
    body = await interact(fake_discord, fake_discord.slash_command("help"))
    assert body["type"] == CALLBACK_MESSAGE and body["data"]["flags"] & EPHEMERAL
    assert "/profile" in json.dumps(body["data"]["embeds"])
    assert body["data"]["allowed_mentions"] == {"parse": []}


async def test_profile_edit_modal_saves(bot: DiscordBot, fake_discord: FakeDiscord) -> None:
    body = await interact(fake_discord, fake_discord.slash_command("profile", subcommand("edit")))
    assert body["type"] == CALLBACK_MODAL
    modal_id = body["data"]["custom_id"]
    inputs = [row["components"][0]["custom_id"] for row in body["data"]["components"]]
    assert inputs == ["timezone", "stage", "pack", "interests"]
    await interact(
        fake_discord,
        fake_discord.modal_submit(
            modal_id, {"timezone": "Asia/Kolkata", "stage": "ms4", "pack": "ir", "interests": ""}
        ),
    )
    owner = str(fake_discord.owner_user["id"])
    shown = await bot.rounds.run_line(Actor(community(fake_discord), owner), "/profile")
    assert shown.data["profile"]["timezone"] == "Asia/Kolkata"


async def test_organiser_only_needs_manage_server(
    bot: DiscordBot, fake_discord: FakeDiscord
) -> None:
    member = fake_discord.add_user("member")
    refused = await interact(
        fake_discord, fake_discord.slash_command("admin", subcommand("show"), user=member)
    )
    assert "for organisers" in refused["data"]["content"]
    allowed = await interact(
        fake_discord,
        fake_discord.slash_command("admin", subcommand("show"), permissions=MANAGE_GUILD),
    )
    assert "Community settings" in json.dumps(allowed["data"]["embeds"])


async def test_pitch_submit_review_button_and_modal(
    bot: DiscordBot, fake_discord: FakeDiscord
) -> None:
    channel = fake_discord.add_channel("pitch-reviews")
    await interact(
        fake_discord,
        fake_discord.slash_command(
            "admin",
            subcommand("set", option("key", "review-channel"), option("value", channel["id"])),
            permissions=MANAGE_GUILD,
        ),
    )
    author = fake_discord.add_user("author")
    mark = fake_discord.mark()
    feedback = await interact(
        fake_discord,
        fake_discord.slash_command(
            "pitch-review", subcommand("submit", option("text", PITCH)), user=author
        ),
    )
    assert feedback["data"]["flags"] & EPHEMERAL  # the automatic feedback, author only
    posted = await fake_discord.wait_for_call(
        "POST", rf"/channels/{channel['id']}/messages", since=mark
    )
    assert posted.json["allowed_mentions"] == {"parse": []}
    assert "@everyone" not in json.dumps(posted.json) or "\\u200b" in json.dumps(posted.json)
    button = posted.json["components"][0]["components"][0]
    reviewer = fake_discord.add_user("reviewer")
    form = await interact(
        fake_discord,
        fake_discord.button_press(
            button["custom_id"], user=reviewer, channel_id=int(channel["id"])
        ),
    )
    assert form["type"] == CALLBACK_MODAL
    keys = [row["components"][0]["custom_id"] for row in form["data"]["components"]]
    answers = {k: "4" for k in keys} | {"comment": "Name the program you want."}
    mark = fake_discord.mark()
    await interact(
        fake_discord, fake_discord.modal_submit(form["data"]["custom_id"], answers, user=reviewer)
    )
    # the author's DM channel is open since their welcome: the review notice goes there
    await fake_discord.wait_for_call(
        "POST",
        r"/channels/\d+/messages",
        lambda c: channel["id"] not in c.path and "Welcome" not in json.dumps(c.json),
        since=mark,
    )
    async with bot.rounds.db.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(pitch_reviews))).scalar() == 1


async def test_checkin_through_its_modal(bot: DiscordBot, fake_discord: FakeDiscord) -> None:
    await interact(
        fake_discord,
        fake_discord.slash_command(
            "group",
            subcommand(
                "create",
                option("name", "crew"),
                option("day", "monday"),
                option("time", "09:00"),
                option("timezone", "UTC"),
            ),
        ),
    )
    form = await interact(fake_discord, fake_discord.slash_command("checkin", subcommand("open")))
    assert form["type"] == CALLBACK_MODAL
    keys = [row["components"][0]["custom_id"] for row in form["data"]["components"]]
    answers = {k: "" for k in keys} | {"win": "Two emails sent", "next": "Finish the abstract"}
    await interact(fake_discord, fake_discord.modal_submit(form["data"]["custom_id"], answers))
    owner = str(fake_discord.owner_user["id"])
    history = await bot.rounds.run_line(Actor(community(fake_discord), owner), "/checkin history")
    assert "Finish the abstract" in json.dumps(history.to_dict())


async def test_mentor_signup_through_its_modal(bot: DiscordBot, fake_discord: FakeDiscord) -> None:
    form = await interact(fake_discord, fake_discord.slash_command("mentor", subcommand("signup")))
    assert form["type"] == CALLBACK_MODAL
    fields = [row["components"][0] for row in form["data"]["components"]]
    answers = {f["custom_id"]: f.get("value") or "" for f in fields}
    answers |= {
        k: v
        for k, v in {
            "capacity": "2",
            "kinds": "career",
            "focus": "interventional-oncology",
            "stage": "attending",
        }.items()
        if k in answers
    }
    await interact(fake_discord, fake_discord.modal_submit(form["data"]["custom_id"], answers))
    owner = str(fake_discord.owner_user["id"])
    profile = await bot.rounds.run_line(Actor(community(fake_discord), owner), "/mentor profile")
    assert not profile.error, profile.text


async def test_buttons_work_after_a_restart(rounds: Rounds, fake_discord: FakeDiscord) -> None:
    """A button's custom_id carries its command line, so a new client handles it."""
    first = make_client(discord.Client)
    DiscordBot(rounds, first)
    async with running_client(first, fake_discord):
        shown = await interact(
            fake_discord, fake_discord.slash_command("profile", subcommand("show"))
        )
    custom_id = shown["data"]["components"][0]["components"][0]["custom_id"]
    second = make_client(discord.Client)
    DiscordBot(rounds, second)
    async with running_client(second, fake_discord):
        body = await interact(fake_discord, fake_discord.button_press(custom_id))
    assert body["type"] == CALLBACK_MODAL


async def test_long_text_fits_discord_limits(bot: DiscordBot, fake_discord: FakeDiscord) -> None:
    from adapters.discord.render import message_kwargs
    from bot.responses import Field

    kwargs = message_kwargs(Response(text="x" * 5000), {})
    assert len(kwargs["content"]) <= 2000
    embed = message_kwargs(
        Response(
            title="t" * 300,
            text="y" * 5000,
            fields=tuple(Field("n" * 300, "v" * 2000) for _ in range(40)),
        ),
        {},
    )["embed"]
    assert len(embed) <= 6000 and len(embed.fields) <= 25 and len(embed.title) <= 256


async def test_sync_registers_commands_from_the_registry(
    rounds: Rounds, fake_discord: FakeDiscord
) -> None:
    settings = Settings(DISCORD_TOKEN=fake_discord.token, DISCORD_API_BASE=fake_discord.api_base)
    assert await sync_commands(rounds, settings, str(fake_discord.guild_id)) == 0
    put = await fake_discord.wait_for_call("PUT", r"/applications/\d+/guilds/\d+/commands")
    names = {c["name"] for c in put.json}
    assert {"help", "profile", "pitch-review", "checkin", "mentor", "admin"} <= names
    admin = next(c for c in put.json if c["name"] == "admin")
    assert admin["default_member_permissions"] == str(MANAGE_GUILD)
    profile = next(c for c in put.json if c["name"] == "profile")
    assert {o["name"] for o in profile["options"]} >= {"show", "set", "edit"}
    show = next(o for o in profile["options"] if o["name"] == "show")
    assert show["options"][0]["type"] == 6  # a member option is a Discord user
    help_cmd = next(c for c in put.json if c["name"] == "help")
    assert help_cmd["options"][0]["type"] == 3  # flat: /help [command]
    assert put.json == payloads(rounds.registry)


async def test_a_six_line_cold_email_is_checked_through_a_modal(
    bot: DiscordBot, fake_discord: FakeDiscord
) -> None:
    form = await interact(
        fake_discord, fake_discord.slash_command("pitch-review", subcommand("check"))
    )
    assert form["type"] == CALLBACK_MODAL
    inputs = {
        row["components"][0]["custom_id"]: row["components"][0]
        for row in form["data"]["components"]
    }
    assert inputs["text"]["style"] == 2  # a paragraph input
    answer = await interact(
        fake_discord,
        fake_discord.modal_submit(form["data"]["custom_id"], {"kind": "", "text": COLD_EMAIL}),
    )
    shown = json.dumps(answer)
    assert "Email check" in shown and f"{len(COLD_EMAIL.split())} words" in shown
