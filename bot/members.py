"""Communities and member profiles: the rows every command starts from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, Select, String, and_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.keys import key_params, key_table
from bot.storage.tables import communities, members
from bot.storage.upsert import insert_ignore


@dataclass(frozen=True)
class Community:
    id: str
    name: str
    timezone: str
    pack: str
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def platform(self) -> str:
        return self.id.split(":", 1)[0]


@dataclass(frozen=True)
class Profile:
    community_id: str
    member_id: str
    display_name: str = ""
    timezone: str | None = None
    stage: str | None = None
    pack: str | None = None
    interests: tuple[str, ...] = ()
    is_organiser: bool = False
    background: str | None = None  # us-grad | us-img | non-us-img
    visa: str | None = None  # the visa path of a non-US IMG: j1 | h1b | undecided


@dataclass(frozen=True)
class Membership:
    """A member as seen inside their community: the profile plus effective settings."""

    community: Community
    profile: Profile

    @property
    def tz_name(self) -> str:
        return self.profile.timezone or self.community.timezone

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)

    @property
    def pack_id(self) -> str:
        return self.profile.pack or self.community.pack


_KEYS: dict[str, Any] = {"key": Integer(), "community_id": String(), "member_id": String()}


@cache
def _memberships_query(dialect: str) -> Select[Any]:
    """Built once: each key's community and member rows, for any number of keys."""
    keys = key_table(dialect, _KEYS)
    member = and_(
        members.c.community_id == communities.c.id, members.c.member_id == keys.c.member_id
    )
    j = keys.join(communities, communities.c.id == keys.c.community_id).outerjoin(members, member)
    return select(
        keys.c.key,
        communities.c.id,
        communities.c.name,
        communities.c.timezone,
        communities.c.pack,
        communities.c.settings,
        members.c.member_id,
        members.c.display_name,
        members.c.timezone.label("m_timezone"),
        members.c.stage,
        members.c.pack.label("m_pack"),
        members.c.interests,
        members.c.is_organiser,
        members.c.background,
        members.c.visa,
    ).select_from(j)


def _community(row: Any) -> Community:
    return Community(row.id, row.name, row.timezone, row.pack, dict(row.settings or {}))


def _profile(row: Any) -> Profile:
    return Profile(
        row.id,
        row.member_id,
        row.display_name,
        row.m_timezone,
        row.stage,
        row.m_pack,
        tuple(row.interests or ()),
        bool(row.is_organiser),
        row.background,
        row.visa,
    )


async def load_membership(
    conn: AsyncConnection, community_id: str, member_id: str
) -> tuple[Community | None, Profile | None]:
    """Community and member in a single round trip (either may be missing)."""
    return (await load_memberships(conn, [(community_id, member_id)]))[0]


async def load_memberships(
    conn: AsyncConnection, keys: Sequence[tuple[str, str]]
) -> list[tuple[Community | None, Profile | None]]:
    """`load_membership` for each (community, member) key, in one round trip."""
    dialect = conn.dialect.name
    params = key_params(dialect, _KEYS, [(i, c, m) for i, (c, m) in enumerate(keys)])
    found: list[tuple[Community | None, Profile | None]] = [(None, None)] * len(keys)
    for row in await conn.execute(_memberships_query(dialect), params):
        found[row.key] = (_community(row), None if row.member_id is None else _profile(row))
    return found


async def create_community(
    conn: AsyncConnection, community_id: str, pack: str, now: datetime, name: str = ""
) -> Community:
    await conn.execute(
        insert_ignore(conn, communities, ["id"]).values(
            id=community_id, name=name, timezone="UTC", pack=pack, settings={}, created_at=now
        )
    )
    community, _ = await load_membership(conn, community_id, "")
    assert community is not None
    return community


async def create_member(
    conn: AsyncConnection,
    community_id: str,
    member_id: str,
    display_name: str,
    now: datetime,
    timezone: str | None = None,
) -> Profile:
    await conn.execute(
        insert_ignore(conn, members, ["community_id", "member_id"]).values(
            community_id=community_id,
            member_id=member_id,
            display_name=display_name[:100],
            timezone=timezone,
            interests=[],
            is_organiser=False,
            created_at=now,
            updated_at=now,
        )
    )
    return Profile(community_id, member_id, display_name[:100], timezone)


async def update_profile(
    conn: AsyncConnection, community_id: str, member_id: str, now: datetime, **values: Any
) -> None:
    await conn.execute(
        update(members)
        .where(members.c.community_id == community_id, members.c.member_id == member_id)
        .values(updated_at=now, **values)
    )


async def update_community(conn: AsyncConnection, community_id: str, **values: Any) -> None:
    await conn.execute(update(communities).where(communities.c.id == community_id).values(**values))


async def get_profile(conn: AsyncConnection, community_id: str, member_id: str) -> Profile | None:
    _, profile = await load_membership(conn, community_id, member_id)
    return profile


async def platform_communities(conn: AsyncConnection, platform: str, member_id: str) -> list[str]:
    """The communities of one platform where this member id has a profile."""
    rows = await conn.execute(
        select(members.c.community_id).where(
            members.c.member_id == member_id, members.c.community_id.startswith(platform + ":")
        )
    )
    return sorted(rows.scalars())
