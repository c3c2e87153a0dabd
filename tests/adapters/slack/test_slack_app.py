"""The Slack adapter end to end: signed requests in Slack's formats to the real
Bolt app over HTTP, the Web API answered and recorded by a fake on 127.0.0.1."""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import func, select

from bot.commands import Actor
from bot.features.pitch.tables import pitch_reviews
from bot.storage.tables import members
from tests.adapters.slack.conftest import ADMIN, CHANNEL, SECRET, Slack, community
from tests.fakes.slack_requests import (
    USER_ID,
    post,
    post_signed,
    retry_headers,
    sign,
    slash_command,
)
from tests.long_text import COLD_EMAIL

REVIEWER = "U0REVIEWER"
PITCH = (
    "Hi, I'm Ana Silva, an MS4 at the University of Lisbon and a US citizen. I focus on "
    "interventional oncology, especially Y-90, and I'm writing up a TACE outcomes review. "
    "Could we talk for 15 minutes about research at your program? <!everyone> @here <@U1>"
)


def _texts(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks)


async def test_help_is_answered_in_the_ack(slack: Slack) -> None:
    body = await slack.command("/help")
    assert body["response_type"] == "ephemeral"
    shown = _texts(body["blocks"])
    assert "/profile" in shown
    # Slack keeps /remind: help names the command members can type here.
    assert "`/rounds-remind " in shown and "`/remind " not in shown
    assert slack.api.calls("chat.postEphemeral") == []  # nothing beyond the ack but the welcome
    assert all(c.body["text"] == "Welcome to Rounds" for c in slack.api.calls("chat.postMessage"))


async def test_profile_form_through_a_modal(slack: Slack) -> None:
    since = slack.mark()
    await slack.command("/profile edit")
    view = await slack.opened_view(since)
    assert view["title"]["text"] == "Your profile"
    assert await slack.submit(view, {"timezone": "Asia/Kolkata", "stage": "ms4"}) is None
    shown = await slack.rounds.run_line(Actor(community(), USER_ID), "/profile")
    assert (shown.data["profile"]["timezone"], shown.data["profile"]["stage"]) == (
        "Asia/Kolkata",
        "ms4",
    )


async def test_bad_form_answer_is_shown_on_the_field(slack: Slack) -> None:
    since = slack.mark()
    await slack.command("/profile edit")
    view = await slack.opened_view(since)
    answer = await slack.submit(view, {"timezone": "Mars/Phobos"})
    assert answer["response_action"] == "errors"
    assert "not a time zone" in answer["errors"]["timezone"]


async def test_pitch_submit_review_and_author_notified(slack: Slack) -> None:
    await slack.command("/admin set review-channel C0REVIEWS", user=ADMIN)
    body = await slack.command("/pitch-review submit " + PITCH)
    assert body["response_type"] == "ephemeral"  # the automatic feedback, author only
    posted = await slack.api.wait_for(
        "chat.postMessage", lambda c: c.body["channel"] == "C0REVIEWS"
    )
    blocks = posted.body["blocks"]
    shown = json.loads(_texts(blocks).replace("\\u200b", ""))  # drop the zero-width breaks
    raw = json.dumps(shown)
    assert "everyone" in raw and "<!everyone>" not in raw and "<@U1>" not in raw
    button = next(e for b in blocks if b["type"] == "actions" for e in b["elements"])
    since = slack.mark()
    await slack.press(button["value"], user=REVIEWER, channel_id="C0REVIEWS")
    view = await slack.opened_view(since)
    answers = {f["block_id"]: "4" for f in view["blocks"] if f["type"] == "input"}
    answers["comment"] = "Clear ask; name the program."
    assert await slack.submit(view, answers, user=REVIEWER) is None
    dm = await slack.api.wait_for(  # the first DMs are the two members' welcomes
        "chat.postMessage",
        lambda c: c.body["channel"].startswith("D") and "Welcome" not in c.body["text"],
    )
    assert dm.body["channel"] == slack.api.dm_channel(USER_ID)
    async with slack.rounds.db.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(pitch_reviews))).scalar() == 1


async def test_checkin_through_its_modal(slack: Slack) -> None:
    await slack.command("/group create crew monday 09:00 UTC")
    since = slack.mark()
    await slack.command("/checkin")
    view = await slack.opened_view(since)
    await slack.submit(view, {"win": "Sent two emails", "next": "Finish the abstract"})
    history = await slack.rounds.run_line(Actor(community(), USER_ID), "/checkin history")
    assert "Finish the abstract" in json.dumps(history.to_dict())


async def test_checkin_outside_a_group_is_answered_after_an_empty_ack(slack: Slack) -> None:
    """/checkin opens a modal, so the ack goes first and carries nothing; when the
    member has no group, the answer arrives as an ephemeral message instead."""
    body = await slack.command("/checkin")
    assert body in (None, "", {})
    said = await slack.api.wait_for("chat.postEphemeral", lambda c: c.body["user"] == USER_ID)
    assert "group" in json.dumps(said.body).lower()
    assert slack.api.calls("views.open") == []


