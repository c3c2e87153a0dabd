"""What a member's calendar shows: their reminders, their group's check-in
deadlines, the conferences they attend, their letter deadlines and the abstract
deadlines their research projects aim at. Repeats are
expanded over the window ahead, one event per occurrence, each with a UID made
of what it is and when, so calendar apps update an event instead of adding it
again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.content import Content
from bot.features.calendar.feeds import Owner
from bot.features.conference.tables import conference_attendees, conferences
from bot.features.groups import store as groups
from bot.features.letters.tables import letters
from bot.features.research import jobs as research
from bot.features.research import store as projects
from bot.features.research.content import research_rules
from bot.members import Membership, load_membership
from bot.scheduling.jobs import LIVE
from bot.scheduling.recurrence import next_after
from bot.scheduling.tables import jobs

AHEAD = timedelta(days=120)  # how far repeats are expanded
BEHIND = timedelta(days=30)  # past events kept so they do not vanish at once
MAX_REPEATS = 200  # occurrences of one repeating item at most
LETTERS_SHOWN = ("planned", "asked", "agreed", "uploaded")  # not declined


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    start: datetime | date  # an aware UTC instant, or a date for all-day events
    end: datetime | date


def _uid(kind: str, ident: object, when: datetime | date) -> str:
    stamp = when.strftime("%Y%m%dT%H%M%SZ") if isinstance(when, datetime) else when.isoformat()
    return f"{kind}-{ident}-{stamp}@rounds"


async def reminders(conn: AsyncConnection, owner: Owner, now: datetime) -> list[Event]:
    rows = await conn.execute(
        select(jobs.c.id, jobs.c.due_at, jobs.c.payload, jobs.c.recurrence, jobs.c.timezone).where(
            jobs.c.community_id == owner.community_id,
            jobs.c.member_id == owner.member_id,
            jobs.c.kind == "reminder",
            jobs.c.status.in_(LIVE),
        )
    )
    out = []
    for r in rows:
        payload = dict(r.payload or {})
        if payload.get("channel"):
            continue  # a channel's reminder is the community's, not the member's day
        text = str(payload.get("text", "Reminder"))[:200]
        due: datetime | None = r.due_at
        for _ in range(MAX_REPEATS):
            if due is None or due > now + AHEAD:
                break
            out.append(Event(_uid("reminder", r.id, due), text, due, due + timedelta(minutes=15)))
            due = next_after(r.recurrence, r.timezone, due) if r.recurrence else None
    return out


async def checkin_deadlines(conn: AsyncConnection, owner: Owner, now: datetime) -> list[Event]:
    found = await groups.group_of(conn, owner.community_id, owner.member_id)
    if found is None:
        return []
    group = found[0]
    cycle, week = group.cycle, group.cycle.week_of(now - BEHIND)
    out = []
    while cycle.deadline_at(week) <= now + AHEAD:
        at = cycle.deadline_at(week)
        summary = f"Check-in deadline ({group.name})"
        out.append(Event(_uid(f"checkin-{group.id}", week.isoformat(), at), summary, at, at))
        week += timedelta(days=7)
    return out


async def conference_days(conn: AsyncConnection, owner: Owner) -> list[Event]:
    c, a = conferences, conference_attendees
    rows = await conn.execute(
        select(c.c.id, c.c.name, c.c.city, c.c.start_date, c.c.end_date)
        .join(a, a.c.conference_id == c.c.id)
        .where(a.c.community_id == owner.community_id, a.c.member_id == owner.member_id)
    )
    return [
        Event(
            _uid("conference", r.id, r.start_date),
            r.name + (f" ({r.city})" if r.city else ""),
            r.start_date,
            r.end_date + timedelta(days=1),  # DTEND of an all-day event is exclusive
        )
        for r in rows
    ]


async def letter_deadlines(conn: AsyncConnection, owner: Owner) -> list[Event]:
    rows = await conn.execute(
        select(letters.c.id, letters.c.writer, letters.c.deadline).where(
            letters.c.community_id == owner.community_id,
            letters.c.member_id == owner.member_id,
            letters.c.status.in_(LETTERS_SHOWN),
        )
    )
    return [
        Event(
            _uid("letter", r.id, r.deadline),
            f"Letter deadline: {r.writer}",
            r.deadline,
            r.deadline + timedelta(days=1),
        )
        for r in rows
    ]


async def research_deadlines(
    conn: AsyncConnection, content: Content, owner: Owner, now: datetime
) -> list[Event]:
    """Abstract deadlines of the meetings the member's projects aim at, while a
    project is before its submission (the days research reminders are planned for)."""
    community, profile = await load_membership(conn, owner.community_id, owner.member_id)
    if community is None or profile is None:
        return []
    pack = content.pack(Membership(community, profile).pack_id)
    sec, meetings = research_rules(pack), {m.id for m in pack.meetings}
    added = await projects.community_deadlines(conn, owner.community_id)
    out = []
    for project in await projects.listed(conn, owner.community_id, owner.member_id):
        meeting = project.venue_id
        if meeting not in meetings or not research.before_submission(sec, project):
            continue
        for d in research.deadlines(pack, added, str(meeting)):
            if d.day < (now - BEHIND).date():
                continue
            name = research.meeting_name(pack, d.meeting)
            out.append(
                Event(
                    _uid(f"research-{project.id}", d.meeting, d.day),
                    f"Abstract deadline: {name} ({project.title[:80]})",
                    d.day,
                    d.day + timedelta(days=1),
                )
            )
    return out


async def member_events(
    conn: AsyncConnection, content: Content, owner: Owner, now: datetime
) -> list[Event]:
    return [
        *await reminders(conn, owner, now),
        *await checkin_deadlines(conn, owner, now),
        *await conference_days(conn, owner),
        *await letter_deadlines(conn, owner),
        *await research_deadlines(conn, content, owner, now),
    ]
