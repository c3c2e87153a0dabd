"""Socket Mode end to end: the real AsyncSocketModeHandler (through SlackBot.socket_mode)
connects to the fake's WebSocket, which it found through apps.connections.open on the
fake Web API; the fake sends hello, then slash-command envelopes, and reads the acks."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import pytest

from adapters.slack.app import SlackBot, make_client
from bot.commands import Actor
from bot.config import Settings
from bot.core import Rounds
from tests.adapters.slack.conftest import SECRET, community
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import USER_ID, slash_command


@dataclass
class Socket:
    api: FakeSlackAPI
    rounds: Rounds

    async def command(self, text: str, **kw: Any) -> str:
        """Send a slash command envelope as Slack does; returns the envelope id."""
        return await self.api.send_envelope("slash_commands", payload(text), **kw)

    async def answer(self, envelope_id: str, expect: str) -> str:
        """The answer to an envelope: in its ack, or (a slow moment: the ack said
        "working on it") in the ephemeral reply after it."""
        acked = json.dumps(await self.api.wait_for_ack(envelope_id))
        if expect in acked:
            return acked
        later = await self.api.wait_for(
            "chat.postEphemeral", lambda c: expect in json.dumps(c.body), timeout=10
        )
        return json.dumps(later.body)

    async def reminders(self) -> list[str]:
        listed = await self.rounds.run_line(Actor(community(), USER_ID), "/remind list")
        return [f.value for f in listed.fields]


def payload(text: str) -> dict[str, Any]:
    """A slash command's payload as Socket Mode carries it: the HTTP form's fields."""
    name, _, rest = text.partition(" ")
    return dict(parse_qsl(slash_command(name, rest).decode(), keep_blank_values=True))


@pytest.fixture
async def socket(rounds: Rounds, slack_api: FakeSlackAPI) -> AsyncIterator[Socket]:
    settings = Settings(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_APP_TOKEN="xapp-test",
        SLACK_API_URL=slack_api.url,
    )
    bot = SlackBot(rounds, make_client(settings), SECRET)
    handler = bot.socket_mode("xapp-test")
    await handler.connect_async()
    await slack_api.connected()
    try:
        yield Socket(slack_api, rounds)
    finally:
        await handler.close_async()
        await bot.close()


async def test_connects_through_apps_connections_open(socket: Socket) -> None:
    opened = socket.api.calls("apps.connections.open")
    assert opened and opened[0].headers["Authorization"] == "Bearer xapp-test"


async def test_a_command_is_acknowledged_in_time_with_its_answer(socket: Socket) -> None:
    sent = await socket.command("/help")
    ack = await socket.api.wait_for_ack(sent, timeout=3.0)  # Slack's deadline
    assert "/profile" in json.dumps(ack["payload"]["blocks"])


async def test_the_same_envelope_twice_runs_once(socket: Socket) -> None:
    body = payload("/rounds-remind me in 2 days send the thank-you note")
    sent = await socket.api.send_envelope("slash_commands", body, envelope_id="env-twice")
    await socket.answer(sent, "thank-you note")
    socket.api.acks.clear()
    await socket.api.send_envelope("slash_commands", body, envelope_id="env-twice")
    await socket.api.wait_for_ack("env-twice")  # acknowledged again, so Slack stops
    assert len(await socket.reminders()) == 1


async def test_a_redelivery_of_an_envelope_never_processed_runs_once(socket: Socket) -> None:
    await socket.api.wait_for_ack(await socket.command("/help"))  # something came before
    body = payload("/rounds-remind me in 3 days email Dr Lee")
    sent = await socket.api.send_envelope(
        "slash_commands", body, retry_attempt=1, retry_reason="timeout"
    )
    assert "remind you" in await socket.answer(sent, "Dr Lee")
    assert len(await socket.reminders()) == 1


async def test_two_different_commands_in_a_row_both_run(socket: Socket) -> None:
    first = await socket.command("/rounds-remind me in 2 days email Dr Lee")
    second = await socket.command("/rounds-remind me in 4 days call the program office")
    await socket.answer(first, "Dr Lee")
    await socket.answer(second, "program office")
    shown = " ".join(await socket.reminders())
    assert "email Dr Lee" in shown and "call the program office" in shown
