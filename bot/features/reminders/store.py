"""Reminders are jobs of kind "reminder" in the scheduling engine's table: the
database is the one place that says what is due. This module reads and changes
them, always inside the caller's community."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.reminders.when import When
from bot.scheduling.jobs import LIVE, schedule
from bot.scheduling.tables import jobs

KIND = "reminder"
FAILED_SHOWN_FOR = timedelta(days=30)  # /remind list shows failures this recent


@dataclass(frozen=True)
class Reminder:
    id: int
    member_id: str
    due_at: datetime
    text: str
    every: str | None
    channel: str | None
    status: str
    last_error: str | None
    recurrence: dict[str, Any] | None
    timezone: str

    @classmethod
    def from_row(cls, row: Row[Any]) -> Reminder:
        payload = dict(row.payload or {})
        return cls(
            row.id,
            row.member_id or "",
            row.due_at,
            str(payload.get("text", "")),
            payload.get("every"),
            payload.get("channel"),
            row.status,
            row.last_error,
            row.recurrence,
            row.timezone,
        )


def payload(
    text: str, when: When, channel: str | None, by: str, snooze: Sequence[str] = ()
) -> dict[str, Any]:
    data: dict[str, Any] = {"text": text, "by": by, "snooze": list(snooze)}
    if when.every:
        data["every"] = when.every
    if channel:
        data["channel"] = channel
    return data


async def live_count(conn: AsyncConnection, community_id: str, member_id: str) -> int:
    stmt = select(func.count()).where(
        jobs.c.community_id == community_id,
        jobs.c.member_id == member_id,
        jobs.c.kind == KIND,
        jobs.c.status.in_(LIVE),
    )
    return int((await conn.execute(stmt)).scalar_one())


async def add(
    conn: AsyncConnection,
    *,
    community_id: str,
    member_id: str,
    when: When,
    text: str,
    tz: str,
    now: datetime,
    channel: str | None = None,
    snooze: Sequence[str] = (),
) -> int:
    return await schedule(
        conn,
        community_id=community_id,
        kind=KIND,
        due_at=when.due_at,
        now=now,
        member_id=member_id,
        payload=payload(text, when, channel, member_id, snooze),
        recurrence=when.recurrence,
        timezone=tz,
    )


async def listed(
    conn: AsyncConnection,
    community_id: str,
    member_id: str,
    now: datetime,
    *,
    with_channels: bool,
) -> list[Reminder]:
    """The member's reminders waiting, or failed in the last weeks, soonest first
    (with every channel reminder of the community for organisers)."""
    stmt = select(jobs).where(
        jobs.c.community_id == community_id,
        jobs.c.kind == KIND,
        or_(
            jobs.c.status.in_(LIVE),
            (jobs.c.status == "failed") & (jobs.c.due_at > now - FAILED_SHOWN_FOR),
        ),
    )
    if not with_channels:
        stmt = stmt.where(jobs.c.member_id == member_id)
    rows = [Reminder.from_row(r) for r in await conn.execute(stmt.order_by(jobs.c.due_at))]
    return [r for r in rows if r.member_id == member_id or r.channel]


async def get(conn: AsyncConnection, community_id: str, reminder_id: int) -> Reminder | None:
    stmt = select(jobs).where(
        jobs.c.community_id == community_id, jobs.c.kind == KIND, jobs.c.id == reminder_id
    )
    row = (await conn.execute(stmt)).first()
    return Reminder.from_row(row) if row else None


async def set_cancelled(conn: AsyncConnection, community_id: str, reminder_id: int) -> None:
    await conn.execute(
        update(jobs)
        .where(jobs.c.community_id == community_id, jobs.c.id == reminder_id)
        .values(status="cancelled", claimed_by=None, claimed_until=None)
    )


async def move(
    conn: AsyncConnection, community_id: str, reminder_id: int, due_at: datetime
) -> None:
    """Due again at `due_at`, whatever happened before (snooze; retry after a failure)."""
    await conn.execute(
        update(jobs)
        .where(jobs.c.community_id == community_id, jobs.c.id == reminder_id)
        .values(
            status="pending",
            due_at=due_at,
            attempts=0,
            last_error=None,
            late=False,
            claimed_by=None,
            claimed_until=None,
        )
    )
