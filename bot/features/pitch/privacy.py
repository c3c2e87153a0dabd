"""Erasing a member's pitches: the versions and the reviews on them go with the
pitch (declared in tables.py); this step forgets which platform messages the
pitches' threads were, so nothing points at them any more."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.pitch.tables import pitches
from bot.privacy.rules import erase_step
from bot.storage.message_refs import message_refs


@erase_step
async def forget_threads(
    conn: AsyncConnection, community_id: str, member_id: str, now: datetime
) -> None:
    ids = (
        await conn.execute(
            select(pitches.c.id).where(
                pitches.c.community_id == community_id, pitches.c.author_id == member_id
            )
        )
    ).scalars()
    for pitch_id in ids.all():
        await conn.execute(
            delete(message_refs).where(
                message_refs.c.community_id == community_id,
                message_refs.c.key.startswith(f"pitch:{pitch_id}:", autoescape=True),
            )
        )
