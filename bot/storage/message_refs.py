"""Which platform message a post key became, so a later post can reply in its
thread (Target.thread names the key). Adapters write and read these rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, ColumnElement, String, Table, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.privacy.rules import Unowned, declare, erase_step
from bot.storage.tables import metadata
from bot.storage.types import UTCDateTime
from bot.storage.upsert import upsert

message_refs = Table(
    "message_refs",
    metadata,
    Column("community_id", String(80), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("channel_id", String(80), nullable=False),
    Column("message_id", String(80), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

declare(
    Unowned(
        message_refs,
        "platform message pointers (channel and message ids) for threading; no text. "
        "Keys of posts made for one member end in their id: the erase step below removes them",
    )
)


@erase_step
async def forget_member_posts(
    conn: AsyncConnection, community_id: str, member_id: str, now: datetime
) -> None:
    """Keys such as "groups:report:<week>:<member>" name the member they were for."""
    await conn.execute(
        delete(message_refs).where(
            message_refs.c.community_id == community_id,
            key_names_member(message_refs.c.key, member_id),
        )
    )


def key_names_member(key: ColumnElement[str], member_id: str) -> ColumnElement[bool]:
    """A post key naming `member_id` as one of its parts ("...:<member>" or "...:<member>:...")."""
    esc = member_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(key.like(f"%:{esc}", escape="\\"), key.like(f"%:{esc}:%", escape="\\"))


@dataclass(frozen=True)
class MessageRef:
    channel_id: str
    message_id: str


async def remember(
    conn: AsyncConnection, community_id: str, key: str, ref: MessageRef, now: datetime
) -> None:
    values = {
        "community_id": community_id,
        "key": key,
        "channel_id": ref.channel_id,
        "message_id": ref.message_id,
        "created_at": now,
    }
    await conn.execute(
        upsert(conn, message_refs, ["community_id", "key"], values, ["channel_id", "message_id"])
    )


async def recall(conn: AsyncConnection, community_id: str, key: str) -> MessageRef | None:
    row = (
        await conn.execute(
            select(message_refs.c.channel_id, message_refs.c.message_id).where(
                message_refs.c.community_id == community_id, message_refs.c.key == key
            )
        )
    ).first()
    return MessageRef(row.channel_id, row.message_id) if row else None
