"""Erasing a member from peer groups: leave their group as /group leave does,
closing it (and cancelling its weekly jobs) when they were its last member.
Their rows go by the declarations in tables.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.groups import store
from bot.features.groups.timetable import cancel_group
from bot.privacy.rules import erase_step


@erase_step
async def leave_group(
    conn: AsyncConnection, community_id: str, member_id: str, now: datetime
) -> None:
    current = await store.group_of(conn, community_id, member_id)
    if current is None:
        return
    group = current[0]
    await store.lock_group(conn, community_id, group.id, now)
    await store.remove_member(conn, community_id, member_id)
    if await store.count_members(conn, community_id, group.id) == 0:
        await store.delete_group(conn, community_id, group.id)
        await cancel_group(conn, community_id, group.id)
