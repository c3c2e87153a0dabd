"""The real discord.py client against the fake Discord: login, gateway, commands, interactions."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.http import Route

from tests.fakes.discord_api import (
    CALLBACK_MESSAGE,
    CALLBACK_MODAL,
    EPHEMERAL,
    MANAGE_GUILD,
    FakeDiscord,
    option,
    subcommand,
)
from tests.fakes.discord_client import loopback_only_trace, make_client, running_client

CALLBACK = r"/interactions/\d+/[^/]+/callback"
CHECKIN_ID = "rounds:checkin"


class PitchModal(discord.ui.Modal, title="Pitch review"):
    """Modal with one text input; answers the submit ephemerally with the text."""

    pitch: discord.ui.TextInput[PitchModal] = discord.ui.TextInput(
        label="Your pitch", custom_id="pitch_text"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Got pitch: {self.pitch.value}", ephemeral=True)


class CheckinView(discord.ui.View):
    """Persistent view (no timeout, fixed custom_id) with a check-in button."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Check in", custom_id=CHECKIN_ID)
    async def checkin(
        self, interaction: discord.Interaction, button: discord.ui.Button[CheckinView]
    ) -> None:
        await interaction.response.send_message("Checked in", ephemeral=True)
        await interaction.followup.send("See you next week", ephemeral=True)


