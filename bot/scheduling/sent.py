"""Post keys already sent. The outbox records a key right after the platform
accepted its post, and checks keys before sending, so a post retried after a
crash, a lost claim or a failure part way through a job's posts is skipped
instead of sent again. What stays possible is a post the platform accepted in
the moment before the process died, ahead of the record: one per lane."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.privacy.rules import erase_step
from bot.scheduling.tables import sent_keys
from bot.storage.message_refs import key_names_member
from bot.storage.upsert import insert_ignore

Sent = tuple[str, str]  # (community id, post key)


async def already_sent(conn: AsyncConnection, keys: Iterable[Sent]) -> set[Sent]:
    """Those of `keys` that went out before."""
    wanted = sorted(set(keys))
    if not wanted:
        return set()
    rows = await conn.execute(
        select(sent_keys.c.community_id, sent_keys.c.key).where(
            tuple_(sent_keys.c.community_id, sent_keys.c.key).in_(wanted)
        )
    )
    return {(r.community_id, r.key) for r in rows}


async def record(conn: AsyncConnection, keys: Sequence[Sent], now: datetime) -> None:
    """Remember `keys` as sent (a key recorded before stays as it was)."""
    if keys:
        rows = [{"community_id": c, "key": k, "sent_at": now} for c, k in keys]
        await conn.execute(insert_ignore(conn, sent_keys, ["community_id", "key"]), rows)


async def forget_before(conn: AsyncConnection, before: datetime) -> int:
    """Drop keys sent before `before` (no retry reaches that far back)."""
    result = await conn.execute(delete(sent_keys).where(sent_keys.c.sent_at < before))
    return int(result.rowcount or 0)


@erase_step
async def forget_member_keys(
    conn: AsyncConnection, community_id: str, member_id: str, now: datetime
) -> None:
    """Keys such as "group:3:2027-01-04:prompt:<member>" name the member they were for."""
    await conn.execute(
        delete(sent_keys).where(
            sent_keys.c.community_id == community_id,
            key_names_member(sent_keys.c.key, member_id),
        )
    )
