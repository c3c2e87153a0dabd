"""Erasing a member from mentoring: every pair they are in goes (the rows by the
declarations in tables.py), and the follow-ups scheduled for the other side of
those pairs ("did you meet?", mentor updates) are cancelled first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.mentoring.followups import stop_pair
from bot.features.mentoring.tables import mentoring_pairs as P
from bot.privacy.rules import erase_step


@erase_step
async def stop_pairs(
    conn: AsyncConnection, community_id: str, member_id: str, now: datetime
) -> None:
    rows = await conn.execute(
        select(P.c.id).where(
            P.c.community_id == community_id,
            or_(P.c.mentee_id == member_id, P.c.mentor_id == member_id),
        )
    )
    for (pair_id,) in rows.all():
        await stop_pair(conn, community_id, int(pair_id))
