"""The private calendar feed, parsed back with icalendar: reminders at the right
UTC instants across a daylight-saving change, one event per occurrence of a
repeat, group check-in deadlines, conference days, letter and abstract deadlines
as all-day events, UIDs that stay put between fetches, and a reset URL that 404s."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import aiohttp
from icalendar import Calendar

from bot.clock import FakeClock
from bot.core import Rounds
from tests.conversation import Conversation
from tests.web.support import served

FEED = re.compile(r"(http://127\.0\.0\.1:\d+/calendar/[A-Za-z0-9_-]+\.ics)")


async def _feed_url(chat: Conversation, member: str, line: str = "/calendar") -> str:
    reply = await chat.ok(member, line)
    found = [FEED.search(p.message.text) for p in reply.also if p.to.member_id == member]
    urls = [m.group(1) for m in found if m]
    assert len(urls) == 1, reply.to_dict()
    return urls[0]


async def _events(url: str) -> list[dict[str, object]]:
    async with aiohttp.ClientSession() as http, http.get(url) as got:
        assert got.status == 200
        assert got.content_type == "text/calendar"
        cal = Calendar.from_ical(await got.read())
    out = []
    for e in cal.walk("VEVENT"):
        start = e.decoded("dtstart")
        out.append({"uid": str(e["uid"]), "summary": str(e["summary"]), "start": start})
    return out


async def _setup(rounds: Rounds) -> Conversation:
    chat = Conversation(rounds, "north", organisers=["org"])
    await chat.ok("ana", "/profile set timezone America/New_York")
    await chat.ok("ana", "/remind me every monday at 9am standup notes")
    await chat.ok("org", "/group create crew mon 09:00 Europe/London")
    await chat.ok("ana", "/group join crew")
    await chat.ok(
        "org", '/conference add "SIR 2027" 2027-03-20 2027-03-24 Seattle America/Los_Angeles'
    )
    await chat.ok("ana", "/conference attend SIR 2027")
    await chat.ok("ana", '/letters request "Dr Sam Lee" 2027-02-15')
    await chat.ok("org", "/research deadline sir 2027-03-01 SIR 2028 abstracts")
    await chat.ok("ana", "/research add abstract role=presenting venue=SIR Splenic embolization")
    return chat


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def test_feed_instants_across_dst_and_one_event_per_occurrence(
    rounds: Rounds, clock: FakeClock
) -> None:
    chat = await _setup(rounds)
    async with served(rounds):
        events = await _events(await _feed_url(chat, "ana"))
    standups = sorted(e["start"] for e in events if e["summary"] == "standup notes")  # type: ignore[type-var]
    # New York moves to daylight time on 14 March 2027: 9:00 is 14:00 UTC, then 13:00.
    assert _utc(2027, 3, 8, 14, 0) in standups and _utc(2027, 3, 15, 13, 0) in standups
    assert standups[0] == _utc(2027, 1, 11, 14, 0)  # the first Monday after now
    gaps = {b - a for a, b in pairwise(standups)}  # type: ignore[operator]
    assert gaps <= {timedelta(days=7), timedelta(days=7) - timedelta(hours=1)}
    assert len(standups) == len(set(standups)) == 17  # every Monday in 120 days, once
    deadlines = [e["start"] for e in events if str(e["summary"]).startswith("Check-in deadline")]
    assert all(isinstance(d, datetime) and d.tzinfo is not None for d in deadlines)
    london = ZoneInfo("Europe/London")
    local = {d.astimezone(london).time() for d in deadlines}  # type: ignore[union-attr]
    assert len(local) == 1  # the same wall-clock time on both sides of London's change
    assert {d.utcoffset() for d in deadlines} == {timedelta(0)}  # type: ignore[union-attr]
    (sir,) = [e for e in events if e["summary"].startswith("SIR 2027")]  # type: ignore[union-attr]
    assert sir["start"] == date(2027, 3, 20)
    (letter,) = [e for e in events if "Dr Sam Lee" in str(e["summary"])]
    assert letter["start"] == date(2027, 2, 15)
    (abstract,) = [e for e in events if str(e["summary"]).startswith("Abstract deadline")]
    assert abstract["start"] == date(2027, 3, 1) and "Splenic" in str(abstract["summary"])
    assert len({e["uid"] for e in events}) == len(events)


async def test_uids_are_stable_and_reset_revokes(rounds: Rounds, clock: FakeClock) -> None:
    chat = await _setup(rounds)
    async with served(rounds), aiohttp.ClientSession() as http:
        url = await _feed_url(chat, "ana")
        first = {e["uid"]: e["start"] for e in await _events(url)}
        assert await _feed_url(chat, "ana") == url  # asking again sends the same address
        clock.advance(timedelta(days=1))
        second = {e["uid"]: e["start"] for e in await _events(url)}
        common = set(first) & set(second)
        assert len(common) >= len(first) - 1 and all(first[u] == second[u] for u in common)
        new = await _feed_url(chat, "ana", "/calendar reset")
        assert new != url
        async with http.get(url) as old:
            assert old.status == 404
        assert await _events(new)


async def test_one_members_feed_shows_only_their_own(rounds: Rounds, clock: FakeClock) -> None:
    chat = await _setup(rounds)
    async with served(rounds):
        events = await _events(await _feed_url(chat, "ben"))
    assert events == []
