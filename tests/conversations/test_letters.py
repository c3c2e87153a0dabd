"""/letters as an applicant uses it: reminders timed from the deadline in the
member's zone, a warning when the writer has too little time, statuses that stop
reminders that no longer apply, and bad input that changes nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.core import Rounds
from bot.features.letters.content import Leads, LettersSection
from bot.features.letters.schedule import reminders
from bot.features.letters.tables import letters
from bot.scheduling.tables import jobs
from tests.conversation import Conversation, Talk


@pytest.fixture
async def any_chat(talk: Talk, any_rounds: Rounds) -> Conversation:
    return await talk(any_rounds, community="demo", organisers={"olivia"})


async def _rows(rounds: Rounds) -> list[Any]:
    async with rounds.db.connect() as conn:
        out = [tuple(r) for r in await conn.execute(select(letters).order_by(letters.c.id))]
        out += [tuple(r) for r in await conn.execute(select(jobs).order_by(jobs.c.id))]
    return out


def _which(deliveries: list[dict[str, Any]]) -> list[str]:
    return [
        d["message"]["data"]["letter_reminder"]["which"]
        for d in deliveries
        if "letter_reminder" in d["message"]["data"]
    ]


async def test_bad_letter_requests_store_nothing(
    any_chat: Conversation, any_rounds: Rounds
) -> None:
    chat = any_chat
    await chat.ok("bob", '/letters request "Dr Rao" 2027-05-01')
    before = await _rows(any_rounds)
    past = await chat.fails("alice", '/letters request "Dr Lee" 2026-12-20')
    assert "has passed" in past.text
    assert "no contact #7" in (await chat.fails("alice", "/letters request #7 2027-05-01")).text
    choice = await chat.ok("alice", '/letters request "Dr Lee" 05/01/2027')  # asks, stores nothing
    assert "two ways" in choice.text
    assert [b.action for b in choice.buttons] == [
        'letters request "Dr Lee" 2027-05-01',
        'letters request "Dr Lee" 2027-01-05',
    ]
    long_name = "x" * 200
    assert "limit" in (await chat.fails("alice", f'/letters request "{long_name}" 2027-05-01')).text
    # Bob's letter is not Alice's to update.
    assert "no letter #1" in (await chat.fails("alice", "/letters update 1 declined")).text
    assert "one of" in (await chat.fails("bob", "/letters update 1 lost")).text
    assert await _rows(any_rounds) == before
    assert (await chat.ok("alice", "/letters list")).data["letters"] == []


async def test_a_writer_from_the_contact_log(chat: Conversation) -> None:
    await chat.ok("alice", '/contact add "Dr Jane Lee" role="IR attending"')
    made = await chat.ok("alice", "/letters request #1 2027-05-01 Mass General and Brigham")
    assert (made.data["letter"]["writer"], made.data["letter"]["contact"]) == ("Dr Jane Lee", 1)
    # Bob cannot use Alice's contact.
    assert "no contact #1" in (await chat.fails("bob", "/letters request 1 2027-05-01")).text


async def test_a_short_deadline_is_accepted_with_a_warning(chat: Conversation) -> None:
    made = await chat.ok("alice", '/letters request "Dr Lee" 2027-01-25 the IR programs')
    assert "less than the 6 weeks" in made.text
    assert made.data["letter"]["warning"] is True
    assert set(made.data["letter"]["reminders"]) == {"confirm", "thanks"}  # ask/gentle: past
    ok = await chat.ok("alice", '/letters request "Dr Rao" 2027-03-01')
    assert ok.data["letter"]["warning"] is False and "less than" not in ok.text


async def test_agreed_skips_the_gentle_check_and_declined_stops_everything(
    any_chat: Conversation, any_rounds: Rounds
) -> None:
    chat = any_chat
    await chat.ok("alice", "/profile set timezone Europe/Berlin")
    await chat.ok("alice", '/letters request "Dr Lee" 2027-03-01')  # ask 18 Jan, gentle 1 Feb
    await chat.ok("alice", '/letters request "Dr Rao" 2027-03-01')
    assert _which(await chat.at("2027-01-18T08:00:00+00:00")) == ["ask", "ask"]  # 09:00 Berlin
    await chat.ok("alice", "/letters update 1 agreed")
    declined = await chat.ok("alice", "/letters update 2 declined")
    assert "ask someone else" in declined.text
    assert sorted(declined.data["letter_update"]["cancelled"]) == [
        "ask",
        "confirm",
        "gentle",
        "thanks",
    ]
    listed = await chat.ok("alice", "/letters list")
    assert [x["status"] for x in listed.data["letters"]] == ["agreed", "declined"]
    assert listed.data["letters"][1]["next"] == []
    assert [n["which"] for n in listed.data["letters"][0]["next"]] == ["confirm", "thanks"]
    # Through to after the deadline: only letter 1's confirm and thank-you arrive.
    got = await chat.at("2027-02-01T08:00:00+00:00")
    assert _which(got) == []
    assert _which(await chat.at("2027-02-22T08:00:00+00:00")) == ["confirm"]
    assert _which(await chat.at("2027-03-03T08:00:00+00:00")) == ["thanks"]


def test_reminders_keep_the_local_hour_across_daylight_saving() -> None:
    section = LettersSection(hour=9, thank_you_days_after=2, max_open_letters=40)
    # Berlin moves its clocks on 28 March 2027; the deadline is 15 April.
    plan = reminders(date(2027, 4, 15), Leads(6, 4, 1), section, "Europe/Berlin")
    local = {r.which: r.due.astimezone(ZoneInfo("Europe/Berlin")) for r in plan}
    assert {w: (d.date().isoformat(), d.hour) for w, d in local.items()} == {
        "ask": ("2027-03-04", 9),
        "gentle": ("2027-03-18", 9),
        "confirm": ("2027-04-08", 9),
        "thanks": ("2027-04-17", 9),
    }
    utc_hours = {r.which: r.due.hour for r in plan}
    assert utc_hours == {"ask": 8, "gentle": 8, "confirm": 7, "thanks": 7}
    assert all(isinstance(r.due, datetime) and r.due.utcoffset() is not None for r in plan)


def _reminders(deliveries: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """letter id -> the reminder message delivered for it."""
    return {
        d["message"]["data"]["letter_reminder"]["letter"]: d["message"]
        for d in deliveries
        if "letter_reminder" in d["message"]["data"]
    }


async def test_a_thank_you_only_for_letters_that_went_in_or_were_agreed(
    any_chat: Conversation,
) -> None:
    chat = any_chat
    for writer in ("Never Asked", "No Answer", "Said No", "Said Yes", "Sent It"):
        await chat.ok("alice", f'/letters request "Dr {writer}" 2027-03-01')
    await chat.ok("alice", "/letters update 2 asked")
    await chat.ok("alice", "/letters update 3 declined")
    await chat.ok("alice", "/letters update 4 agreed")
    await chat.ok("alice", "/letters update 5 uploaded")
    await chat.at("2027-03-02T12:00:00+00:00")  # everything before the thank-you day
    thanks = _reminders(await chat.at("2027-03-03T12:00:00+00:00"))
    # Nothing for the letter never asked, the one unanswered and the one declined.
    assert sorted(thanks) == [4, 5]
    assert {m["data"]["letter_reminder"]["which"] for m in thanks.values()} == {"thanks"}
    # Agreed only: it asks whether the letter went in, with a button to say so.
    assert "Did it go in?" in thanks[4]["text"]
    assert thanks[4]["title"] == "Did the letter from Dr Said Yes go in?"
    assert thanks[5]["title"] == "Thank Dr Sent It"
    assert [b["action"] for b in thanks[4]["buttons"]] == ["letters update 4 uploaded"]
    assert "Did it go in?" not in thanks[5]["text"] and thanks[5]["buttons"] == []
    # Saying it went in after the deadline: the reply says to thank them now.
    done = await chat.ok("alice", "/letters update 4 uploaded")
    assert "now is a good moment" in done.text and "after the deadline" not in done.text


async def test_a_late_reminder_says_overdue_never_a_negative_count(
    any_chat: Conversation,
) -> None:
    chat = any_chat
    await chat.ok("alice", '/letters request "Dr Lee" 2027-01-25')  # confirm due 18 Jan
    await chat.ok("alice", "/letters update 1 agreed")
    # The bot was down for ten days: the check arrives after the deadline.
    got = await chat.at("2027-01-28T12:00:00+00:00")
    late = next(
        d["message"] for d in got if d["message"]["data"]["letter_reminder"]["which"] == "confirm"
    )
    assert "overdue by 3 days" in late["text"]
    assert "-3" not in late["text"] and "days left" not in late["text"]
    await chat.ok("alice", '/letters request "Dr Rao" 2027-02-20')
    soon = await chat.ok("alice", "/letters update 2 declined")
    assert "23 days left" in soon.text
    listed = await chat.ok("alice", "/letters list")
    assert "(23 days left)" in listed.fields[1].value
