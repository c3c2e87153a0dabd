"""A form whose submission answers with the next form keeps the core's promise on
Slack: the modal turns into the next form at once (the 3 s ack), the posts it
speaks of are sent as every answer's are (bot.core.with_posts), and when the
member's DM could not be sent (closed, channel_not_found) the modal is updated
to say so (and nothing is posted in public for them), or, closed meanwhile, a
reply does; a 429 retried to success changes nothing."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bot.core import Rounds
from tests.adapters.plan import with_plan
from tests.adapters.slack.conftest import ADMIN, Slack, running
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import USER_ID


@pytest.fixture
async def planner(rounds: Rounds, slack_api: FakeSlackAPI) -> AsyncIterator[Slack]:
    planned = Rounds(rounds.db, rounds.content, clock=rounds.clock, commands=with_plan())
    async with running(planned, slack_api) as app:
        yield app


async def _first_step(slack: Slack, fault: Callable[[], None] = lambda: None) -> tuple[Any, int]:
    """Open the plan and submit its first step with `fault` in place: the ack, and
    the calls made before it."""
    await slack.command("/help")  # the welcome goes out before the test's fault
    await slack.bot.settle()
    fault()
    since = slack.mark()
    await slack.command("/plan")
    view = await slack.opened_view(since)
    since = slack.mark()
    ack = await slack.submit(view, {"goal": "email Dr Rao"})
    await slack.bot.settle()
    return ack, since


def _updates(slack: Slack, since: int) -> list[str]:
    """What each views.update since `since` showed, as text."""
    return [json.dumps(c.body) for c in slack.api.calls()[since:] if c.method == "views.update"]


def _copies(slack: Slack, since: int) -> list[Any]:
    dm = FakeSlackAPI.dm_channel(USER_ID)
    return [
        c
        for c in slack.api.calls()[since:]
        if c.method == "chat.postMessage" and c.body["channel"] == dm
    ]


def _next_form(ack: Any) -> None:
    assert ack["response_action"] == "update"
    assert "First steps" in json.dumps(ack["view"])


async def test_the_next_form_shows_at_once_and_its_dm_goes_out(planner: Slack) -> None:
    ack, since = await _first_step(planner)
    _next_form(ack)
    assert ["email Dr Rao" in json.dumps(c.body) for c in _copies(planner, since)] == [True]
    assert _updates(planner, since) == []  # the modal's text was true


async def test_a_retried_rate_limit_changes_nothing(planner: Slack) -> None:
    ack, since = await _first_step(
        planner, lambda: planner.api.rate_limit("chat.postMessage", times=1, retry_after=0)
    )
    _next_form(ack)
    assert len(_copies(planner, since)) == 2  # refused once, then sent
    assert _updates(planner, since) == []


@pytest.mark.parametrize(
    "fault, said",
    [
        ("closed", "they are closed to me"),
        ("channel_not_found", "nothing was sent"),
    ],
)
async def test_a_dm_that_failed_turns_the_modal_into_the_truth(
    planner: Slack, fault: str, said: str
) -> None:
    await planner.command("/admin set groups-channel C0GROUPS", user=ADMIN)
    await planner.command("/help")
    await planner.bot.settle()
    if fault == "closed":
        planner.api.fail_dm(USER_ID)
    else:
        planner.api.fail_with("chat.postMessage", fault)
    since = planner.mark()
    await planner.command("/plan")
    view = await planner.opened_view(since)
    since = planner.mark()
    ack = await planner.submit(view, {"goal": "email Dr Rao"})
    _next_form(ack)  # acked with the next form first, within Slack's 3 s
    await planner.bot.settle()
    [update] = _updates(planner, since)
    assert said in update and "V0MODAL" in update and "First steps" not in update
    # the member reads the truth in the modal: no "open your DMs" notice in public
    public = [c for c in planner.api.calls()[since:] if c.body.get("channel") == "C0GROUPS"]
    assert public == []


async def test_a_modal_closed_meanwhile_gets_the_truth_as_a_reply(planner: Slack) -> None:
    await planner.command("/help")
    await planner.bot.settle()
    planner.api.fail_dm(USER_ID)
    planner.api.fail_with("views.update", "not_found")
    since = planner.mark()
    await planner.command("/plan")
    view = await planner.opened_view(since)
    since = planner.mark()
    _next_form(await planner.submit(view, {"goal": "email Dr Rao"}))
    await planner.bot.settle()
    replies = [c for c in planner.api.calls()[since:] if c.method == "chat.postEphemeral"]
    assert any("they are closed to me" in json.dumps(c.body) for c in replies)
