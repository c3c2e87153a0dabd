"""Issue 17's "seen on main" times, as a member in America/New_York types them on
Thursday at 10:00, and the proof that /remind, /remind snooze, /letters,
/conference add and /group set share one time language."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.timelang import grammar
from tests.conversation import Conversation

THURSDAY_10AM = "2027-03-11T15:00+00:00"  # 10:00 in New York
NY = ZoneInfo("America/New_York")


def _local(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(NY).strftime("%a %Y-%m-%d %H:%M")


async def _member_in_new_york(chat: Conversation) -> None:
    await chat.at(THURSDAY_10AM)
    await chat.ok("alice", "/profile set timezone America/New_York")


@pytest.mark.parametrize(
    "line, due, text",
    [
        ("tomorrow at 9 email Dr Rao", "Fri 2027-03-12 09:00", "email Dr Rao"),
        ("tomorrow at 21 email Dr Rao", "Fri 2027-03-12 21:00", "email Dr Rao"),
        ("at 9 call Dr Okafor", "Thu 2027-03-11 21:00", "call Dr Okafor"),
        ("at 5 check the portal", "Thu 2027-03-11 17:00", "check the portal"),
        ("tonight at 8 draft the thank-you", "Thu 2027-03-11 20:00", "draft the thank-you"),
        ("next tuesday at 8 send email", "Tue 2027-03-16 08:00", "send email"),
        ("end of month tally contacts", "Wed 2027-03-31 17:00", "tally contacts"),
    ],
)
async def test_seen_on_main_reminder_times_are_read_as_meant(
    chat: Conversation, line: str, due: str, text: str
) -> None:
    await _member_in_new_york(chat)
    made = (await chat.ok("alice", f"/remind me {line}")).data["reminder"]
    assert (_local(made["due"]), made["text"]) == (due, text)


async def test_every_stored_time_is_echoed_with_weekday_zone_and_a_change_button(
    chat: Conversation,
) -> None:
    await _member_in_new_york(chat)
    made = await chat.ok("alice", "/remind me tomorrow at 9 email Dr Rao")
    assert "Fri 12 Mar 2027, 09:00 EST (America/New_York)" in made.text
    change = next(b for b in made.buttons if b.label == "Change")
    form = await chat.say("alice", f"/{change.action}")
    assert form.form is not None and form.form.fields[0].key == "when"
    moved = await chat.ok("alice", f'/{change.action} when="monday morning"')
    assert _local(moved.data["due"]) == "Mon 2027-03-15 09:00"
    listed = (await chat.ok("alice", "/remind list")).data["reminders"]
    assert [(_local(r["due"]), r["text"]) for r in listed] == [
        ("Mon 2027-03-15 09:00", "email Dr Rao")
    ]


async def test_a_time_in_another_zone_is_echoed_in_both(chat: Conversation) -> None:
    await _member_in_new_york(chat)
    made = await chat.ok("alice", "/remind me tomorrow at 9am London time call Dr Okafor")
    assert _local(made.data["reminder"]["due"]) == "Fri 2027-03-12 04:00"
    assert "that is Fri 12 Mar 2027, 09:00 GMT (Europe/London)" in made.text


async def test_letters_sept_15_keeps_its_note_and_asks_first_when_far(chat: Conversation) -> None:
    await _member_in_new_york(chat)
    asked = await chat.ok("alice", "/letters request Dr Sam Lee Sept 15 ERAS")
    assert "more than six months away" in asked.text
    assert (await chat.ok("alice", "/letters list")).data["letters"] == []  # nothing yet
    (yes,) = asked.buttons
    assert yes.label == "Wed 15 Sep 2027"
    stored = (await chat.ok("alice", f"/{yes.action}")).data["letter"]
    assert (stored["writer"], stored["deadline"]) == ("Dr Sam Lee", "2027-09-15")
    letters = (await chat.ok("alice", "/letters list")).data["letters"]
    assert [(x["writer"], x["deadline"]) for x in letters] == [("Dr Sam Lee", "2027-09-15")]
    listed = await chat.ok("alice", "/letters list")
    assert "ERAS" in listed.fields[0].value


async def test_a_numeric_date_with_one_real_reading_is_accepted(chat: Conversation) -> None:
    await _member_in_new_york(chat)
    stored = (await chat.ok("alice", "/letters request Dr Rao 09/15/2027 ERAS")).data["letter"]
    assert (stored["writer"], stored["deadline"]) == ("Dr Rao", "2027-09-15")


async def test_a_truly_ambiguous_date_is_a_choice_of_two_buttons(chat: Conversation) -> None:
    await _member_in_new_york(chat)
    asked = await chat.ok("alice", "/remind me 04/05 renew the visa")
    assert "two ways" in asked.text
    assert [b.label for b in asked.buttons] == [
        "Mon 05 Apr 2027, 09:00 EDT (America/New_York)",
        "Tue 04 May 2027, 09:00 EDT (America/New_York)",
    ]
    assert (await chat.ok("alice", "/remind list")).data["reminders"] == []
    made = (await chat.ok("alice", f"/{asked.buttons[1].action}")).data["reminder"]
    assert (_local(made["due"]), made["text"]) == ("Tue 2027-05-04 09:00", "renew the visa")


@pytest.mark.parametrize(
    "line, says",
    [
        ("/remind me yesterday at 9am x", "already passed"),
        ("/remind me tonight at 8am x", "already passed"),
        ("/remind me sometime soon x", "couldn't read a time"),
        ("/remind me Feb 30 x", "not a real date"),
        ("/remind snooze 1 whenever", "couldn't read 'whenever' as a snooze"),
        ("/letters request Dr Lee 2026-03-01", "has passed"),
        ("/letters request Dr Lee someday", "When is the letter due"),
    ],
)
async def test_unreadable_or_past_times_get_one_message_and_store_nothing(
    chat: Conversation, line: str, says: str
) -> None:
    await _member_in_new_york(chat)
    await chat.ok("alice", "/remind me in 3 days x")
    before = (await chat.ok("alice", "/remind list")).data
    refused = await chat.fails("alice", line)
    assert says in refused.text and refused.text.count("\n") == 0
    assert (await chat.ok("alice", "/remind list")).data == before
    assert (await chat.ok("alice", "/letters list")).data["letters"] == []


# ------------------------------------------------ one time language, every command


@pytest.fixture
def phrases_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the time language's grammar is asked to read."""
    seen: list[str] = []
    real = grammar.read

    def spy(text: str) -> Any:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(grammar, "read", spy)
    return seen


