"""The core's delivery rules on Slack too (bot.delivery): a DM Slack refuses
leaves at most the content-free notice in the community's channel, mentioning
only that member; the private text is never posted."""

from __future__ import annotations

import json

import pytest

from bot.commands import Actor
from bot.responses import Post, Response, Target
from bot.scheduling.outbox import DeliveryError
from tests.adapters.slack.conftest import ADMIN, Slack, community, slack

__all__ = ["slack"]
SECRET = "visa interview anxiety"


async def test_a_refused_dm_leaves_only_the_notice(slack: Slack) -> None:
    admin = Actor(community(), ADMIN, "admin", True)
    done = await slack.rounds.run_line(admin, "/admin set groups-channel C0GROUPS")
    assert not done.error, done.text
    slack.api.fail_dm("U0SHY")
    mark = slack.mark()
    with pytest.raises(DeliveryError):
        await slack.rounds.outbox.deliver(
            Post(Target(community(), member_id="U0SHY"), Response(text=SECRET, dm=True))
        )
    posts = [c for c in slack.api.calls()[mark:] if c.method == "chat.postMessage"]
    assert len(posts) == 1 and posts[0].body["channel"] == "C0GROUPS"
    notice = slack.rounds.content.msg("dm_closed_notice")
    assert posts[0].body["text"] == f"<@U0SHY> {notice}"
    assert SECRET not in json.dumps(posts[0].body)
