"""Reading and writing conferences, attendance and conference-tagged contacts,
always inside one community (and, for contacts, one member's own log)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, and_, case, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.conference.tables import conference_attendees, conference_contacts, conferences
from bot.features.contacts.tables import contact_events, contacts


def slug(name: str) -> str:
    """'SIR 2027' -> 'sir-2027': how members name a conference in commands."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@dataclass(frozen=True)
class Conference:
    id: int
    name: str
    slug: str
    start: date
    end: date
    city: str
    tz: str

    @classmethod
    def from_row(cls, row: Row[Any]) -> Conference:
        return cls(row.id, row.name, row.slug, row.start_date, row.end_date, row.city, row.timezone)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def day_number(self, day: date) -> int:
        return (day - self.start).days + 1

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    def follow_up_from(self, met_day: date | None) -> date:
        """The day a follow-up's window opens: the meeting's last day (people met
        on day 1 of a 5-day meeting are written to after it, not during it), or
        the day they were met when that was after the meeting."""
        return max(met_day or self.end, self.end)


@dataclass(frozen=True)
class Tagged:
    """A contact-log entry tagged with a conference (no notes: reports never see them)."""

    contact_id: int
    name: str
    role: str
    institution: str
    target: bool
    kind: str | None
    deep: bool
    met_day: date | None
    met_at: datetime | None

    @property
    def met(self) -> bool:
        return self.met_at is not None


@dataclass(frozen=True)
class Counts:
    faculty: int = 0
    peers: int = 0
    deep: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"faculty": self.faculty, "peers": self.peers, "deep": self.deep}


_CONF = select(conferences)


async def find(conn: AsyncConnection, community_id: str, name: str) -> Conference | None:
    """The conference `name` names, its spacing aside: "SIR2027" finds "SIR 2027"
    (an exact slug first, should two differ only so)."""
    wanted = slug(name)
    compact = func.replace(conferences.c.slug, "-", "")
    stmt = (
        _CONF.where(
            conferences.c.community_id == community_id,
            compact == wanted.replace("-", ""),
        )
        .order_by((conferences.c.slug == wanted).desc(), conferences.c.id)
        .limit(1)
    )
    row = (await conn.execute(stmt)).first()
    return Conference.from_row(row) if row else None


async def add(
    conn: AsyncConnection,
    community_id: str,
    *,
    name: str,
    start: date,
    end: date,
    city: str,
    tz: str,
    by: str,
    now: datetime,
) -> int:
    stmt = insert(conferences).values(
        community_id=community_id,
        slug=slug(name),
        name=name,
        start_date=start,
        end_date=end,
        city=city,
        timezone=tz,
        created_by=by,
        created_at=now,
    )
    return int((await conn.execute(stmt.returning(conferences.c.id))).scalar_one())


async def remove(conn: AsyncConnection, community_id: str, conference_id: int) -> None:
    for table in (conference_contacts, conference_attendees):
        await conn.execute(
            delete(table).where(
                table.c.community_id == community_id, table.c.conference_id == conference_id
            )
        )
    await conn.execute(
        delete(conferences).where(
            conferences.c.community_id == community_id, conferences.c.id == conference_id
        )
    )


async def listed(
    conn: AsyncConnection, community_id: str, member_id: str, since: date
) -> list[tuple[Conference, int, bool]]:
    """Conferences ending on or after `since`, soonest first, with the number of
    attendees and whether `member_id` is one of them: one round trip."""
    mine = func.count(case((conference_attendees.c.member_id == member_id, 1)))
    stmt = (
        select(
            conferences, func.count(conference_attendees.c.member_id).label("n"), mine.label("m")
        )
        .select_from(
            conferences.outerjoin(
                conference_attendees,
                and_(
                    conference_attendees.c.conference_id == conferences.c.id,
                    conference_attendees.c.community_id == community_id,
                ),
            )
        )
        .where(conferences.c.community_id == community_id, conferences.c.end_date >= since)
        .group_by(*conferences.c)
        .order_by(conferences.c.start_date, conferences.c.name)
    )
    return [(Conference.from_row(r), int(r.n), bool(r.m)) for r in await conn.execute(stmt)]


async def attending(conn: AsyncConnection, community_id: str, member_id: str) -> list[Conference]:
    stmt = (
        _CONF.join(conference_attendees, conference_attendees.c.conference_id == conferences.c.id)
        .where(
            conferences.c.community_id == community_id,
            conference_attendees.c.community_id == community_id,
            conference_attendees.c.member_id == member_id,
        )
        .order_by(conferences.c.start_date)
    )
    return [Conference.from_row(r) for r in await conn.execute(stmt)]


