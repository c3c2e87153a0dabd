"""Queries for pitches, versions and reviews. Every query filters by community."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.pitch.analyser import Analysis
from bot.features.pitch.rules import CRITERIA
from bot.features.pitch.tables import pitch_reviews, pitch_versions, pitches
from bot.storage.tables import members


@dataclass(frozen=True)
class Pitch:
    id: int
    author_id: str
    author_name: str
    kind: str
    channel_id: str
    latest_version: int
    deleted: bool
    text: str  # the latest version's text
    missing: tuple[str, ...]
    flags: tuple[str, ...]


@dataclass(frozen=True)
class QueueItem:
    id: int
    author_id: str
    author_name: str
    kind: str
    version: int
    reviews: int


@dataclass(frozen=True)
class VersionSummary:
    number: int
    reviews: int
    scores: dict[str, float]  # criterion -> mean, only when reviewed
    missing: tuple[str, ...]
    flags: tuple[str, ...]


def _author_join() -> Any:
    return pitches.outerjoin(
        members,
        and_(
            members.c.community_id == pitches.c.community_id,
            members.c.member_id == pitches.c.author_id,
        ),
    )


async def create(
    conn: AsyncConnection,
    community_id: str,
    author_id: str,
    kind: str,
    channel_id: str,
    text: str,
    analysis: Analysis,
    now: datetime,
) -> int:
    result = await conn.execute(
        insert(pitches).values(
            community_id=community_id,
            author_id=author_id,
            kind=kind,
            channel_id=channel_id,
            latest_version=1,
            created_at=now,
            updated_at=now,
        )
    )
    pitch_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    await _add_version(conn, community_id, pitch_id, 1, text, analysis, now)
    return pitch_id


async def _add_version(
    conn: AsyncConnection,
    community_id: str,
    pitch_id: int,
    number: int,
    text: str,
    analysis: Analysis,
    now: datetime,
) -> None:
    await conn.execute(
        insert(pitch_versions).values(
            community_id=community_id,
            pitch_id=pitch_id,
            number=number,
            text=text,
            words=analysis.words,
            seconds=analysis.seconds,
            missing=list(analysis.missing),
            flags=list(analysis.flags),
            created_at=now,
        )
    )


async def add_version(
    conn: AsyncConnection,
    community_id: str,
    pitch: Pitch,
    text: str,
    analysis: Analysis,
    now: datetime,
) -> int:
    number = pitch.latest_version + 1
    await _add_version(conn, community_id, pitch.id, number, text, analysis, now)
    await conn.execute(
        update(pitches)
        .where(pitches.c.community_id == community_id, pitches.c.id == pitch.id)
        .values(latest_version=number, updated_at=now)
    )
    return number


async def get(conn: AsyncConnection, community_id: str, pitch_id: int) -> Pitch | None:
    """A pitch with its latest version, in one round trip."""
    j = _author_join().join(
        pitch_versions,
        and_(
            pitch_versions.c.community_id == pitches.c.community_id,
            pitch_versions.c.pitch_id == pitches.c.id,
            pitch_versions.c.number == pitches.c.latest_version,
        ),
    )
    row = (
        await conn.execute(
            select(
                pitches.c.id,
                pitches.c.author_id,
                members.c.display_name,
                pitches.c.kind,
                pitches.c.channel_id,
                pitches.c.latest_version,
                pitches.c.deleted_at,
                pitch_versions.c.text,
                pitch_versions.c.missing,
                pitch_versions.c.flags,
            )
            .select_from(j)
            .where(pitches.c.community_id == community_id, pitches.c.id == pitch_id)
        )
    ).first()
    if row is None:
        return None
    return Pitch(
        row.id,
        row.author_id,
        row.display_name or row.author_id,
        row.kind,
        row.channel_id,
        row.latest_version,
        row.deleted_at is not None,
        row.text,
        tuple(row.missing or ()),
        tuple(row.flags or ()),
    )


async def latest_of(conn: AsyncConnection, community_id: str, author_id: str) -> list[int]:
    """The author's live pitches, newest first."""
    rows = await conn.execute(
        select(pitches.c.id)
        .where(
            pitches.c.community_id == community_id,
            pitches.c.author_id == author_id,
            pitches.c.deleted_at.is_(None),
        )
        .order_by(pitches.c.updated_at.desc(), pitches.c.id.desc())
    )
    return [int(r[0]) for r in rows]


async def my_review(
    conn: AsyncConnection, community_id: str, pitch_id: int, version: int, reviewer_id: str
) -> dict[str, Any] | None:
    row = (
        await conn.execute(
            select(pitch_reviews).where(
                pitch_reviews.c.community_id == community_id,
                pitch_reviews.c.pitch_id == pitch_id,
                pitch_reviews.c.version == version,
                pitch_reviews.c.reviewer_id == reviewer_id,
            )
        )
    ).first()
    return dict(row._mapping) if row else None


