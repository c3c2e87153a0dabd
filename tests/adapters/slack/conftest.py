"""A real Bolt app over HTTP on 127.0.0.1, its Web API pointed at the fake Slack."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from adapters.slack.app import SlackBot, make_client
from bot.config import Settings
from bot.core import Rounds
from tests.fakes.conftest import loopback_only
from tests.fakes.slack_api import TEAM_ID, FakeSlackAPI, serve, slack_api
from tests.fakes.slack_requests import (
    CHANNEL_ID,
    USER_ID,
    block_action,
    post_signed,
    slash_command,
    view_submission,
)

__all__ = ["loopback_only", "slack_api"]
SECRET = "test-signing-secret"
ADMIN = "U0ORGANISER"


@dataclass
class Slack:
    """Send signed requests as members and read what the fake Web API received."""

    url: str
    api: FakeSlackAPI
    bot: SlackBot
    rounds: Rounds

    async def command(self, text: str, user: str = USER_ID, **kw: Any) -> Any:
        name, _, rest = text.partition(" ")
        reply = await post_signed(self.url, slash_command(name, rest, user_id=user, **kw), SECRET)
        assert reply.status == 200, reply.text
        return reply.json() if reply.text else None

    async def answered(self, text: str, expect: str, user: str = USER_ID, **kw: Any) -> str:
        """Run a command and return its answer containing `expect`: in the ack, or (a
        slow moment: the ack said "working on it") in the ephemeral reply after it."""
        since = self.mark()
        acked = json.dumps(await self.command(text, user=user, **kw))
        if expect in acked:
            return acked
        later = await self.api.wait_for(
            "chat.postEphemeral",
            lambda c: self.api.calls().index(c) >= since and expect in json.dumps(c.body),
        )
        return json.dumps(later.body)

    async def press(self, value: str, user: str = USER_ID, **kw: Any) -> None:
        reply = await post_signed(
            self.url, block_action("rounds:0", value, user_id=user, **kw), SECRET
        )
        assert reply.status == 200, reply.text

    async def submit(
        self, view: dict[str, Any], answers: dict[str, str], user: str = USER_ID
    ) -> Any:
        body = view_submission(
            view["callback_id"],
            fill(view, answers),
            user_id=user,
            private_metadata=view["private_metadata"],
        )
        reply = await post_signed(self.url, body, SECRET)
        assert reply.status == 200, reply.text
        return reply.json() if reply.text else None

    async def opened_view(self, since: int) -> dict[str, Any]:
        await self.api.wait_for("views.open", lambda c: self.api.calls().index(c) >= since)
        view = self.api.calls("views.open")[-1].body["view"]
        return view if isinstance(view, dict) else dict(json.loads(view))

    def mark(self) -> int:
        return len(self.api.calls())


def fill(view: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    """Slack's state.values for a modal: given answers, else the initial values."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        el, key = block["element"], block["block_id"]
        if el["type"] == "static_select":
            chosen = answers.get(key) or (el.get("initial_option") or {}).get("value")
            option = next((o for o in el["options"] if o["value"] == chosen), None)
            values[key] = {el["action_id"]: {"type": "static_select", "selected_option": option}}
        else:
            text = answers.get(key, el.get("initial_value", ""))
            values[key] = {el["action_id"]: {"type": "plain_text_input", "value": text}}
    return values


@asynccontextmanager
async def running(rounds: Rounds, slack_api: FakeSlackAPI) -> AsyncIterator[Slack]:
    """The real Slack app on `rounds`, serving HTTP, with the fake Web API behind it."""
    slack_api.set_user(ADMIN, is_admin=True)
    settings = Settings(
        SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack_api.url
    )
    bot = SlackBot(rounds, make_client(settings), SECRET)
    async with serve(bot.web_app("/slack/events")) as base:
        yield Slack(base + "/slack/events", slack_api, bot, rounds)
    await bot.close()


@pytest.fixture
async def slack(rounds: Rounds, slack_api: FakeSlackAPI) -> AsyncIterator[Slack]:
    async with running(rounds, slack_api) as app:
        yield app


def community() -> str:
    return f"slack:{TEAM_ID}"


CHANNEL = CHANNEL_ID
