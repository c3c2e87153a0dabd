"""Reading and writing mentoring rows. Every query filters by community."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.mentoring.scoring import Person
from bot.features.mentoring.tables import (
    mentoring_exclusions,
    mentoring_pairs,
    mentoring_rounds,
    mentoring_signups,
)
from bot.storage.tables import members
from bot.storage.upsert import insert_ignore, upsert

MENTOR, MENTEE = "mentor", "mentee"
LIVE_PAIR = ("proposed", "accepted")
UNPUBLISHED = ("open", "closed")
LISTS = ("kinds", "focus", "languages", "visa_help", "sponsors")


@dataclass(frozen=True)
class Signup:
    member_id: str
    role: str
    name: str
    pack: str
    kinds: tuple[str, ...]
    focus: tuple[str, ...]
    stage: str | None
    img: str
    timezone: str
    languages: tuple[str, ...]
    capacity: int
    goal: str
    active: bool
    background: str | None = None
    visa: str | None = None
    visa_important: bool = False
    visa_help: tuple[str, ...] = ()
    sponsors: tuple[str, ...] = ()

    def person(self) -> Person:
        return Person(
            member_id=self.member_id,
            name=self.name or self.member_id,
            pack=self.pack,
            kinds=frozenset(self.kinds),
            focus=frozenset(self.focus),
            stage=self.stage,
            img=self.img,
            timezone=self.timezone,
            languages=frozenset(self.languages),
            capacity=self.capacity if self.role == MENTOR else 1,
            goal=self.goal,
            background=self.background,
            visa=self.visa,
            visa_important=self.visa_important,
            visa_help=frozenset(self.visa_help),
            sponsors=frozenset(self.sponsors),
        )

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}  # asdict is 10x slower
        for key in LISTS:
            data[key] = list(data[key])
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Signup:
        values = dict(data)
        for key in LISTS:
            values[key] = tuple(values.get(key) or ())
        return cls(**values)


@dataclass(frozen=True)
class Round:
    id: int
    status: str
    seed: int
    pool: list[dict[str, Any]] | None
    opened_at: datetime
    closed_at: datetime | None
    published_at: datetime | None
    unmatched: list[dict[str, Any]] | None = None  # {"member_id", "reason", "why"}, at publish


@dataclass(frozen=True)
class Pair:
    id: int
    round_id: int
    mentee_id: str
    mentor_id: str
    score: float
    explanation: str
    status: str
    mentee_answer: str | None
    mentor_answer: str | None
    met: str | None
    created_at: datetime | None = None
    nudged_at: datetime | None = None

    def role_of(self, member_id: str) -> str | None:
        if member_id == self.mentee_id:
            return MENTEE
        if member_id == self.mentor_id:
            return MENTOR
        return None

    def other(self, member_id: str) -> str:
        return self.mentor_id if member_id == self.mentee_id else self.mentee_id


_SIGNUP_COLS = (
    mentoring_signups.c.member_id,
    mentoring_signups.c.role,
    func.coalesce(members.c.display_name, "").label("name"),
    mentoring_signups.c.pack,
    mentoring_signups.c.kinds,
    mentoring_signups.c.focus,
    mentoring_signups.c.stage,
    mentoring_signups.c.img,
    mentoring_signups.c.timezone,
    mentoring_signups.c.languages,
    mentoring_signups.c.capacity,
    mentoring_signups.c.goal,
    mentoring_signups.c.active,
    mentoring_signups.c.background,
    mentoring_signups.c.visa,
    mentoring_signups.c.visa_important,
    mentoring_signups.c.visa_help,
    mentoring_signups.c.sponsors,
)
_SIGNUP_JOIN = mentoring_signups.outerjoin(
    members,
    and_(
        members.c.community_id == mentoring_signups.c.community_id,
        members.c.member_id == mentoring_signups.c.member_id,
    ),
)


def _signup(row: Any) -> Signup:
    return Signup(
        row.member_id,
        row.role,
        row.name or "",
        row.pack,
        tuple(row.kinds or ()),
        tuple(row.focus or ()),
        row.stage,
        row.img,
        row.timezone,
        tuple(row.languages or ()),
        int(row.capacity),
        row.goal or "",
        bool(row.active),
        row.background,
        row.visa,
        bool(row.visa_important),
        tuple(row.visa_help or ()),
        tuple(row.sponsors or ()),
    )


async def signups_of(conn: AsyncConnection, community_id: str, member_id: str) -> list[Signup]:
    """A member's sign-ups (mentor and/or mentee)."""
    rows = await conn.execute(
        select(*_SIGNUP_COLS)
        .select_from(_SIGNUP_JOIN)
        .where(
            mentoring_signups.c.community_id == community_id,
            mentoring_signups.c.member_id == member_id,
        )
        .order_by(mentoring_signups.c.role)
    )
    return [_signup(r) for r in rows]


