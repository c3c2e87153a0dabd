"""A member's events as an iCalendar feed (RFC 5545, by the icalendar library):
timed events in UTC, all-day events as dates; DTSTAMP is the feed's time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from icalendar import Calendar
from icalendar import Event as VEvent

from bot.content import Content
from bot.features.calendar.events import Event, member_events
from bot.features.calendar.feeds import owner_of
from bot.storage.db import Database

PRODID = "-//Rounds//calendar feed//EN"


def feed(events: Sequence[Event], name: str, now: datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for e in sorted(events, key=lambda e: (str(e.start), e.uid)):
        item = VEvent()
        item.add("uid", e.uid)
        item.add("dtstamp", now)
        item.add("summary", e.summary)
        item.add("dtstart", e.start)
        item.add("dtend", e.end)
        cal.add_component(item)
    return cal.to_ical()


async def feed_for(db: Database, content: Content, token: str, now: datetime) -> bytes | None:
    """The feed behind a secret URL, or None when the token is unknown (revoked)."""
    async with db.connect() as conn:
        owner = await owner_of(conn, token)
        if owner is None:
            return None
        events = await member_events(conn, content, owner, now)
    return feed(events, "Rounds", now)
