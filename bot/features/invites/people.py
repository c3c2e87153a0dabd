"""Email members: who they are and how to reach them. Their member ids start
with MAIL_PREFIX, which the Outbox reads to send their messages by email."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.errors import UserError
from bot.features.invites.tables import email_members as E
from bot.scheduling.outbox import MAIL_PREFIX
from bot.text import shorten

EMAIL = re.compile(r"^[^@\s<>\"',;]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
NAME_MAX, EMAIL_MAX = 100, 254


@dataclass(frozen=True)
class EmailMember:
    community_id: str
    member_id: str
    email: str
    name: str


def checked(msg: Callable[..., str], name: str, email: str) -> tuple[str, str]:
    """The name and address as given, or a UserError saying what is wrong."""
    name, email = " ".join(name.split()), email.strip()
    if not name:
        raise UserError(msg("invite_name_missing"))
    if len(name) > NAME_MAX:
        raise UserError(msg("invite_name_long", limit=NAME_MAX))
    if len(email) > EMAIL_MAX or not EMAIL.match(email):
        raise UserError(msg("invite_email_bad", given=shorten(email, 60)))
    return name, email


def new_member_id() -> str:
    return MAIL_PREFIX + secrets.token_urlsafe(12)


async def by_email(conn: AsyncConnection, community_id: str, email: str) -> EmailMember | None:
    row = (
        await conn.execute(
            select(E).where(E.c.community_id == community_id, E.c.email == email.lower())
        )
    ).first()
    return EmailMember(row.community_id, row.member_id, row.email, row.name) if row else None


async def by_id(conn: AsyncConnection, community_id: str, member_id: str) -> EmailMember | None:
    row = (
        await conn.execute(
            select(E).where(E.c.community_id == community_id, E.c.member_id == member_id)
        )
    ).first()
    return EmailMember(row.community_id, row.member_id, row.email, row.name) if row else None


async def add(conn: AsyncConnection, person: EmailMember, invite: str, now: datetime) -> None:
    await conn.execute(
        insert(E).values(
            community_id=person.community_id,
            member_id=person.member_id,
            email=person.email.lower(),
            name=person.name,
            invite=invite,
            created_at=now,
        )
    )


async def rename(conn: AsyncConnection, person: EmailMember) -> None:
    await conn.execute(
        update(E)
        .where(E.c.community_id == person.community_id, E.c.member_id == person.member_id)
        .values(name=person.name)
    )


async def used(conn: AsyncConnection, community_id: str, invite: str) -> int:
    stmt = select(func.count()).where(E.c.community_id == community_id, E.c.invite == invite)
    return int((await conn.execute(stmt)).scalar_one())