async def active_signups(
    conn: AsyncConnection, community_id: str, role: str | None = None
) -> list[Signup]:
    stmt = (
        select(*_SIGNUP_COLS)
        .select_from(_SIGNUP_JOIN)
        .where(
            mentoring_signups.c.community_id == community_id,
            mentoring_signups.c.active.is_(True),
        )
        .order_by(mentoring_signups.c.role, mentoring_signups.c.member_id)
    )
    if role:
        stmt = stmt.where(mentoring_signups.c.role == role)
    return [_signup(r) for r in await conn.execute(stmt)]


async def save_signup(
    conn: AsyncConnection,
    community_id: str,
    member_id: str,
    role: str,
    values: dict[str, Any],
    now: datetime,
) -> None:
    row = {
        "community_id": community_id,
        "member_id": member_id,
        "role": role,
        "active": True,
        "created_at": now,
        "updated_at": now,
        **values,
    }
    keep = [k for k in row if k not in ("community_id", "member_id", "role", "created_at")]
    await conn.execute(
        upsert(conn, mentoring_signups, ["community_id", "member_id", "role"], row, keep)
    )


async def set_active(
    conn: AsyncConnection, community_id: str, member_id: str, role: str, active: bool, now: datetime
) -> int:
    result = await conn.execute(
        update(mentoring_signups)
        .where(
            mentoring_signups.c.community_id == community_id,
            mentoring_signups.c.member_id == member_id,
            mentoring_signups.c.role == role,
        )
        .values(active=active, updated_at=now)
    )
    return int(result.rowcount or 0)


async def add_exclusion(
    conn: AsyncConnection, community_id: str, member_id: str, excluded_id: str, now: datetime
) -> None:
    await conn.execute(
        insert_ignore(
            conn, mentoring_exclusions, ["community_id", "member_id", "excluded_id"]
        ).values(
            community_id=community_id, member_id=member_id, excluded_id=excluded_id, created_at=now
        )
    )


async def remove_exclusion(
    conn: AsyncConnection, community_id: str, member_id: str, excluded_id: str
) -> int:
    result = await conn.execute(
        delete(mentoring_exclusions).where(
            mentoring_exclusions.c.community_id == community_id,
            mentoring_exclusions.c.member_id == member_id,
            mentoring_exclusions.c.excluded_id == excluded_id,
        )
    )
    return int(result.rowcount or 0)


async def exclusions(
    conn: AsyncConnection, community_id: str, member_id: str | None = None
) -> list[tuple[str, str]]:
    """(member, excluded) rows of the community, or those involving one member."""
    stmt = select(mentoring_exclusions.c.member_id, mentoring_exclusions.c.excluded_id).where(
        mentoring_exclusions.c.community_id == community_id
    )
    if member_id is not None:
        stmt = stmt.where(
            or_(
                mentoring_exclusions.c.member_id == member_id,
                mentoring_exclusions.c.excluded_id == member_id,
            )
        )
    return [(r.member_id, r.excluded_id) for r in await conn.execute(stmt)]


