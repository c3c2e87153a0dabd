"""Slash commands over HTTP skip Bolt's dispatch once Bolt has authorised one request
(its auth.test names the installed workspace): the same checks before them and the
same answers after. Anything else (buttons, forms, ssl_check) still goes through Bolt."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest

from adapters.slack.http import _slash_command
from adapters.slack.render import ack_body, blocks, fallback_text, mrkdwn
from bot.registry import Registry
from bot.responses import Button, Field, Response
from bot.storage.tables import communities
from tests.adapters.slack.conftest import ADMIN, SECRET, Slack, community
from tests.fakes.slack_requests import FORM, post, post_signed, retry_headers, sign, slash_command
from tests.security.slack_support import REMIND, reminders, rows, said


@pytest.fixture
def dispatched(slack: Slack, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The requests Bolt's dispatch ran."""
    seen: list[Any] = []
    bolt = slack.bot.app.async_dispatch

    async def counted(request: Any) -> Any:
        seen.append(request)
        return await bolt(request)

    monkeypatch.setattr(slack.bot.app, "async_dispatch", counted)
    return seen


async def test_after_bolt_authorised_once_help_skips_it_and_acks_the_same(
    slack: Slack, dispatched: list[Any]
) -> None:
    first = await slack.command("/help")
    again = await slack.command("/help")
    assert again == first and "/profile" in said(again)
    assert len(dispatched) == 1 and len(slack.api.calls("auth.test")) == 1


async def test_signatures_retries_and_organisers_are_checked_on_the_direct_path(
    slack: Slack, dispatched: list[Any]
) -> None:
    await slack.command("/help")
    body = slash_command("/rounds-remind", REMIND.partition(" ")[2])
    stale = int(time.time()) - 6 * 60
    for headers in ({}, sign(body, "wrong-secret"), sign(body, SECRET, timestamp=stale)):
        assert (await post(slack.url, body, headers)).status == 401
    assert await reminders(slack.rounds) == []
    first = await post(slack.url, body, sign(body, SECRET))
    retried = await post(slack.url, body, {**sign(body, SECRET), **retry_headers()})
    assert first.status == retried.status == 200 and retried.text == ""
    assert len(await reminders(slack.rounds)) == 1
    assert "for organisers" in said(await slack.command("/admin show"))
    assert "Community settings" in said(await slack.command("/admin show", user=ADMIN))
    assert len(dispatched) == 1


async def test_a_slack_connect_member_on_the_direct_path_acts_in_the_installed_workspace(
    slack: Slack, dispatched: list[Any]
) -> None:
    await slack.command("/help")
    await slack.answered(REMIND, "remind you", user="W0EXTERNAL", team_id="T0OTHERORG")
    assert await rows(slack.rounds, communities.c.id) == [community()]
    assert len(await reminders(slack.rounds, "W0EXTERNAL")) == 1
    assert len(dispatched) == 1


async def test_a_command_whose_text_says_payload_is_run(slack: Slack) -> None:
    """Bolt reads any form body containing "payload" as an interactivity payload."""
    await slack.command("/help")
    await slack.answered("/rounds-remind me in 2 days check the payload", "remind you")
    assert len(await reminders(slack.rounds)) == 1


async def test_ssl_check_still_goes_to_bolt(slack: Slack, dispatched: list[Any]) -> None:
    await slack.command("/help")
    reply = await post_signed(slack.url, b"ssl_check=1&token=legacy", SECRET)
    assert (reply.status, reply.text) == (200, "")
    assert len(dispatched) == 2


@pytest.mark.parametrize(
    "body",
    [
        slash_command("/help", "a+b=c & 100% <@U1|bob> “quoted”").decode(),
        "command=%2Fhelp&text=&&user_id=U1&flag&text=twice&plus=1%2B1+2",
        "command=/help&text=caf%C3%A9%20au%20lait",
    ],
)
def test_command_fields_are_read_as_parse_qsl_reads_them(body: str) -> None:
    assert _slash_command(body, FORM) == dict(parse_qsl(body, keep_blank_values=True))


@pytest.mark.parametrize(
    "body",
    [
        urlencode({"payload": '{"type":"block_actions"}'}),
        "ssl_check=1&token=legacy",
        "command=%2Fhelp&ssl_check=1",
        "text=hello",
        '{"command": "/help"}',
    ],
)
def test_anything_but_a_slash_command_is_left_to_bolt(body: str) -> None:
    assert _slash_command(body, FORM) is None
    assert _slash_command("command=%2Fhelp", "application/json") is None


async def _noop(*_: object) -> Response:
    return Response()


def test_the_help_listing_follows_new_subcommands() -> None:
    reg = Registry()
    reg.command("alpha", "a")
    reg.sub("alpha", "one", "one")(_noop)
    assert [(c.name, [s.name for s in subs]) for c, subs in reg.runnable(False).commands] == [
        ("alpha", ["one"])
    ]
    assert reg.runnable(False) is reg.runnable(False)  # worked out once
    reg.sub("alpha", "two", "two", organiser_only=True)(_noop)
    reg.command("beta", "b")
    reg.sub("beta", "hidden", "h", hidden=True)(_noop)
    listed = {c.name: [s.name for s in subs] for c, subs in reg.runnable(True).commands}
    assert listed == {"alpha": ["one", "two"]}
    assert [[s.name for s in subs] for _, subs in reg.runnable(False).commands] == [["one"]]


@pytest.mark.parametrize(
    "response",
    [
        Response(title="Help", text="**Hi** <@U1>", fields=(Field("a", "`/remind list`"),)),
        Response(text="in public", ephemeral=False, buttons=(Button("Go", "help"),)),
        Response(),
    ],
)
def test_an_ack_body_is_what_bolt_acks_for_the_message(response: Response) -> None:
    want = {
        "text": fallback_text(response),
        "response_type": "ephemeral" if response.ephemeral else "in_channel",
    }
    if blocks(response):
        want["blocks"] = blocks(response)
    assert json.loads(ack_body(response)) == want
    assert ack_body(response) is ack_body(response)  # rendered once


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("`/remind list`", "`/rounds-remind list`"),
        (
            "/remind me\n(/remind: x) /remind",
            "/rounds-remind me\n(/rounds-remind: x) /rounds-remind",
        ),
        ("a/remind /reminder /remindx `/help`", "a/remind /reminder /remindx `/help`"),
        ("**bold** & <b>", "*bold* &amp; &lt;b&gt;"),
    ],
)
def test_mrkdwn_names_the_commands_members_type_here(text: str, shown: str) -> None:
    assert mrkdwn(text) == shown
