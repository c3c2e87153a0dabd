"""Reading and writing the contact log, always inside one member's own log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.contacts.tables import contact_events, contacts
from bot.scheduling.jobs import LIVE
from bot.scheduling.tables import jobs


@dataclass(frozen=True)
class Contact:
    id: int
    name: str
    role: str
    institution: str
    met_where: str
    notes: str
    awaiting_reply: bool
    last_kind: str | None
    last_contact_at: datetime | None
    created_at: datetime
    updates: str | None = None  # "on" / "off" as the member chose; None: automatic

    @classmethod
    def from_row(cls, row: Row[Any]) -> Contact:
        return cls(
            row.id,
            row.name,
            row.role,
            row.institution,
            row.met_where,
            row.notes,
            bool(row.awaiting_reply),
            row.last_kind,
            row.last_contact_at,
            row.created_at,
            row.updates,
        )

    @property
    def label(self) -> str:
        extra = ", ".join(p for p in (self.role, self.institution) if p)
        return f"{self.name} ({extra})" if extra else self.name


@dataclass(frozen=True)
class Event:
    kind: str
    text: str
    at: datetime


@dataclass(frozen=True)
class Nudge:
    contact_id: int
    which: str
    due_at: datetime
    name: str


def _owner(community_id: str, member_id: str) -> Any:
    return (contacts.c.community_id == community_id) & (contacts.c.member_id == member_id)


async def count(conn: AsyncConnection, community_id: str, member_id: str) -> int:
    stmt = select(func.count()).where(_owner(community_id, member_id))
    return int((await conn.execute(stmt)).scalar_one())


async def add(
    conn: AsyncConnection,
    community_id: str,
    member_id: str,
    now: datetime,
    *,
    name: str,
    role: str,
    institution: str,
    met_where: str,
    notes: str,
    updates: str | None = None,
) -> int:
    stmt = insert(contacts).values(
        community_id=community_id,
        member_id=member_id,
        name=name,
        role=role,
        institution=institution,
        met_where=met_where,
        notes=notes,
        awaiting_reply=False,
        last_kind="met" if met_where else None,
        last_contact_at=now if met_where else None,
        updates=updates,
        created_at=now,
        updated_at=now,
    )
    result = await conn.execute(stmt.returning(contacts.c.id))
    return int(result.scalar_one())


async def get(
    conn: AsyncConnection, community_id: str, member_id: str, contact_id: int
) -> Contact | None:
    stmt = select(contacts).where(_owner(community_id, member_id), contacts.c.id == contact_id)
    row = (await conn.execute(stmt)).first()
    return Contact.from_row(row) if row else None


async def listed(conn: AsyncConnection, community_id: str, member_id: str) -> list[Contact]:
    stmt = select(contacts).where(_owner(community_id, member_id)).order_by(contacts.c.name)
    return [Contact.from_row(r) for r in await conn.execute(stmt)]


async def events(
    conn: AsyncConnection, community_id: str, contact_id: int, limit: int = 20
) -> list[Event]:
    stmt = (
        select(contact_events.c.kind, contact_events.c.text, contact_events.c.at)
        .where(
            contact_events.c.community_id == community_id,
            contact_events.c.contact_id == contact_id,
        )
        .order_by(contact_events.c.at.desc(), contact_events.c.id.desc())
        .limit(limit)
    )
    return [Event(r.kind, r.text, r.at) for r in await conn.execute(stmt)]


async def log(
    conn: AsyncConnection,
    community_id: str,
    member_id: str,
    contact_id: int,
    now: datetime,
    *,
    kind: str,
    text: str,
    awaiting_reply: bool,
) -> None:
    await conn.execute(
        insert(contact_events).values(
            community_id=community_id,
            member_id=member_id,
            contact_id=contact_id,
            kind=kind,
            text=text,
            at=now,
        )
    )
    values: dict[str, Any] = {"updated_at": now, "awaiting_reply": awaiting_reply}
    if kind != "note":
        values |= {"last_kind": kind, "last_contact_at": now}
    await conn.execute(
        update(contacts)
        .where(_owner(community_id, member_id), contacts.c.id == contact_id)
        .values(**values)
    )


async def set_updates(
    conn: AsyncConnection, community_id: str, member_id: str, contact_id: int, value: str | None
) -> None:
    await conn.execute(
        update(contacts)
        .where(_owner(community_id, member_id), contacts.c.id == contact_id)
        .values(updates=value)
    )


async def two_way(conn: AsyncConnection, community_id: str, contact_id: int) -> bool:
    """Whether they ever replied or met the member (an exchange, not only emails sent)."""
    stmt = select(func.count()).where(
        contact_events.c.community_id == community_id,
        contact_events.c.contact_id == contact_id,
        contact_events.c.kind.in_(("replied", "met")),
    )
    return bool((await conn.execute(stmt)).scalar_one())


async def remove(conn: AsyncConnection, community_id: str, member_id: str, contact_id: int) -> None:
    await conn.execute(
        delete(contact_events).where(
            contact_events.c.community_id == community_id,
            contact_events.c.contact_id == contact_id,
        )
    )
    await conn.execute(
        delete(contacts).where(_owner(community_id, member_id), contacts.c.id == contact_id)
    )


async def nudges(conn: AsyncConnection, community_id: str, member_id: str) -> list[Nudge]:
    """The member's scheduled contact nudges, soonest first."""
    stmt = (
        select(jobs.c.payload, jobs.c.due_at)
        .where(
            jobs.c.community_id == community_id,
            jobs.c.member_id == member_id,
            jobs.c.kind == "contact.nudge",
            jobs.c.status.in_(LIVE),
        )
        .order_by(jobs.c.due_at)
    )
    out = []
    for row in await conn.execute(stmt):
        p = dict(row.payload or {})
        out.append(Nudge(int(p["contact"]), str(p["which"]), row.due_at, str(p.get("name", ""))))
    return out


async def named(
    conn: AsyncConnection, community_id: str, member_id: str, name: str
) -> Contact | None:
    """The member's contact with exactly this name (any case), if there is one."""
    stmt = select(contacts).where(
        _owner(community_id, member_id), func.lower(contacts.c.name) == name.strip().lower()
    )
    row = (await conn.execute(stmt.limit(1))).first()
    return Contact.from_row(row) if row else None