async def forbidden_pairs(
    conn: AsyncConnection, community_id: str, mentee_id: str | None = None
) -> set[tuple[str, str]]:
    """(mentor, mentee) pairs that must not be proposed: exclusions by either
    side (both directions) and every pair proposed before."""
    out: set[tuple[str, str]] = set()
    for a, b in await exclusions(conn, community_id, mentee_id):
        out.add((a, b))
        out.add((b, a))
    stmt = select(mentoring_pairs.c.mentor_id, mentoring_pairs.c.mentee_id).where(
        mentoring_pairs.c.community_id == community_id
    )
    if mentee_id is not None:
        stmt = stmt.where(mentoring_pairs.c.mentee_id == mentee_id)
    out.update((r.mentor_id, r.mentee_id) for r in await conn.execute(stmt))
    return out


def _round(row: Any) -> Round:
    return Round(
        int(row.id),
        row.status,
        int(row.seed),
        row.pool,
        row.opened_at,
        row.closed_at,
        row.published_at,
        row.unmatched,
    )


async def current_round(conn: AsyncConnection, community_id: str) -> Round | None:
    """The round not yet published (open or closed), if any."""
    row = (
        await conn.execute(
            select(mentoring_rounds)
            .where(
                mentoring_rounds.c.community_id == community_id,
                mentoring_rounds.c.status.in_(UNPUBLISHED),
            )
            .order_by(mentoring_rounds.c.id.desc())
            .limit(1)
        )
    ).first()
    return _round(row) if row else None


async def get_round(
    conn: AsyncConnection, community_id: str, round_id: int | None = None
) -> Round | None:
    """A round by id, or the latest one."""
    stmt = select(mentoring_rounds).where(mentoring_rounds.c.community_id == community_id)
    if round_id is not None:
        stmt = stmt.where(mentoring_rounds.c.id == round_id)
    row = (await conn.execute(stmt.order_by(mentoring_rounds.c.id.desc()).limit(1))).first()
    return _round(row) if row else None


async def open_round(
    conn: AsyncConnection, community_id: str, member_id: str, seed: int, now: datetime
) -> int:
    result = await conn.execute(
        mentoring_rounds.insert()
        .values(
            community_id=community_id,
            status="open",
            seed=seed,
            pool=None,
            opened_by=member_id,
            opened_at=now,
        )
        .returning(mentoring_rounds.c.id)
    )
    return int(result.scalar_one())


async def update_round(
    conn: AsyncConnection, community_id: str, round_id: int, **values: Any
) -> None:
    await conn.execute(
        update(mentoring_rounds)
        .where(mentoring_rounds.c.community_id == community_id, mentoring_rounds.c.id == round_id)
        .values(**values)
    )


def _pair(row: Any) -> Pair:
    return Pair(
        int(row.id),
        int(row.round_id),
        row.mentee_id,
        row.mentor_id,
        float(row.score),
        row.explanation,
        row.status,
        row.mentee_answer,
        row.mentor_answer,
        row.met,
        row.created_at,
        row.nudged_at,
    )


async def add_pairs(
    conn: AsyncConnection,
    community_id: str,
    round_id: int,
    pairs: Sequence[tuple[str, str, float, str]],
    now: datetime,
) -> list[int]:
    """Insert (mentee, mentor, score, explanation) rows in few statements;
    returns their ids in order. The ids are matched back by the rows' own values:
    asking the database to keep parameter order makes SQLite insert row by row."""
    if not pairs:
        return []
    rows = [
        {
            "community_id": community_id,
            "round_id": round_id,
            "mentee_id": mentee_id,
            "mentor_id": mentor_id,
            "score": score,
            "explanation": why[:300],
            "status": "proposed",
            "created_at": now,
            "updated_at": now,
        }
        for mentee_id, mentor_id, score, why in pairs
    ]
    c = mentoring_pairs.c
    result = await conn.execute(
        mentoring_pairs.insert().returning(c.id, c.mentee_id, c.mentor_id, c.explanation), rows
    )
    ids: dict[tuple[str, str, str], list[int]] = {}
    for r in sorted(result.all(), key=lambda r: int(r.id), reverse=True):
        ids.setdefault((r.mentee_id, r.mentor_id, r.explanation), []).append(int(r.id))
    return [ids[(mentee, mentor, why[:300])].pop() for mentee, mentor, _, why in pairs]


