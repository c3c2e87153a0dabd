"""Issue 15 #9, Slack parts: malformed unsigned requests are refused (4xx, no
traceback) before anything parses them; odd but signed payloads (team null, a
private_metadata that is not ours, no user_id) get a clear answer, not a 500; the
same signed request three times runs once; a Slack Connect member from another
organisation acts in the workspace the app is installed in; organiser-role may name
a Slack user group."""

from __future__ import annotations

import logging

import pytest

from adapters.slack.render import FORM_CALLBACK
from bot.storage.tables import communities
from tests.adapters.slack.conftest import (
    ADMIN,
    SECRET,
    Slack,
    community,
    loopback_only,
    slack,
    slack_api,
)
from tests.fakes.slack_requests import (
    USER_ID,
    block_action,
    post,
    post_signed,
    slash_command,
    view_submission,
)
from tests.security.slack_support import REMIND, reminders, reshaped, rows, said, without

__all__ = ["loopback_only", "slack", "slack_api"]
STALE = {"X-Slack-Request-Timestamp": "1700000000", "X-Slack-Signature": "v0=" + "0" * 64}


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b"command=%2Fhelp&text=\xff\xfe\xfa", STALE),  # not UTF-8
        (b"payload=%7Bnot+json", STALE),  # a payload that is no JSON
        (b"command=%2Fhelp", {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=1"}),
        (b"payload=%7Bnot+json", {}),
    ],
)
async def test_malformed_unsigned_requests_are_refused_without_a_traceback(
    slack: Slack, caplog: pytest.LogCaptureFixture, body: bytes, headers: dict[str, str]
) -> None:
    with caplog.at_level(logging.WARNING):
        reply = await post(slack.url, body, headers)
    assert 400 <= reply.status < 500
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert await rows(slack.rounds, communities.c.id) == []


async def test_a_signed_payload_that_is_no_json_is_refused(slack: Slack) -> None:
    reply = await post_signed(slack.url, b"payload=%5B1%2C2", SECRET)
    assert reply.status == 400


async def test_an_org_wide_payload_with_team_null_is_answered(slack: Slack) -> None:
    pressed = reshaped(block_action("rounds:0", "remind list"), team=None)
    assert (await post_signed(slack.url, pressed, SECRET)).status == 200
    answer = await slack.api.wait_for("chat.postEphemeral", lambda c: c.body["user"] == USER_ID)
    assert "reminders" in said(answer.body).lower()
    assert await rows(slack.rounds, communities.c.id) == [community()]


async def test_a_form_whose_private_metadata_is_not_ours_gets_a_clear_answer(
    slack: Slack,
) -> None:
    for meta in ("not json", "[1, 2]", '{"submit": 7}'):
        body = view_submission(FORM_CALLBACK, {}, private_metadata=meta)
        reply = await post_signed(slack.url, body, SECRET)
        assert reply.status == 200
        assert reply.json()["response_action"] == "update"
        assert "out of date" in said(reply.json())


async def test_a_command_without_user_id_gets_a_clear_answer(slack: Slack) -> None:
    reply = await post_signed(slack.url, without(slash_command("/help"), "user_id"), SECRET)
    assert reply.status == 200
    assert "did not say who" in said(reply.json())
    assert await rows(slack.rounds, communities.c.id) == []


async def test_the_same_signed_request_three_times_runs_once(slack: Slack) -> None:
    body = slash_command("/rounds-remind", REMIND.partition(" ")[2])
    replies = [await post_signed(slack.url, body, SECRET) for _ in range(3)]
    assert [r.status for r in replies] == [200, 200, 200]
    if "remind you" not in replies[0].text:  # a slow moment: answered after the ack
        await slack.api.wait_for("chat.postEphemeral", lambda c: "remind you" in said(c.body))
    assert len(await reminders(slack.rounds)) == 1


async def test_a_slack_connect_member_acts_in_the_installed_workspace(slack: Slack) -> None:
    await slack.answered(REMIND, "remind you", user="W0EXTERNAL", team_id="T0OTHERORG")
    assert await rows(slack.rounds, communities.c.id) == [community()]  # no ghost community
    assert len(await reminders(slack.rounds, "W0EXTERNAL")) == 1


async def test_organiser_role_names_a_slack_user_group(slack: Slack) -> None:
    slack.api.set_usergroup("S0ORGANISERS", ["U0CAROL"])
    role = "<!subteam^S0ORGANISERS|@organisers>"
    await slack.answered(f"/admin set organiser-role {role}", "Saved", user=ADMIN)
    await slack.answered("/admin show", "Community settings", user="U0CAROL")
    await slack.answered("/admin show", "for organisers", user="U0DAVE")
