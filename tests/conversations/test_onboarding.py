"""A member's first minute, and pack knowledge made visible (issue 18): the
first use in a community brings a welcome with the pack's summary, goals, three
first steps and a profile button; sign-up forms describe each mentor kind;
example commitments rotate through the whole list. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from bot.content import Content
from bot.core import Rounds
from bot.features.groups.content import CheckinSection
from bot.features.mentoring.content import MentoringSection
from bot.responses import Post, Response
from bot.scheduling.outbox import DmClosed
from tests.conversation import Conversation


@pytest.fixture
def any_chat(any_rounds: Rounds) -> Conversation:
    return Conversation(any_rounds, community="demo", organisers={"olivia"})


def _welcome(response: Response) -> Response | None:
    found = [p.message for p in response.also if "welcome" in p.message.data]
    assert len(found) <= 1
    return found[0] if found else None


async def test_the_first_use_in_a_community_brings_a_welcome(
    any_chat: Conversation, any_rounds: Rounds
) -> None:
    chat = any_chat
    await chat.ok("olivia", "/admin set pack urology")
    first = await chat.say("nia", "/help")
    welcome = _welcome(first)
    assert welcome is not None and welcome.dm
    assert first.also[-1].to.member_id == "nia"
    assert "one to three residents" in welcome.text  # the urology pack's summary
    assert "J-1 or H-1B" in welcome.text  # its goals
    assert len(welcome.data["welcome"]["steps"]) == 3
    assert all(step in welcome.text for step in welcome.data["welcome"]["steps"])
    assert [b.action for b in welcome.buttons] == ["profile edit", "profile zone"]
    assert "not set yet, so your times are in UTC" in welcome.text  # the console knows none
    assert _welcome(await chat.say("nia", "/help")) is None  # once per community
    other = Conversation(any_rounds, community="elsewhere")
    assert _welcome(await other.say("nia", "/help")) is not None


async def test_the_welcome_names_the_zone_and_where_it_came_from_with_a_button_to_change_it(
    chat: Conversation,
) -> None:
    welcome = _welcome(await chat.say("nia", "/help"))
    assert welcome is not None
    if chat.adapter == "slack":  # the driver's Slack profile says UTC
        assert "**Your time zone:** UTC, from your Slack profile" in welcome.text
    else:  # the console and Discord know no zone for a member
        assert "not set yet, so your times are in UTC, this community's default" in welcome.text
    change = next(b for b in welcome.buttons if b.label == "Change time zone")
    opened = await chat.say("nia", f"/{change.action}")
    assert opened.form is not None and [f.key for f in opened.form.fields] == ["value"]
    refused = await chat.fails("nia", f"/{change.action} value=Mars/Phobos")
    assert "not a time zone" in refused.text
    assert (await chat.ok("nia", "/profile show")).data["profile"]["timezone"] == "UTC"
    saved = await chat.ok("nia", f"/{change.action} value=Asia/Kolkata")
    assert "Saved your time zone: Asia/Kolkata" in saved.text
    assert (await chat.ok("nia", "/profile show")).data["profile"]["timezone"] == "Asia/Kolkata"


async def test_sign_up_forms_describe_each_mentor_kind(
    any_chat: Conversation, content: Content
) -> None:
    sec = content.packs["ir"].section("mentoring", MentoringSection)
    for role in ("mentee", "mentor"):
        opened = await any_chat.ok("amir", f"/{role} signup")
        assert opened.form is not None
        for kind in sec.kinds:
            assert kind.description in opened.form.intro
            assert kind.description in opened.text
        kinds = next(f for f in opened.form.fields if f.key == "kinds")
        assert "img-process" not in kinds.placeholder and "IMG process" in kinds.placeholder


async def test_example_commitments_rotate_through_the_whole_list(
    any_chat: Conversation, content: Content
) -> None:
    chat = any_chat
    await chat.ok("alice", "/group create crew mon 09:00 UTC")
    await chat.ok("bob", "/group join crew")
    seen: list[str] = []
    for week in ("2027-01-11", "2027-01-18", "2027-01-25", "2027-02-01"):
        delivered: list[dict[str, Any]] = await chat.at(f"{week}T09:00+00:00")
        (dm,) = [
            d
            for d in delivered
            if d["to"]["member"] == "alice"
            and d["message"]["data"].get("group_event", {}).get("kind") == "prompt"
        ]
        seen.append(dm["message"]["text"])
    examples = content.packs["ir"].section("checkin", CheckinSection).example_commitments
    assert all(any(e in text for text in seen) for e in examples)
    opened = await chat.ok("alice", "/checkin")
    assert opened.form is not None
    placeholder = next(f.placeholder for f in opened.form.fields if f.key == "next")
    assert placeholder in examples


class _RefusesDMs:
    """A platform on which the member has closed their direct messages."""

    async def deliver(self, post: Post) -> None:
        if post.to.member_id is not None:
            raise DmClosed("the member's DMs are closed")


@pytest.mark.gap(
    "console", reason="the console has no direct messages to close: it prints every post"
)
async def test_a_welcome_closed_dms_refuse_leaves_the_answer_true(chat: Conversation) -> None:
    chat.stand_in(_RefusesDMs())
    done = await chat.ok("nia", "/remind me in 1 hour pay the exam fee")
    assert "pay the exam fee" in done.text
    refused = await chat.fails("nia", "/privacy export")  # this answer is about the DM
    assert "closed to me" in refused.text
