"""The welcome DM on Slack names the zone Rounds took from the member's Slack
profile, and its Change time zone button opens the zone form and saves a new
zone, also when the app restarted between sending the welcome and the press;
a zone that is no zone is refused on the field and nothing changes."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from adapters.slack.app import SlackBot, make_client
from bot.commands import Actor
from bot.config import Settings
from bot.core import Rounds
from tests.adapters.slack.conftest import SECRET, Slack, community
from tests.fakes.slack_api import FakeSlackAPI, serve

CHICAGO = "U0CHICAGO"


async def _welcome(slack: Slack, user: str) -> dict[str, Any]:
    """The welcome as posted to the member's DM: its text and its buttons' values."""
    call = await slack.api.wait_for(
        "chat.postMessage",
        lambda c: (
            c.body["channel"] == FakeSlackAPI.dm_channel(user)
            and c.body.get("text") == "Welcome to Rounds"
        ),
    )
    blocks = call.body["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    values = [e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    return {"text": json.dumps(blocks), "buttons": values}


async def _zone(rounds: Rounds, user: str) -> str:
    shown = await rounds.run_line(Actor(community(), user), "/profile show")
    return str(shown.data["profile"]["timezone"])


@contextlib.asynccontextmanager
async def _restarted(slack: Slack) -> AsyncIterator[Slack]:
    """A new process: a new core and Slack app on the same database and Web API."""
    again = Rounds(
        slack.rounds.db,
        slack.rounds.content,
        clock=slack.rounds.clock,
        commands=slack.rounds.registry,
    )
    settings = Settings(
        SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack.api.url
    )
    bot = SlackBot(again, make_client(settings), SECRET)
    async with serve(bot.web_app("/slack/events")) as base:
        yield Slack(base + "/slack/events", slack.api, bot, again)
    await bot.close()


async def test_the_welcome_names_the_slack_profile_zone_and_its_button_changes_it(
    slack: Slack,
) -> None:
    slack.api.set_user(CHICAGO, tz="America/Chicago")
    await slack.command("/help", user=CHICAGO)
    welcome = await _welcome(slack, CHICAGO)
    assert "America/Chicago, from your Slack profile" in welcome["text"]
    assert welcome["buttons"] == ["profile edit", "profile zone"]

    async with _restarted(slack) as again:  # restarted between the welcome and the press
        since = again.mark()
        await again.press("profile zone", user=CHICAGO, channel_id=FakeSlackAPI.dm_channel(CHICAGO))
        view = await again.opened_view(since)
        assert view["title"]["text"] == "Your time zone"
        assert "America/Chicago" in json.dumps(view["blocks"])  # the zone in use, to edit
        refused = await again.submit(view, {"value": "Mars/Phobos"}, user=CHICAGO)
        assert refused["response_action"] == "errors"
        assert "not a time zone" in refused["errors"]["value"]
        assert await _zone(again.rounds, CHICAGO) == "America/Chicago"

        since = again.mark()
        assert await again.submit(view, {"value": "Europe/Berlin"}, user=CHICAGO) is None
        saved = await again.api.wait_for(
            "chat.postEphemeral",
            lambda c: again.api.calls().index(c) >= since and "Europe/Berlin" in json.dumps(c.body),
        )
        assert "Saved your time zone: Europe/Berlin" in json.dumps(saved.body)
        assert await _zone(again.rounds, CHICAGO) == "Europe/Berlin"


async def test_without_a_slack_zone_the_welcome_says_none_is_set(slack: Slack) -> None:
    slack.api.set_user("U0NOZONE", tz=None)
    await slack.command("/help", user="U0NOZONE")
    welcome = await _welcome(slack, "U0NOZONE")
    assert "not set yet, so your times are in UTC" in welcome["text"]