def build_tree(client: discord.Client) -> app_commands.CommandTree[discord.Client]:
    """A command tree with a ``/rounds join`` subcommand and a ``/pitch`` modal command."""
    tree = app_commands.CommandTree(client)
    rounds = app_commands.Group(name="rounds", description="Accountability rounds")

    @rounds.command(name="join", description="Join a cohort")
    async def join(interaction: discord.Interaction, cohort: str) -> None:
        admin = interaction.permissions.manage_guild
        await interaction.response.send_message(f"Joined {cohort} (admin={admin})", ephemeral=True)

    @app_commands.command(name="pitch", description="Submit a pitch")
    async def pitch(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(PitchModal())

    tree.add_command(rounds)
    tree.add_command(pitch)
    return tree


@pytest.fixture
async def bot(fake_discord: FakeDiscord) -> AsyncIterator[discord.Client]:
    """A ready client with the command tree synced and the persistent view registered."""
    client = make_client(discord.Client)
    tree = build_tree(client)
    async with running_client(client, fake_discord):
        client.add_view(CheckinView())
        await tree.sync()
        yield client


async def test_connects_and_becomes_ready_quickly(fake_discord: FakeDiscord) -> None:
    client = make_client(discord.Client)
    started = time.monotonic()
    async with running_client(client, fake_discord):
        elapsed = time.monotonic() - started
        guild = client.get_guild(fake_discord.guild_id)
        assert guild is not None and guild.owner_id == int(fake_discord.owner_user["id"])
        assert guild.me is not None and client.get_channel(fake_discord.channel_id) is not None
        assert client.application_id == fake_discord.application_id
    assert elapsed < 1.5
    identify = next(f for f in fake_discord.gateway_frames if f["op"] == 2)
    assert identify["d"]["token"] == fake_discord.token
    assert any(f["op"] == 1 for f in fake_discord.gateway_frames)  # heartbeat sent
    assert fake_discord.calls("GET", "/users/@me") and fake_discord.calls("GET", r"/oauth2/.*")
    assert client.is_closed()


async def test_sync_records_commands(bot: discord.Client, fake_discord: FakeDiscord) -> None:
    put = fake_discord.calls("PUT", rf"/applications/{fake_discord.application_id}/commands")
    assert len(put) == 1
    by_name = {c["name"]: c for c in put[0].json}
    assert set(by_name) == {"rounds", "pitch"}
    assert by_name["rounds"]["options"][0]["name"] == "join"
    assert by_name["rounds"]["options"][0]["type"] == 1
    assert all(c["id"] for c in fake_discord.commands[None])


async def test_slash_subcommand_answers_ephemerally(
    bot: discord.Client, fake_discord: FakeDiscord
) -> None:
    payload = fake_discord.slash_command(
        "rounds", subcommand("join", option("cohort", "IM-2026")), permissions=MANAGE_GUILD
    )
    await fake_discord.dispatch_interaction(payload)
    call = await fake_discord.wait_for_call("POST", CALLBACK)
    assert call.path == f"/interactions/{payload['id']}/{payload['token']}/callback"
    assert call.query == {"with_response": "1"}
    assert call.json["type"] == CALLBACK_MESSAGE
    assert call.json["data"]["content"] == "Joined IM-2026 (admin=True)"
    assert call.json["data"]["flags"] & EPHEMERAL
    assert bot.ws.sequence == 3  # READY, GUILD_CREATE, INTERACTION_CREATE


async def test_modal_round_trip(bot: discord.Client, fake_discord: FakeDiscord) -> None:
    await fake_discord.dispatch_interaction(fake_discord.slash_command("pitch"))
    modal_call = await fake_discord.wait_for_call("POST", CALLBACK)
    assert modal_call.json["type"] == CALLBACK_MODAL
    modal = modal_call.json["data"]
    assert modal["title"] == "Pitch review"

    mark = fake_discord.mark()
    submit = fake_discord.modal_submit(modal["custom_id"], {"pitch_text": "I love rounds"})
    await fake_discord.dispatch_interaction(submit)
    answer = await fake_discord.wait_for_call("POST", CALLBACK, since=mark)
    assert answer.path.startswith(f"/interactions/{submit['id']}/")
    assert answer.json["data"]["content"] == "Got pitch: I love rounds"
    assert answer.json["data"]["flags"] == EPHEMERAL


async def test_persistent_button_and_followup(
    bot: discord.Client, fake_discord: FakeDiscord
) -> None:
    press = fake_discord.button_press(CHECKIN_ID)
    await fake_discord.dispatch_interaction(press)
    reply = await fake_discord.wait_for_call("POST", CALLBACK)
    assert reply.json["data"]["content"] == "Checked in"
    followup = await fake_discord.wait_for_call(
        "POST", rf"/webhooks/{fake_discord.application_id}/{press['token']}"
    )
    assert followup.query.get("wait") == "1"
    assert followup.json["content"] == "See you next week"
    assert followup.json["flags"] == EPHEMERAL


async def test_dm_open_and_closed_dms(bot: discord.Client, fake_discord: FakeDiscord) -> None:
    open_user = fake_discord.add_user("resident")
    closed_user = fake_discord.add_user("private")
    fake_discord.close_dms(closed_user["id"])

    user = await bot.fetch_user(int(open_user["id"]))
    message = await user.send("Your round starts soon")
    opened = fake_discord.calls("POST", "/users/@me/channels")
    assert opened[0].json == {"recipient_id": int(open_user["id"])}
    posted = fake_discord.calls("POST", rf"/channels/{message.channel.id}/messages")
    assert posted[0].json["content"] == "Your round starts soon"

    closed = await bot.fetch_user(int(closed_user["id"]))
    with pytest.raises(discord.Forbidden) as excinfo:
        await closed.send("hello?")
    assert excinfo.value.status == 403 and excinfo.value.code == 50007


async def test_allowed_mentions_none_and_threads(
    bot: discord.Client, fake_discord: FakeDiscord
) -> None:
    channel = bot.get_channel(fake_discord.channel_id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("@everyone hi", allowed_mentions=discord.AllowedMentions.none())
    post = fake_discord.calls("POST", rf"/channels/{fake_discord.channel_id}/messages")[0]
    assert post.json["allowed_mentions"] == {"parse": []}

    fetched = await channel.fetch_message(sent.id)
    assert fetched.content == "@everyone hi"
    thread = await sent.create_thread(name="Week 1")
    assert thread.id == sent.id and thread.name == "Week 1"
    standalone = await channel.create_thread(name="Mentors", type=discord.ChannelType.public_thread)
    assert standalone.parent_id == fake_discord.channel_id
    assert len(fake_discord.calls("POST", r"/channels/\d+(/messages/\d+)?/threads")) == 2


async def test_unknown_route_is_404_and_recorded(
    bot: discord.Client, fake_discord: FakeDiscord
) -> None:
    with pytest.raises(discord.NotFound):
        await bot.http.request(Route("GET", "/guilds/{guild_id}/audit-logs", guild_id=1))
    assert [c.path for c in fake_discord.unknown_routes] == ["/guilds/1/audit-logs"]


async def test_loopback_guard_blocks_real_hosts() -> None:
    async with aiohttp.ClientSession(trace_configs=[loopback_only_trace()]) as session:
        with pytest.raises(RuntimeError, match=r"discord\.com"):
            await session.get("https://discord.com/api/v10/gateway")
