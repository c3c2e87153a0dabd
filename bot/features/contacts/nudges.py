"""Contact follow-ups as scheduled jobs, one live job per contact and purpose
(keys `contact:<id>:follow-up|no-reply|update`, so scheduling again replaces):

- follow-up: met someone -> a nudge after the cadence's first day, with its last
  day as the deadline, counted from today or from a later day (a conference's
  last day);
- no-reply: emailed them -> a nudge if no reply is logged in time (a reply
  cancels it; after the one follow-up email it is not set again);
- update: mentors and contacts who replied or met (see updates.py) -> a
  repeating nudge to send news, counted from the last contact, in the member's
  zone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.content import Range
from bot.responses import Button, Post, Response, Target
from bot.scheduling.jobs import Job, cancel, job_kind, schedule

if TYPE_CHECKING:
    from bot.core import Rounds

KIND = "contact.nudge"
WHICH = ("follow-up", "no-reply", "update")


@dataclass(frozen=True)
class Owner:
    """Whose log, in which zone, nudged at which local hour."""

    community_id: str
    member_id: str
    tz: str
    hour: int

    def at(self, day: date) -> datetime:
        local = datetime.combine(day, time(self.hour), tzinfo=ZoneInfo(self.tz))
        return local.astimezone(UTC)

    def today(self, now: datetime) -> date:
        return now.astimezone(ZoneInfo(self.tz)).date()


def key(contact_id: int, which: str) -> str:
    return f"contact:{contact_id}:{which}"


async def _put(
    conn: AsyncConnection,
    owner: Owner,
    contact_id: int,
    which: str,
    due: datetime,
    now: datetime,
    payload: Mapping[str, object],
    recurrence: dict[str, object] | None = None,
) -> datetime:
    await schedule(
        conn,
        community_id=owner.community_id,
        kind=KIND,
        due_at=due,
        now=now,
        member_id=owner.member_id,
        payload={"contact": contact_id, "which": which, **payload},
        recurrence=recurrence,
        timezone=owner.tz,
        key=key(contact_id, which),
    )
    return due


async def follow_up(
    conn: AsyncConnection,
    owner: Owner,
    contact_id: int,
    name: str,
    where: str,
    now: datetime,
    days: Range,
    after: date | None = None,
) -> datetime:
    """Schedule the follow-up nudge, counted in the owner's zone from today or
    from `after` when that is later."""
    today = max(owner.today(now), after or date.min)
    deadline = owner.at(today + timedelta(days=days.max))
    payload = {
        "name": name,
        "where": where,
        "since": now.isoformat(),
        "deadline": deadline.isoformat(),
    }
    return await _put(
        conn,
        owner,
        contact_id,
        "follow-up",
        owner.at(today + timedelta(days=days.min)),
        now,
        payload,
    )


async def no_reply(
    conn: AsyncConnection, owner: Owner, contact_id: int, name: str, now: datetime, days: Range
) -> datetime:
    due = owner.at(owner.today(now) + timedelta(days=days.min))
    payload = {"name": name, "since": now.isoformat()}
    return await _put(conn, owner, contact_id, "no-reply", due, now, payload)


async def update(
    conn: AsyncConnection, owner: Owner, contact_id: int, name: str, now: datetime, days: Range
) -> datetime:
    """The repeating update nudge, restarted from now (the latest contact)."""
    first = owner.today(now) + timedelta(days=days.min)
    recurrence: dict[str, object] = {
        "calendar": {"days": days.min, "hour": owner.hour, "minute": 0},
        "start": first.isoformat(),
    }
    payload = {"name": name, "since": now.isoformat(), "every_days": days.min}
    return await _put(conn, owner, contact_id, "update", owner.at(first), now, payload, recurrence)


async def drop(
    conn: AsyncConnection, community_id: str, contact_id: int, which: Sequence[str] = WHICH
) -> int:
    return await cancel(conn, community_id, keys=[key(contact_id, w) for w in which])


def _day(iso: object, tz: str) -> str:
    when = datetime.fromisoformat(str(iso))
    return when.astimezone(ZoneInfo(tz)).strftime("%a %d %b %Y")


@job_kind(KIND)
async def nudge_due(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    msg = rounds.content.msg
    p = job.payload
    which, name, contact_id = str(p.get("which")), str(p.get("name", "")), p.get("contact")
    since = _day(p.get("since", job.due_at.isoformat()), job.timezone)
    if which == "follow-up":
        where = f" ({p['where']})" if p.get("where") else ""
        text = msg(
            "nudge_follow_up",
            name=name,
            where=where,
            met=since,
            deadline=_day(p.get("deadline", job.due_at.isoformat()), job.timezone),
        )
    elif which == "no-reply":
        text = msg("nudge_no_reply", name=name, sent=since)
    elif which == "update":
        text = msg("nudge_update", name=name, last=since)
    else:
        return []
    title = msg("nudge_title_" + which.replace("-", "_"), name=name)
    buttons = (
        Button(msg("nudge_button_emailed"), f"contact log {contact_id} emailed", "primary"),
        Button(msg("nudge_button_show"), f"contact show {contact_id}"),
    )
    message = Response(
        title=title,
        text=text,
        buttons=buttons,
        dm=True,
        data={"nudge": {"contact": contact_id, "which": which}},
    )
    return [Post(Target(job.community_id, member_id=job.member_id), message)]
