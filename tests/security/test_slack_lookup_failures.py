"""Issue 15 #7 and issue 16's Slack bullet: users.info failing (no user in the
answer, a refused connection, a 5xx, a 429 with Retry-After) never fails or delays
a command: it is acknowledged with its answer before Slack's 3-second deadline, a
retry of it stores nothing twice, and the organiser check falls back to the last
known answer or to "not an organiser", logging the error type."""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.adapters.slack.conftest import ADMIN, SECRET, Slack, loopback_only, slack, slack_api
from tests.fakes.slack_requests import post, retry_headers, sign, slash_command
from tests.security.slack_support import REMIND, reminders, said

__all__ = ["loopback_only", "slack", "slack_api"]
SLACK_DEADLINE = 3.0  # seconds Slack waits for the ack before showing the member an error


def _break(slack: Slack, fault: str) -> None:
    if fault == "no user":
        slack.api.inject("users.info", body={"ok": True}, times=None)
    elif fault == "server error":
        slack.api.server_error("users.info", times=10)
    elif fault == "rate limited":
        slack.api.rate_limit("users.info", times=10, retry_after=4)
    elif fault == "refused":
        slack.bot.client.base_url = "http://127.0.0.1:1/api/"  # nothing listens there


@pytest.mark.parametrize("fault", ["no user", "server error", "rate limited", "refused"])
async def test_a_failing_users_info_never_fails_or_delays_the_command(
    slack: Slack, fault: str
) -> None:
    await slack.command("/help", user="U0FIRST")  # Bolt's auth.test is done and cached
    _break(slack, fault)
    body = slash_command("/rounds-remind", REMIND.partition(" ")[2])
    async with asyncio.timeout(SLACK_DEADLINE):
        reply = await post(slack.url, body, sign(body, SECRET))
    assert reply.status == 200  # acknowledged in time: Slack shows the member no error
    if "remind you" not in said(reply.json()):  # a slow moment: "working on it", then the answer
        await slack.api.wait_for("chat.postEphemeral", lambda c: "remind you" in said(c.body))
    again = await post(slack.url, body, {**sign(body, SECRET), **retry_headers()})
    assert again.status == 200
    assert len(await reminders(slack.rounds)) == 1


async def test_the_organiser_check_falls_back_and_logs_the_error_type(
    slack: Slack, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    await slack.answered("/admin show", "Community settings", user=ADMIN)
    monkeypatch.setattr("adapters.slack.people.FRESH_FOR", 0.0)  # every command looks again
    slack.api.hang("users.info")
    slack.api.set_user("U0NEWADMIN", is_admin=True)
    with caplog.at_level(logging.WARNING):
        # the last known answer; then a member never seen: not an organiser, and answered
        await slack.answered("/admin show", "Community settings", user=ADMIN)
        await slack.answered("/admin show", "for organisers", user="U0NEWADMIN")
    assert "TimeoutError" in caplog.text
