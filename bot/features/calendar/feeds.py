"""The secret behind a member's calendar URL: made on first ask, kept until reset."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.calendar.tables import calendar_feeds as F

TOKEN_BYTES = 18  # 144 random bits, 24 characters


@dataclass(frozen=True)
class Owner:
    community_id: str
    member_id: str


async def token_for(conn: AsyncConnection, owner: Owner, now: datetime, *, reset: bool) -> str:
    """The member's feed token: the current one, or (reset, or none yet) a new one
    that replaces it."""
    where = (F.c.community_id == owner.community_id) & (F.c.member_id == owner.member_id)
    if not reset:
        found = (await conn.execute(select(F.c.token).where(where))).scalar_one_or_none()
        if found is not None:
            return str(found)
    await conn.execute(delete(F).where(where))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    await conn.execute(
        insert(F).values(
            community_id=owner.community_id, member_id=owner.member_id, token=token, created_at=now
        )
    )
    return token


async def owner_of(conn: AsyncConnection, token: str) -> Owner | None:
    row = (
        await conn.execute(select(F.c.community_id, F.c.member_id).where(F.c.token == token[:32]))
    ).first()
    return Owner(row.community_id, row.member_id) if row else None
