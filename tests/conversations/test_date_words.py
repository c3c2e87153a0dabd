"""Dates organisers type are read as they say them, in their own zone, on every
adapter: the day the next mentoring round opens and a meeting's abstract
deadline take "next monday", "15 jan", "in 2 weeks" or "2027-01-15"; a day
that makes no sense for the option, or words that are no day, are refused with
what was understood or what to type, and nothing is published or stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.features.mentoring.tables import mentoring_pairs
from bot.responses import Response
from tests.conversation import Conversation
from tests.conversations.mentoring_people import BEA, BEN

UMA = "/mentee signup pack=urology kinds=career stage=ms4 goal='a urology match'"
AUCKLAND = "Pacific/Auckland"  # the clock's Monday 14:00 UTC is Tuesday 03:00 there


def _next_round(published: Response) -> str:
    """The sentence about the next round in Uma's DM (no urology mentor: unmatched)."""
    (dm,) = [p.message for p in published.also if p.to.member_id == "uma"]
    return dm.text


async def _round_with_uma(chat: Conversation) -> None:
    await chat.ok("olivia", "/mentor round open seed=42")
    await chat.ok("uma", UMA)


async def _still_open(chat: Conversation) -> None:
    status = await chat.ok("olivia", "/mentor round status")
    assert status.data["round_status"]["status"] == "open"


@pytest.mark.parametrize(
    "typed, opens",
    [
        ("next=next monday", "Mon 11 Jan 2027"),
        ("next=15 jan", "Fri 15 Jan 2027"),
        ("next=jan 15", "Fri 15 Jan 2027"),
        ('next="in 2 weeks"', "Mon 18 Jan 2027"),
        ("next=2027-01-15", "Fri 15 Jan 2027"),
        ("in 3 weeks", "Mon 25 Jan 2027"),  # without next=, straight after publish
        ("1 mar", "Mon 1 Mar 2027"),
    ],
)
async def test_the_next_round_takes_the_words_organisers_use(
    chat: Conversation, typed: str, opens: str
) -> None:
    await _round_with_uma(chat)
    published = await chat.ok("olivia", f"/mentor round publish {typed}")
    assert f"The next round opens on {opens}" in _next_round(published)


async def test_tomorrow_is_tomorrow_in_the_organisers_own_zone(chat: Conversation) -> None:
    await chat.ok("olivia", f"/profile set timezone {AUCKLAND}")
    await _round_with_uma(chat)
    published = await chat.ok("olivia", "/mentor round publish next=tomorrow")
    assert "The next round opens on Wed 6 Jan 2027" in _next_round(published)  # not Tue 5


@pytest.mark.parametrize(
    "typed, said",
    [
        ("next=yesterday", "I read that as Sun 03 Jan 2027"),
        ("next=2026-12-01", "I read that as Tue 01 Dec 2026"),
        ("next=today", "after today (Mon 04 Jan 2027)"),
        ("next=soonish", "I couldn't read 'soonish'"),
        ("next=31 feb", "not a real date"),
    ],
)
async def test_a_next_round_that_makes_no_sense_is_refused_and_nothing_is_published(
    chat: Conversation, typed: str, said: str
) -> None:
    await chat.ok("ben", BEN)
    await chat.ok("bea", BEA)
    await _round_with_uma(chat)
    refused = await chat.fails("olivia", f"/mentor round publish {typed}")
    assert said in refused.text
    assert "nothing was published" in refused.text or "not a real date" in refused.text
    await _still_open(chat)
    async with chat.rounds.db.connect() as conn:
        pairs = await conn.scalar(select(func.count()).select_from(mentoring_pairs))
    assert pairs == 0


async def test_a_date_with_two_readings_is_asked_and_the_pick_publishes(
    chat: Conversation,
) -> None:
    await _round_with_uma(chat)
    asked = await chat.ok("olivia", "/mentor round publish next=03/04/2027")
    assert "can be read two ways" in asked.text
    actions = [b.action for b in asked.buttons]
    assert actions == [
        "mentor round publish next=2027-03-04",
        "mentor round publish next=2027-04-03",
    ]
    await _still_open(chat)
    published = await chat.ok("olivia", f"/{actions[1]}")
    assert "The next round opens on Sat 3 Apr 2027" in _next_round(published)


@pytest.mark.parametrize(
    "typed, day, label",
    [
        ("15 mar SIR 2027 abstracts", "2027-03-15", "SIR 2027 abstracts"),
        ("sept 15 2027 SIR 2028", "2027-09-15", "SIR 2028"),
        ("in 6 weeks SIR late-breaking", "2027-02-15", "SIR late-breaking"),
        ("next monday", "2027-01-11", ""),
        ("2027-03-01 SIR 2027 abstracts", "2027-03-01", "SIR 2027 abstracts"),
    ],
)
async def test_an_abstract_deadline_takes_the_words_organisers_use(
    chat: Conversation, typed: str, day: str, label: str
) -> None:
    added = await chat.ok("olivia", f"/research deadline sir {typed}")
    assert added.data["research_deadline"]["day"] == day
    listed = await chat.ok("olivia", "/research deadlines")
    assert {"meeting": "sir", "day": day} in listed.data["research_deadlines"]
    assert any(f.value.endswith(f" · {label}") for f in listed.fields) == bool(label)


async def test_an_abstract_deadline_in_the_past_or_unreadable_stores_nothing(
    chat: Conversation,
) -> None:
    before = (await chat.ok("olivia", "/research deadlines")).data
    past = await chat.fails("olivia", "/research deadline sir yesterday")
    assert "Sun 03 Jan 2027 is not in the future" in past.text
    assert "couldn't read" in (await chat.fails("olivia", "/research deadline sir whenever")).text
    asked = await chat.ok("olivia", "/research deadline sir 03/04/2027 SIR 2027")
    assert [b.action for b in asked.buttons] == [
        'research deadline sir 2027-03-04 label="SIR 2027"',
        'research deadline sir 2027-04-03 label="SIR 2027"',
    ]
    assert (await chat.ok("olivia", "/research deadlines")).data == before
    picked = await chat.ok("olivia", f"/{asked.buttons[1].action}")
    assert picked.data["research_deadline"]["day"] == "2027-04-03"
