"""Check-ins keep their promises (issue 18): a check-in belongs to the week whose
prompt it answers, the form says which week that is, and a blocker a member
asks help with reaches their group and the organisers. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.core import Rounds
from tests.conversation import Conversation

NEXT = 'next="Email two IR faculty"'


@pytest.fixture
def any_chat(any_rounds: Rounds) -> Conversation:
    return Conversation(any_rounds, community="demo", organisers={"olivia"})


def _event(deliveries: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [
        d for d in deliveries if d["message"]["data"].get("group_event", {}).get("kind") == kind
    ]


async def _crew(chat: Conversation) -> None:
    await chat.ok("olivia", "/admin organiser add @olivia")
    await chat.ok("olivia", "/admin set groups-channel peers")
    await chat.ok("alice", "/group create crew mon 19:00 UTC")
    await chat.ok("bob", "/group join crew")
    await chat.ok("carol", "/group join crew")


async def test_a_checkin_before_monday_prompt_counts_for_the_new_week(
    any_chat: Conversation,
) -> None:
    chat = any_chat
    await _crew(chat)
    await chat.at("2027-01-04T19:30+00:00")  # the week of 4 Jan: prompt at 19:00
    await chat.ok("alice", f"/checkin {NEXT}")
    first = await chat.at("2027-01-06T21:00+00:00")  # its deadline and digest
    (digest,) = _event(first, "digest")
    assert digest["message"]["data"]["group_event"]["missing"] == ["bob", "carol"]

    # Monday 11 Jan, before that week's 19:00 prompt: the old week is closed,
    # so the check-in is for the new week, and the form says so.
    await chat.at("2027-01-11T10:00+00:00")
    form = await chat.ok("alice", "/checkin")
    assert form.data["checkin_form"]["week"] == "2027-01-11"
    assert "week of 11 Jan 2027" in form.text
    saved = await chat.ok("alice", '/checkin s1=done next="Finish the abstract draft"')
    assert saved.data["checkin"]["week"] == "2027-01-11"
    assert saved.data["checkin"]["revision"] == 1  # not an update of the closed week
    assert saved.data["checkin"]["streak"] == 2

    # The prompt goes only to those who have not answered; the digest counts Alice.
    prompts = _event(await chat.at("2027-01-11T19:00+00:00"), "prompt")
    assert [d["to"]["member"] for d in prompts] == [None, "bob", "carol"]  # channel, then DMs
    shown = await chat.ok("bob", "/group")
    assert shown.data["week"]["marks"]["alice"] == "checked"
    (second,) = _event(await chat.at("2027-01-13T21:00+00:00"), "digest")
    week = second["message"]["data"]["group_event"]
    assert week["week"] == "2027-01-11"
    assert week["checked_in"] == ["alice"] and "alice" not in week["missing"]
    assert week["streaks"]["alice"] == 2
    history = (await chat.ok("alice", "/checkin history")).data["history"]
    assert [(w["week"], w["mark"]) for w in history["weeks"][:2]] == [
        ("2027-01-11", "checked"),
        ("2027-01-04", "checked"),
    ]


class TestFromTuesdayFirstDecember:
    @pytest.fixture
    def clock(self) -> FakeClock:
        """Tuesday 1 December 2026, 10:00 UTC: a group made today prompts next Monday."""
        return FakeClock(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))

    async def test_an_early_checkin_form_names_its_week_and_words_fit(
        self, any_chat: Conversation
    ) -> None:
        chat = any_chat
        await _crew(chat)
        opened = await chat.ok("alice", "/checkin")
        assert opened.form is not None
        labels = {f.key: f.label for f in opened.form.fields}
        assert "this week" not in labels["win"].lower()  # the week of 7 Dec has not begun
        assert "7 Dec" in labels["next"]
        assert "coming week" in opened.text and "week of 7 Dec 2026" in opened.text
        assert "Mon 7 Dec 19:00" in opened.text  # when that week's prompt goes out
        assert (
            opened.data["checkin_form"] | {"week": "2026-12-07", "early": True}
            == (opened.data["checkin_form"])
        )
        saved = await chat.ok("alice", f'/checkin win="A reply from Dr Lee" {NEXT}')
        assert saved.data["checkin"]["week"] == "2026-12-07"
        assert "week of 7 Dec 2026" in saved.text


async def test_a_blocker_asking_for_help_reaches_the_group_and_organisers(
    any_chat: Conversation,
) -> None:
    chat = any_chat
    await _crew(chat)
    await chat.at("2027-01-04T19:30+00:00")
    saved = await chat.ok("alice", f'/checkin blocker="Burned out" {NEXT}')
    assert [b.action for b in saved.buttons] == ["checkin help"]
    await chat.ok("carol", f'/checkin blocker="Waiting on my IRB answer" {NEXT}')  # no help asked
    assert "no blocker" in (await chat.fails("bob", "/checkin help")).text.lower()

    asked = await chat.ok("alice", "/checkin help")
    (post,) = asked.also
    assert post.to.channel_id == "peers"
    assert "Burned out" in post.message.text
    assert [b.action for b in post.message.buttons] == ["checkin offer alice 2027-01-04"]

    offered = await chat.ok("bob", "/checkin offer alice 2027-01-04")
    (dm,) = offered.also
    assert dm.to.member_id == "alice" and "bob" in dm.message.text
    await chat.fails("alice", "/checkin offer alice 2027-01-04")  # one's own request
    await chat.fails("zed", "/checkin offer alice 2027-01-04")  # not in the group
    await chat.fails("bob", "/checkin offer carol 2027-01-04")  # Carol asked nobody

    (digest,) = _event(await chat.at("2027-01-06T21:00+00:00"), "digest")
    message = digest["message"]
    assert message["data"]["group_event"]["help"] == ["alice"]
    assert "Burned out" in message["text"]
    assert "IRB" not in message["text"]  # Carol's blocker was not offered to the digest
    assert [b["action"] for b in message["buttons"]] == ["checkin offer alice 2027-01-04"]

    delivered = await chat.at("2027-01-07T12:00+00:00")
    (report,) = [d for d in delivered if "group_report" in d["message"]["data"]]
    assert report["to"]["member"] == "olivia"
    assert report["message"]["data"]["group_report"]["help"] == {"crew": ["alice"]}
    assert "Burned out" in report["message"]["text"] and "IRB" not in report["message"]["text"]

    await chat.at("2027-01-11T19:30+00:00")
    await chat.ok("alice", f'/checkin s1=done blocker="Still tired" {NEXT}')
    await chat.ok("alice", "/checkin help")
    withdrawn = await chat.ok("alice", "/checkin help off")
    assert withdrawn.data["help"]["wants_help"] is False
    (quiet,) = _event(await chat.at("2027-01-13T21:00+00:00"), "digest")
    assert quiet["message"]["data"]["group_event"]["help"] == []