async def save_review(
    conn: AsyncConnection,
    community_id: str,
    pitch_id: int,
    version: int,
    reviewer_id: str,
    scores: dict[str, int],
    comment: str,
    now: datetime,
) -> tuple[int, bool]:
    """Insert the reviewer's review of this version, or update it. -> (id, updated)."""
    existing = await my_review(conn, community_id, pitch_id, version, reviewer_id)
    if existing is not None:
        await conn.execute(
            update(pitch_reviews)
            .where(
                pitch_reviews.c.community_id == community_id, pitch_reviews.c.id == existing["id"]
            )
            .values(**scores, comment=comment, updated_at=now)
        )
        return int(existing["id"]), True
    result = await conn.execute(
        insert(pitch_reviews).values(
            community_id=community_id,
            pitch_id=pitch_id,
            version=version,
            reviewer_id=reviewer_id,
            comment=comment,
            created_at=now,
            updated_at=now,
            **scores,
        )
    )
    return int(result.inserted_primary_key[0]), False  # type: ignore[index]


async def reviews_given(conn: AsyncConnection, community_id: str, member_id: str) -> int:
    n = await conn.scalar(
        select(func.count(pitch_reviews.c.id)).where(
            pitch_reviews.c.community_id == community_id,
            pitch_reviews.c.reviewer_id == member_id,
        )
    )
    return int(n or 0)


async def queue(
    conn: AsyncConnection, community_id: str, member_id: str, limit: int
) -> list[QueueItem]:
    """Live pitches by others whose latest version this member has not reviewed,
    fewest reviews first, then oldest."""
    r = pitch_reviews
    n = func.count(r.c.id)
    mine = func.coalesce(func.sum(case((r.c.reviewer_id == member_id, 1), else_=0)), 0)
    j = _author_join().outerjoin(
        r,
        and_(
            r.c.community_id == pitches.c.community_id,
            r.c.pitch_id == pitches.c.id,
            r.c.version == pitches.c.latest_version,
        ),
    )
    rows = await conn.execute(
        select(
            pitches.c.id,
            pitches.c.author_id,
            members.c.display_name,
            pitches.c.kind,
            pitches.c.latest_version,
            n.label("n"),
        )
        .select_from(j)
        .where(
            pitches.c.community_id == community_id,
            pitches.c.deleted_at.is_(None),
            pitches.c.author_id != member_id,
        )
        .group_by(
            pitches.c.id,
            pitches.c.author_id,
            members.c.display_name,
            pitches.c.kind,
            pitches.c.latest_version,
            pitches.c.created_at,
        )
        .having(mine == 0)
        .order_by(n, pitches.c.created_at, pitches.c.id)
        .limit(limit)
    )
    return [
        QueueItem(
            int(x.id), x.author_id, x.display_name or x.author_id, x.kind, x.latest_version, x.n
        )
        for x in rows
    ]


async def versions(conn: AsyncConnection, community_id: str, pitch_id: int) -> list[VersionSummary]:
    """Every version with its automatic check and mean review scores."""
    r = pitch_reviews
    means = [func.avg(getattr(r.c, c)).label(c) for c in CRITERIA]
    j = pitch_versions.outerjoin(
        r,
        and_(
            r.c.community_id == pitch_versions.c.community_id,
            r.c.pitch_id == pitch_versions.c.pitch_id,
            r.c.version == pitch_versions.c.number,
        ),
    )
    rows = await conn.execute(
        select(
            pitch_versions.c.number,
            pitch_versions.c.missing,
            pitch_versions.c.flags,
            func.count(r.c.id).label("n"),
            *means,
        )
        .select_from(j)
        .where(
            pitch_versions.c.community_id == community_id,
            pitch_versions.c.pitch_id == pitch_id,
        )
        # JSON columns can't be grouped on PostgreSQL; they depend on the primary key.
        .group_by(pitch_versions.c.id, pitch_versions.c.number)
        .order_by(pitch_versions.c.number)
    )
    out = []
    for x in rows:
        scores = {c: round(float(getattr(x, c)), 2) for c in CRITERIA} if x.n else {}
        out.append(VersionSummary(x.number, int(x.n), scores, tuple(x.missing), tuple(x.flags)))
    return out


async def comments(
    conn: AsyncConnection, community_id: str, pitch_id: int, version: int
) -> list[tuple[str, str]]:
    """(reviewer name, comment) for one version, oldest first."""
    j = pitch_reviews.outerjoin(
        members,
        and_(
            members.c.community_id == pitch_reviews.c.community_id,
            members.c.member_id == pitch_reviews.c.reviewer_id,
        ),
    )
    rows = await conn.execute(
        select(pitch_reviews.c.reviewer_id, members.c.display_name, pitch_reviews.c.comment)
        .select_from(j)
        .where(
            pitch_reviews.c.community_id == community_id,
            pitch_reviews.c.pitch_id == pitch_id,
            pitch_reviews.c.version == version,
            pitch_reviews.c.comment != "",
        )
        .order_by(pitch_reviews.c.created_at, pitch_reviews.c.id)
    )
    return [(x.display_name or x.reviewer_id, x.comment) for x in rows]


async def delete(conn: AsyncConnection, community_id: str, pitch_id: int, now: datetime) -> None:
    """Withdraw a pitch: mark it deleted and blank its texts and review comments."""
    await conn.execute(
        update(pitches)
        .where(pitches.c.community_id == community_id, pitches.c.id == pitch_id)
        .values(deleted_at=now, updated_at=now)
    )
    await conn.execute(
        update(pitch_versions)
        .where(pitch_versions.c.community_id == community_id, pitch_versions.c.pitch_id == pitch_id)
        .values(text="")
    )
    await conn.execute(
        update(pitch_reviews)
        .where(pitch_reviews.c.community_id == community_id, pitch_reviews.c.pitch_id == pitch_id)
        .values(comment="")
    )
