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
from tests.conversation import Conversation


@pytest.fixture
def any_chat(any_rounds: Rounds) -> Conversation:
    return Conversation(any_rounds, community="demo", organisers={"olivia"})


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
    assert "two ways" in (await chat.fails("alice", '/letters request "Dr Lee" 05/01/2027')).text
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
