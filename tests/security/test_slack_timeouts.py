"""Issue 15 #6: every Web API call has a timeout. A users.info that never answers
cannot leave a command unanswered, and a conversations.open that never answers
fails that one send (to be retried) instead of holding it for aiohttp's 300 s."""

from __future__ import annotations

import asyncio

import pytest

from bot.responses import Post, Response, Target
from bot.scheduling.outbox import DeliveryError
from tests.adapters.slack.conftest import Slack, community, loopback_only, slack, slack_api
from tests.fakes.slack_requests import USER_ID
from tests.security.slack_support import REMIND, reminders

__all__ = ["loopback_only", "slack", "slack_api"]
GENEROUS = 60  # seconds: far above any timeout of ours, far below aiohttp's default 300


async def test_a_hanging_users_info_leaves_no_command_unanswered(slack: Slack) -> None:
    slack.api.hang("users.info")
    async with asyncio.timeout(GENEROUS):
        await slack.answered(REMIND, "remind you")
    assert len(await reminders(slack.rounds)) == 1


async def test_a_hanging_conversations_open_fails_the_send_for_a_retry(slack: Slack) -> None:
    slack.api.hang("conversations.open")
    post = Post(Target(community(), member_id=USER_ID), Response(text="Your reminder"))
    with pytest.raises(DeliveryError) as failed:
        async with asyncio.timeout(GENEROUS):
            await slack.bot.deliverer.deliver(post)
    assert failed.value.retryable
    assert slack.api.calls("chat.postMessage") == []