async def get_pair(conn: AsyncConnection, community_id: str, pair_id: int) -> Pair | None:
    row = (
        await conn.execute(
            select(mentoring_pairs).where(
                mentoring_pairs.c.community_id == community_id, mentoring_pairs.c.id == pair_id
            )
        )
    ).first()
    return _pair(row) if row else None


async def round_pairs(conn: AsyncConnection, community_id: str, round_id: int) -> list[Pair]:
    rows = await conn.execute(
        select(mentoring_pairs)
        .where(
            mentoring_pairs.c.community_id == community_id,
            mentoring_pairs.c.round_id == round_id,
        )
        .order_by(mentoring_pairs.c.id)
    )
    return [_pair(r) for r in rows]


async def pairs_of(conn: AsyncConnection, community_id: str, member_id: str) -> list[Pair]:
    rows = await conn.execute(
        select(mentoring_pairs)
        .where(
            mentoring_pairs.c.community_id == community_id,
            or_(
                mentoring_pairs.c.mentee_id == member_id,
                mentoring_pairs.c.mentor_id == member_id,
            ),
        )
        .order_by(mentoring_pairs.c.id)
    )
    return [_pair(r) for r in rows]


async def live_load(conn: AsyncConnection, community_id: str, round_id: int) -> dict[str, int]:
    """How many live pairs each mentor has in a round."""
    rows = await conn.execute(
        select(mentoring_pairs.c.mentor_id, func.count())
        .where(
            mentoring_pairs.c.community_id == community_id,
            mentoring_pairs.c.round_id == round_id,
            mentoring_pairs.c.status.in_(LIVE_PAIR),
        )
        .group_by(mentoring_pairs.c.mentor_id)
    )
    return {r[0]: int(r[1]) for r in rows}


async def update_pair(
    conn: AsyncConnection, community_id: str, pair_id: int, now: datetime, **values: Any
) -> None:
    await conn.execute(
        update(mentoring_pairs)
        .where(mentoring_pairs.c.community_id == community_id, mentoring_pairs.c.id == pair_id)
        .values(updated_at=now, **values)
    )


async def names(
    conn: AsyncConnection, community_id: str, member_ids: Iterable[str]
) -> dict[str, str]:
    ids = sorted(set(member_ids))
    if not ids:
        return {}
    rows = await conn.execute(
        select(members.c.member_id, members.c.display_name).where(
            members.c.community_id == community_id, members.c.member_id.in_(ids)
        )
    )
    return {r.member_id: r.display_name or r.member_id for r in rows}


async def publish_round(
    conn: AsyncConnection,
    community_id: str,
    round_id: int,
    now: datetime,
    pool: list[dict[str, Any]] | None,
    unmatched: list[dict[str, Any]],
) -> bool:
    """Mark the round published, unless someone else already did (then False).
    `pool` freezes the pool of a round published without closing (None keeps the
    one frozen at close)."""
    result = await conn.execute(
        update(mentoring_rounds)
        .where(
            mentoring_rounds.c.community_id == community_id,
            mentoring_rounds.c.id == round_id,
            mentoring_rounds.c.status.in_(UNPUBLISHED),
        )
        .values(
            status="published",
            published_at=now,
            closed_at=func.coalesce(mentoring_rounds.c.closed_at, now),
            unmatched=unmatched,
            **({} if pool is None else {"pool": pool}),
        )
    )
    return bool(result.rowcount)