async def attend(
    conn: AsyncConnection, community_id: str, conference_id: int, member_id: str, now: datetime
) -> None:
    await conn.execute(
        insert(conference_attendees).values(
            community_id=community_id,
            conference_id=conference_id,
            member_id=member_id,
            joined_at=now,
        )
    )


async def leave(
    conn: AsyncConnection, community_id: str, conference_id: int, member_id: str
) -> None:
    await conn.execute(
        delete(conference_attendees).where(
            conference_attendees.c.community_id == community_id,
            conference_attendees.c.conference_id == conference_id,
            conference_attendees.c.member_id == member_id,
        )
    )


async def attendees(conn: AsyncConnection, community_id: str, conference_id: int) -> list[str]:
    stmt = (
        select(conference_attendees.c.member_id)
        .where(
            conference_attendees.c.community_id == community_id,
            conference_attendees.c.conference_id == conference_id,
        )
        .order_by(conference_attendees.c.joined_at, conference_attendees.c.member_id)
    )
    return [r[0] for r in await conn.execute(stmt)]


async def tag(
    conn: AsyncConnection,
    community_id: str,
    conference_id: int,
    contact_id: int,
    member_id: str,
    *,
    target: bool,
    kind: str | None = None,
    deep: bool = False,
    met_day: date | None = None,
    met_at: datetime | None = None,
) -> None:
    await conn.execute(
        insert(conference_contacts).values(
            community_id=community_id,
            conference_id=conference_id,
            contact_id=contact_id,
            member_id=member_id,
            target=target,
            kind=kind,
            deep=deep,
            met_day=met_day,
            met_at=met_at,
        )
    )


async def mark_met(
    conn: AsyncConnection,
    community_id: str,
    conference_id: int,
    contact_id: int,
    *,
    kind: str,
    deep: bool,
    met_day: date,
    met_at: datetime,
) -> None:
    await conn.execute(
        update(conference_contacts)
        .where(
            conference_contacts.c.community_id == community_id,
            conference_contacts.c.conference_id == conference_id,
            conference_contacts.c.contact_id == contact_id,
        )
        .values(kind=kind, deep=deep, met_day=met_day, met_at=met_at)
    )


_TAGGED = (
    conference_contacts.c.contact_id,
    contacts.c.name,
    contacts.c.role,
    contacts.c.institution,
    conference_contacts.c.target,
    conference_contacts.c.kind,
    conference_contacts.c.deep,
    conference_contacts.c.met_day,
    conference_contacts.c.met_at,
)


async def tagged(
    conn: AsyncConnection, community_id: str, conference_id: int, member_id: str | None = None
) -> list[tuple[str, Tagged]]:
    """(member, entry) for a conference's tagged contacts, a member's own or all."""
    stmt = (
        select(conference_contacts.c.member_id, *_TAGGED)
        .join(contacts, contacts.c.id == conference_contacts.c.contact_id)
        .where(
            conference_contacts.c.community_id == community_id,
            contacts.c.community_id == community_id,
            conference_contacts.c.conference_id == conference_id,
        )
        .order_by(conference_contacts.c.met_at, contacts.c.name)
    )
    if member_id is not None:
        stmt = stmt.where(conference_contacts.c.member_id == member_id)
    return [(r.member_id, Tagged(*tuple(r)[1:])) for r in await conn.execute(stmt)]


def counts(entries: list[Tagged], day: date) -> Counts:
    met = [t for t in entries if t.met_day == day]
    return Counts(
        faculty=sum(t.kind == "faculty" for t in met),
        peers=sum(t.kind == "peer" for t in met),
        deep=sum(t.deep for t in met),
    )


async def first_emails(
    conn: AsyncConnection, community_id: str, entries: list[Tagged]
) -> dict[int, datetime]:
    """For each contact met, the first 'emailed' entry logged in the contact log
    after the meeting (a pre-conference email is not a follow-up)."""
    met = {t.contact_id: t.met_at for t in entries if t.met_at is not None}
    if not met:
        return {}
    stmt = select(contact_events.c.contact_id, contact_events.c.at).where(
        contact_events.c.community_id == community_id,
        contact_events.c.contact_id.in_(list(met)),
        contact_events.c.kind == "emailed",
    )
    out: dict[int, datetime] = {}
    for contact_id, at in await conn.execute(stmt):
        since = met[int(contact_id)]
        if since is not None and at >= since and (contact_id not in out or at < out[contact_id]):
            out[int(contact_id)] = at
    return out


async def get(conn: AsyncConnection, community_id: str, conference_id: int) -> Conference | None:
    stmt = _CONF.where(
        conferences.c.community_id == community_id, conferences.c.id == conference_id
    )
    row = (await conn.execute(stmt)).first()
    return Conference.from_row(row) if row else None