def _read(seen: list[str], phrase: str) -> bool:
    return any(phrase in text for text in seen)


async def test_remind_uses_the_time_language(chat: Conversation, phrases_read: list[str]) -> None:
    await _member_in_new_york(chat)
    await chat.ok("alice", "/remind me end of month tally contacts")
    assert _read(phrases_read, "end of month")


async def test_snooze_uses_the_time_language(chat: Conversation, phrases_read: list[str]) -> None:
    await _member_in_new_york(chat)
    await chat.ok("alice", "/remind me in 3 days x")
    snoozed = await chat.ok("alice", "/remind snooze 1 monday morning")
    assert _local(snoozed.data["due"]) == "Mon 2027-03-15 09:00"
    assert _read(phrases_read, "monday morning")
    assert "two ways" in (await chat.ok("alice", "/remind snooze 1 04/05")).text


async def test_letters_use_the_time_language(chat: Conversation, phrases_read: list[str]) -> None:
    await _member_in_new_york(chat)
    stored = await chat.ok("alice", "/letters request Dr Rao end of next month ERAS")
    assert stored.data["letter"]["deadline"] == "2027-04-30"
    assert _read(phrases_read, "end of next month")


async def test_conference_add_uses_the_time_language(
    chat: Conversation, phrases_read: list[str]
) -> None:
    await _member_in_new_york(chat)
    made = await chat.ok("olivia", "/conference add SIR 2027 March 20 2027 to March 24 2027 Boston")
    conf = made.data["conference"]
    assert (conf["name"], conf["start"], conf["end"], conf["city"]) == (
        "SIR 2027",
        "2027-03-20",
        "2027-03-24",
        "Boston",
    )
    assert _read(phrases_read, "March 20 2027")
    asked = await chat.ok("olivia", "/conference add ECIO 04/05 04/07")
    assert "two ways" in asked.text
    for _ in range(2):  # each ambiguous day picked by its button, in turn
        asked = await chat.ok("olivia", "/" + asked.buttons[0].action)
    assert asked.data["conference"]["name"] == "ECIO" and "two ways" not in asked.text


async def test_group_set_uses_the_time_language(
    chat: Conversation, phrases_read: list[str]
) -> None:
    await _member_in_new_york(chat)
    await chat.ok("alice", "/group create crew")
    assert (
        (await chat.ok("alice", "/group set time evening"))
        .data["group"]["prompt"]
        .endswith("18:00")
    )
    assert (await chat.ok("alice", "/group set time 8")).data["group"]["prompt"].endswith("08:00")
    assert _read(phrases_read, "evening") and _read(phrases_read, "8")