async def test_an_expired_trigger_gets_a_button_that_opens_the_form(slack: Slack) -> None:
    """Under load the modal may miss Slack's 3-second trigger: the member gets a
    button instead of silence, and pressing it opens the form."""
    await slack.command("/group create crew monday 09:00 UTC")
    slack.api.fail_with("views.open", "expired_trigger_id")
    await slack.command("/checkin")
    said = await slack.api.wait_for("chat.postEphemeral", lambda c: "in time" in json.dumps(c.body))
    button = next(e for b in said.body["blocks"] if b["type"] == "actions" for e in b["elements"])
    since = slack.mark()
    await slack.press(button["value"])
    view = await slack.opened_view(since)
    assert "check-in" in json.dumps(view).lower()


async def test_mentor_signup_through_its_modal(slack: Slack) -> None:
    since = slack.mark()
    await slack.command("/mentor signup", user=ADMIN)
    view = await slack.opened_view(since)
    keys = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    answers = {
        "capacity": "2",
        "kinds": "career, research",
        "focus": "interventional-oncology",
        "stage": "attending",
    }
    reply = await slack.submit(view, {k: v for k, v in answers.items() if k in keys}, user=ADMIN)
    assert reply is None or reply.get("response_action") in ("update", None), reply
    profile = await slack.rounds.run_line(Actor(community(), ADMIN), "/mentor profile")
    assert not profile.error, profile.text


async def test_bad_signatures_are_rejected_and_change_nothing(slack: Slack) -> None:
    body = slash_command("/profile", "set timezone Asia/Tokyo")
    stale = int(time.time()) - 6 * 60
    for headers in ({}, sign(body, "wrong-secret"), sign(body, SECRET, timestamp=stale)):
        reply = await post(slack.url, body, headers)
        assert reply.status == 401
    async with slack.rounds.db.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(members))).scalar() == 0


async def test_a_retried_request_runs_once(slack: Slack) -> None:
    body = slash_command("/rounds-remind", "me in 2 days send the thank-you note")
    assert (await post_signed(slack.url, body, SECRET)).status == 200
    retry = await post(slack.url, body, {**sign(body, SECRET), **retry_headers()})
    assert retry.status == 200
    listed = await slack.rounds.run_line(Actor(community(), USER_ID), "/remind list")
    assert len(listed.fields) == 1 and "thank-you note" in listed.fields[0].value


async def test_rate_limited_post_is_retried(slack: Slack) -> None:
    await slack.command("/admin set review-channel C0REVIEWS", user=ADMIN)
    await slack.api.wait_for("chat.postMessage")  # the organiser's welcome, after the answer
    slack.api.rate_limit("chat.postMessage", times=1, retry_after=1)
    await slack.command("/pitch-review submit " + PITCH)
    await slack.api.wait_for(
        "chat.postMessage",
        lambda c: c.status == 200 and c.body["channel"] == "C0REVIEWS",
        timeout=6,
    )
    posts = slack.api.calls("chat.postMessage")  # the welcome DMs aside
    assert [c.status for c in posts if c.body["channel"] == "C0REVIEWS"] == [429, 200]


async def test_organiser_only_refused_for_a_member(slack: Slack) -> None:
    refused = await slack.command("/admin show")
    assert "for organisers" in _texts(refused["blocks"])
    allowed = await slack.command("/admin show", user=ADMIN)
    assert "Community settings" in _texts(allowed["blocks"])


async def test_long_text_is_split_within_slack_limits(slack: Slack) -> None:
    from adapters.slack.render import blocks
    from bot.responses import Response

    out = blocks(Response(text=("line of text\n" * 900)))
    sections = [b for b in out if b["type"] == "section"]
    assert len(sections) >= 4 and all(len(b["text"]["text"]) <= 3000 for b in sections)
    assert len(blocks(Response(text="x\n" * 200_000))) <= 50
    assert CHANNEL


async def test_escaped_text_reaches_the_core_as_the_member_typed_it(slack: Slack) -> None:
    """With should_escape Slack sends &, <, > as entities and links in brackets; the
    member's own characters are what gets stored."""
    await slack.command(
        "/rounds-remind me in 2 days prep Q&amp;A &lt;30 min&gt; from <https://sirweb.org|sirweb.org>"
    )
    listed = await slack.rounds.run_line(Actor(community(), USER_ID), "/remind list")
    assert "prep Q&A <30 min> from https://sirweb.org" in listed.fields[0].value


async def test_a_command_whose_text_says_payload_is_run(slack: Slack) -> None:
    """Bolt takes a form body with the word "payload" for a button's: the command
    still runs (real button presses, a `payload` field, are the other tests here)."""
    await slack.answered("/rounds-remind me in 2 days check the payload figures", "remind you")
    listed = await slack.rounds.run_line(Actor(community(), USER_ID), "/remind list")
    assert "check the payload figures" in listed.fields[0].value


async def test_a_six_line_cold_email_is_checked_through_a_form(slack: Slack) -> None:
    since = slack.mark()
    body = await slack.command("/pitch-review check")
    assert body is None or not body.get("text")  # the ack carries nothing; a modal opens
    view = await slack.opened_view(since)
    text_block = next(b for b in view["blocks"] if b.get("block_id") == "text")
    assert text_block["element"]["multiline"] is True
    since = slack.mark()
    assert await slack.submit(view, {"text": COLD_EMAIL}) is None
    reply = await slack.api.wait_for(
        "chat.postEphemeral", lambda c: slack.api.calls().index(c) >= since
    )
    shown = json.dumps(reply.body)
    assert "Email check" in shown and f"{len(COLD_EMAIL.split())} words" in shown
