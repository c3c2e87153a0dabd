"""Times reach every reader in their own zone: a group on Tokyo time prompts a
member in Kolkata. Discord carries <t:unix:F>, Slack <!date^unix^...|fallback>,
and the console prints the member's local time."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import discord
import pytest

from adapters.discord.app import DiscordBot
from bot.commands import Actor
from bot.core import Rounds
from bot.responses import Moment
from bot.scheduling.dispatcher import Dispatcher
from tests.adapters.slack.conftest import Slack, slack
from tests.conversation import Conversation
from tests.fakes.conftest import fake_discord, loopback_only, slack_api
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.discord_client import make_client, running_client

__all__ = ["fake_discord", "loopback_only", "slack", "slack_api"]
PROMPT = datetime(2027, 1, 11, 0, 0, tzinfo=UTC)  # Monday 09:00 in Tokyo, 05:30 in Kolkata


async def _tokyo_group(rounds: Rounds, community: str, member: str) -> datetime:
    """`member` (in Kolkata) starts a group prompted Mondays 09:00 Tokyo time; the
    clock moves to its first prompt. Returns the week's deadline."""
    actor = Actor(community, member, "priya")
    assert not (await rounds.run_line(actor, "/profile set timezone Asia/Kolkata")).error
    made = await rounds.run_line(actor, "/group create crew mon 09:00 Asia/Tokyo")
    assert not made.error, made.text
    rounds.clock.set(PROMPT)  # type: ignore[attr-defined]
    return PROMPT + timedelta(minutes=made.data["group"]["deadline_minutes"])


async def test_console_shows_the_members_local_time(rounds: Rounds) -> None:
    chat = Conversation(rounds)
    made = await chat.ok("priya", "/profile set timezone Asia/Kolkata")
    assert not made.error
    group = (await chat.ok("priya", "/group create crew mon 09:00 Asia/Tokyo")).data["group"]
    deadline = PROMPT + timedelta(minutes=group["deadline_minutes"])
    dms = await chat.at(PROMPT.isoformat())
    text = next(d["message"]["text"] for d in dms if d["to"]["member"] == "priya")
    kolkata = Moment(deadline).local("Asia/Kolkata")
    assert kolkata.endswith("IST") and kolkata in text
    assert "JST" not in text and "\u27e6" not in text
    shown = await chat.ok("priya", "/group show")
    printed = chat.printed()[-1]  # what the console printed for that reply
    fields = {f["name"]: f["value"] for f in printed["fields"]}
    assert fields["Prompt"].endswith("IST") and fields["Group's time zone"] == "Asia/Tokyo"
    assert shown.fields  # the core reply itself still carries the instant


@pytest.fixture
async def discord_bot(rounds: Rounds, fake_discord: FakeDiscord) -> AsyncIterator[DiscordBot]:
    client = make_client(discord.Client, allowed_mentions=discord.AllowedMentions.none())
    adapter = DiscordBot(rounds, client)
    async with running_client(client, fake_discord):
        yield adapter


async def test_discord_payload_carries_a_timestamp(
    discord_bot: DiscordBot, fake_discord: FakeDiscord
) -> None:
    rounds = discord_bot.rounds
    member = fake_discord.add_user("priya")
    deadline = await _tokyo_group(rounds, f"discord:{fake_discord.guild_id}", member["id"])
    mark = fake_discord.mark()
    await Dispatcher(rounds, rounds.outbox).run_once()
    sent = await fake_discord.wait_for_call("POST", r"/channels/\d+/messages", since=mark)
    payload = json.dumps(sent.json)
    assert f"<t:{int(deadline.timestamp())}:F>" in payload
    assert "JST" not in payload and "\u27e6" not in payload


async def test_slack_payload_carries_a_date_token(slack: Slack) -> None:
    rounds = slack.rounds
    deadline = await _tokyo_group(rounds, "slack:T0ROUNDS", "U0PRIYA")
    since = slack.mark()
    await Dispatcher(rounds, rounds.outbox).run_once()
    await slack.api.wait_for("chat.postMessage", lambda c: slack.api.calls().index(c) >= since)
    sent = slack.api.calls("chat.postMessage")[-1].body
    texts = [b["text"]["text"] for b in sent["blocks"] if b["type"] == "section"]
    fallback = Moment(deadline).local("Asia/Tokyo")  # the group's zone, for old clients
    token = f"<!date^{int(deadline.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"
    assert any(token in t for t in texts), texts
    assert "\u27e6" not in json.dumps(sent)
