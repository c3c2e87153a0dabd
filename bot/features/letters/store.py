"""Reading and writing letter requests, always inside one member's own list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.letters.tables import letters
from bot.scheduling.jobs import LIVE
from bot.scheduling.tables import jobs

KIND = "letters.reminder"


@dataclass(frozen=True)
class Letter:
    id: int
    member_id: str
    writer: str
    contact_id: int | None
    deadline: date
    note: str
    status: str

    @classmethod
    def from_row(cls, row: Row[Any]) -> Letter:
        return cls(
            row.id, row.member_id, row.writer, row.contact_id, row.deadline, row.note, row.status
        )


def _owner(community_id: str, member_id: str) -> Any:
    return (letters.c.community_id == community_id) & (letters.c.member_id == member_id)


async def count(conn: AsyncConnection, community_id: str, member_id: str) -> int:
    stmt = select(func.count()).where(_owner(community_id, member_id))
    return int((await conn.execute(stmt)).scalar_one())


async def add(
    conn: AsyncConnection,
    community_id: str,
    member_id: str,
    now: datetime,
    *,
    writer: str,
    contact_id: int | None,
    deadline: date,
    note: str,
) -> int:
    stmt = insert(letters).values(
        community_id=community_id,
        member_id=member_id,
        writer=writer,
        contact_id=contact_id,
        deadline=deadline,
        note=note,
        status="planned",
        created_at=now,
        updated_at=now,
    )
    return int((await conn.execute(stmt.returning(letters.c.id))).scalar_one())


async def get(
    conn: AsyncConnection, community_id: str, member_id: str, letter_id: int
) -> Letter | None:
    stmt = select(letters).where(_owner(community_id, member_id), letters.c.id == letter_id)
    row = (await conn.execute(stmt)).first()
    return Letter.from_row(row) if row else None


async def listed(conn: AsyncConnection, community_id: str, member_id: str) -> list[Letter]:
    stmt = (
        select(letters)
        .where(_owner(community_id, member_id))
        .order_by(letters.c.deadline, letters.c.id)
    )
    return [Letter.from_row(r) for r in await conn.execute(stmt)]


async def set_status(
    conn: AsyncConnection,
    community_id: str,
    member_id: str,
    letter_id: int,
    status: str,
    now: datetime,
) -> None:
    await conn.execute(
        update(letters)
        .where(_owner(community_id, member_id), letters.c.id == letter_id)
        .values(status=status, updated_at=now)
    )


async def planned(
    conn: AsyncConnection, community_id: str, member_id: str
) -> dict[int, list[tuple[str, datetime]]]:
    """Each letter's live reminders, soonest first."""
    stmt = (
        select(jobs.c.payload, jobs.c.due_at)
        .where(
            jobs.c.community_id == community_id,
            jobs.c.member_id == member_id,
            jobs.c.kind == KIND,
            jobs.c.status.in_(LIVE),
        )
        .order_by(jobs.c.due_at)
    )
    out: dict[int, list[tuple[str, datetime]]] = {}
    for row in await conn.execute(stmt):
        p = dict(row.payload or {})
        out.setdefault(int(p["letter"]), []).append((str(p["which"]), row.due_at))
    return out


async def set_deadline(
    conn: AsyncConnection,
    community_id: str,
    member_id: str,
    letter_id: int,
    deadline: date,
    now: datetime,
) -> None:
    await conn.execute(
        update(letters)
        .where(_owner(community_id, member_id), letters.c.id == letter_id)
        .values(deadline=deadline, updated_at=now)
    )
