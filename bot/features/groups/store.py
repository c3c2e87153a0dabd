"""Queries for groups and check-ins. Every one filters by community; the member
state a check-in needs comes back in one round trip, shared by the members who
ask at the same moment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CompoundSelect,
    Date,
    Integer,
    Select,
    String,
    cast,
    delete,
    func,
    literal,
    null,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from bot.features.groups.cycle import Cycle
from bot.features.groups.suggestions import Suggester
from bot.features.groups.tables import (
    ID,
    checkin_skips,
    checkins,
    peer_group_members,
    peer_group_wants,
    peer_groups,
)
from bot.storage.keys import key_params, key_table
from bot.storage.types import UTCDateTime
from bot.storage.upsert import insert_ignore

G, GM = peer_groups, peer_group_members


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    pack: str
    cycle: Cycle
    channel_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class Checkin:
    week: date
    group_id: int
    review: list[dict[str, str]]
    win: str
    blocker: str
    commitments: list[str]
    revision: int
    updated_at: datetime
    wants_help: bool = False


@dataclass
class MemberState:
    """A member's group, group-mates, recent check-ins and skips."""

    group: Group | None = None
    joined_at: datetime | None = None
    mates: dict[str, datetime] = field(default_factory=dict)  # member -> joined_at (incl. self)
    checkins: dict[date, Checkin] = field(default_factory=dict)
    skips: dict[date, str] = field(default_factory=dict)
    suggested: dict[str, int] = field(default_factory=dict)  # suggester -> its count


def _group(row: Any) -> Group:
    cycle = Cycle(
        row.prompt_day,
        row.prompt_hour,
        row.prompt_minute,
        row.timezone,
        row.deadline_minutes,
        row.nudge_minutes,
    )
    return Group(row.id, row.name, row.pack, cycle, row.channel_id, row.created_at)


def _checkin(row: Any) -> Checkin:
    return Checkin(
        row.week,
        int(row.group_id),
        list(row.review or []),
        row.win or "",
        row.blocker or "",
        list(row.commitments or []),
        int(row.revision or 1),
        row.updated_at,
        bool(row.wants_help),
    )


# --- member state, for many members in one round trip -----------------------------


@dataclass(frozen=True)
class StateKey:
    """Whose state, since when, and which suggesters' counts with their parameters
    (`params`: sorted (name, value) pairs, shared by the keys of one statement)."""

    community_id: str
    member_id: str
    since: date
    suggesters: tuple[Suggester, ...] = ()
    params: tuple[tuple[str, Any], ...] = ()


_UNION_COLS: dict[str, Any] = {
    "key": Integer(),
    "kind": String(1),
    "id": ID,
    "name": String(40),
    "pack": String(40),
    "prompt_day": Integer(),
    "prompt_hour": Integer(),
    "prompt_minute": Integer(),
    "timezone": String(64),
    "deadline_minutes": Integer(),
    "nudge_minutes": Integer(),
    "channel_id": String(80),
    "created_at": UTCDateTime(),
    "member": String(80),
    "at": UTCDateTime(),
    "week": Date(),
    "group_id": ID,
    "review": JSON(),
    "win": String(1000),
    "blocker": String(1000),
    "wants_help": Boolean(),
    "commitments": JSON(),
    "revision": Integer(),
    "updated_at": UTCDateTime(),
}


_GROUP_COLS: tuple[str, ...] = ("id", "name", "pack", "timezone", "channel_id", "created_at")
_GROUP_COLS += ("prompt_day", "prompt_hour", "prompt_minute", "deadline_minutes", "nudge_minutes")
_CHECKIN_COLS: tuple[str, ...] = ("week", "group_id", "review", "win", "blocker", "wants_help")
_CHECKIN_COLS += ("commitments", "revision", "updated_at")


def _padded(given: dict[str, ColumnElement[Any]]) -> list[ColumnElement[Any]]:
    out: list[ColumnElement[Any]] = []
    for name, type_ in _UNION_COLS.items():
        col = given.get(name)
        out.append((col if col is not None else cast(null(), type_)).label(name))
    return out


_KEY_COLUMNS: dict[str, Any] = {
    "key": Integer(),
    "community_id": String(),
    "member_id": String(),
    "since": Date(),
}


@cache
def _member_state_query(dialect: str, suggesters: tuple[Suggester, ...]) -> CompoundSelect:
    """Built once per suggester set, for any number of keys: constructing this
    statement (and compiling it) costs more than running it."""
    keys = key_table(dialect, _KEY_COLUMNS)

    def rows(kind: str, cols: dict[str, ColumnElement[Any]]) -> Select[Any]:
        return select(*_padded({"key": keys.c.key, "kind": literal(kind, String(1)), **cols}))

    def own(t: Any, recent: bool = False) -> ColumnElement[bool]:
        """`t`'s rows of the key's member (since the key's `since`)."""
        mine = (t.c.community_id == keys.c.community_id) & (t.c.member_id == keys.c.member_id)
        return mine & (t.c.week >= keys.c.since) if recent else mine

    me, mates = GM.alias("me"), GM.alias("mates")
    group_rows = (
        rows(
            "m",
            {
                **{c: G.c[c] for c in _GROUP_COLS},
                "member": mates.c.member_id,
                "at": mates.c.joined_at,
            },
        )
        .select_from(keys)
        .join(me, own(me))
        .join(G, (G.c.community_id == me.c.community_id) & (G.c.id == me.c.group_id))
        .join(
            mates,
            (mates.c.community_id == me.c.community_id) & (mates.c.group_id == me.c.group_id),
        )
    )
    checkin_rows = (
        rows("c", {c: checkins.c[c] for c in _CHECKIN_COLS})
        .select_from(keys)
        .join(checkins, own(checkins, recent=True))
    )
    skip_rows = (
        rows("s", {"week": checkin_skips.c.week, "win": checkin_skips.c.reason})
        .select_from(keys)
        .join(checkin_skips, own(checkin_skips, recent=True))
    )
    counts = [
        rows(
            "x",
            {
                "name": literal(s.name, String(40)),
                "revision": s.count(keys.c.community_id, keys.c.member_id),
            },
        ).select_from(keys)
        for s in suggesters
    ]
    return group_rows.union_all(checkin_rows, skip_rows, *counts)


async def member_states(conn: AsyncConnection, keys: Sequence[StateKey]) -> list[MemberState]:
    """Each key's member state: the member's group (with mates), check-ins and skips
    since the key's `since`, and each suggester's count. One statement for the keys
    that share suggesters and parameters (in a burst, all of them)."""
    states = [MemberState() for _ in keys]
    alike: dict[tuple[tuple[Suggester, ...], tuple[tuple[str, Any], ...]], list[int]] = {}
    for i, key in enumerate(keys):
        alike.setdefault((key.suggesters, key.params), []).append(i)
    dialect = conn.dialect.name
    for (suggesters, params), which in alike.items():
        rows = [(i, keys[i].community_id, keys[i].member_id, keys[i].since) for i in which]
        values = key_params(dialect, _KEY_COLUMNS, rows) | dict(params)
        for row in await conn.execute(_member_state_query(dialect, suggesters), values):
            _add(states[row.key], keys[row.key].member_id, row)
    return states


def _add(state: MemberState, member_id: str, row: Any) -> None:
    if row.kind == "m":
        if state.group is None:
            state.group = _group(row)
        state.mates[row.member] = row.at
        if row.member == member_id:
            state.joined_at = row.at
    elif row.kind == "c":
        state.checkins[row.week] = _checkin(row)
    elif row.kind == "x":
        state.suggested[row.name] = int(row.revision or 0)
    else:
        state.skips[row.week] = row.win or ""


# --- groups ------------------------------------------------------------------------


def group_name(typed: str) -> str:
    """A group's name as stored, from how it was typed: "Tuesday Crew" is tuesday-crew."""
    return "-".join(typed.lower().replace("_", " ").split())


async def find_group(conn: AsyncConnection, community_id: str, name: str) -> Group | None:
    row = (
        await conn.execute(
            select(G).where(G.c.community_id == community_id, G.c.name == group_name(name))
        )
    ).first()
    return _group(row) if row else None


async def get_group(conn: AsyncConnection, community_id: str, group_id: int) -> Group | None:
    row = (
        await conn.execute(select(G).where(G.c.community_id == community_id, G.c.id == group_id))
    ).first()
    return _group(row) if row else None


async def list_groups(conn: AsyncConnection, community_id: str) -> list[tuple[Group, int]]:
    count = (
        select(func.count())
        .where(GM.c.community_id == community_id, GM.c.group_id == G.c.id)
        .scalar_subquery()
    )
    rows = (
        await conn.execute(
            select(G, count.label("n")).where(G.c.community_id == community_id).order_by(G.c.name)
        )
    ).all()
    return [(_group(r), int(r.n)) for r in rows]


async def created_by(conn: AsyncConnection, community_id: str, group_id: int) -> str | None:
    """Who started the group: its organiser, who may point it at a channel."""
    row = await conn.execute(
        select(peer_groups.c.created_by).where(
            peer_groups.c.community_id == community_id, peer_groups.c.id == group_id
        )
    )
    return row.scalar()


async def group_of(
    conn: AsyncConnection, community_id: str, member_id: str
) -> tuple[Group, datetime] | None:
    row = (
        await conn.execute(
            select(G, GM.c.joined_at)
            .join(GM, (GM.c.community_id == G.c.community_id) & (GM.c.group_id == G.c.id))
            .where(GM.c.community_id == community_id, GM.c.member_id == member_id)
        )
    ).first()
    return (_group(row), row.joined_at) if row else None


async def members_of(
    conn: AsyncConnection, community_id: str, group_id: int
) -> dict[str, datetime]:
    rows = await conn.execute(
        select(GM.c.member_id, GM.c.joined_at)
        .where(GM.c.community_id == community_id, GM.c.group_id == group_id)
        .order_by(GM.c.member_id)
    )
    return {r.member_id: r.joined_at for r in rows}


async def create_group(
    conn: AsyncConnection,
    community_id: str,
    name: str,
    pack: str,
    cycle: Cycle,
    created_by: str,
    now: datetime,
) -> int | None:
    """Insert a group with its weekly cycle; None when the name is taken in this community."""
    stmt = insert_ignore(conn, G, ["community_id", "name"]).values(
        community_id=community_id,
        name=name,
        pack=pack,
        prompt_day=cycle.day,
        prompt_hour=cycle.hour,
        prompt_minute=cycle.minute,
        timezone=cycle.timezone,
        deadline_minutes=cycle.deadline_minutes,
        nudge_minutes=cycle.nudge_minutes,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    return (await conn.execute(stmt.returning(G.c.id))).scalar_one_or_none()


async def lock_group(
    conn: AsyncConnection, community_id: str, group_id: int, now: datetime
) -> bool:
    """Take the group's write lock for this transaction (a write on both databases,
    so concurrent joins queue up); False when the group is not in this community."""
    result = await conn.execute(
        update(G).where(G.c.community_id == community_id, G.c.id == group_id).values(updated_at=now)
    )
    return bool(result.rowcount)


async def count_members(conn: AsyncConnection, community_id: str, group_id: int) -> int:
    stmt = select(func.count()).where(GM.c.community_id == community_id, GM.c.group_id == group_id)
    return int((await conn.execute(stmt)).scalar_one())


async def add_member(
    conn: AsyncConnection, community_id: str, group_id: int, member_id: str, now: datetime
) -> bool:
    """Put the member in the group; False when they are already in one."""
    stmt = insert_ignore(conn, GM, ["community_id", "member_id"]).values(
        community_id=community_id, member_id=member_id, group_id=group_id, joined_at=now
    )
    added = (await conn.execute(stmt.returning(GM.c.member_id))).scalar_one_or_none()
    if added:
        await conn.execute(
            delete(peer_group_wants).where(
                peer_group_wants.c.community_id == community_id,
                peer_group_wants.c.member_id == member_id,
            )
        )
    return added is not None


async def remove_member(conn: AsyncConnection, community_id: str, member_id: str) -> None:
    await conn.execute(
        delete(GM).where(GM.c.community_id == community_id, GM.c.member_id == member_id)
    )


async def delete_group(conn: AsyncConnection, community_id: str, group_id: int) -> None:
    await conn.execute(delete(G).where(G.c.community_id == community_id, G.c.id == group_id))


async def update_group(
    conn: AsyncConnection, community_id: str, group_id: int, **values: Any
) -> None:
    await conn.execute(
        update(G).where(G.c.community_id == community_id, G.c.id == group_id).values(**values)
    )


# --- wants ---------------------------------------------------------------------------


async def add_want(conn: AsyncConnection, community_id: str, member_id: str, now: datetime) -> bool:
    stmt = insert_ignore(conn, peer_group_wants, ["community_id", "member_id"]).values(
        community_id=community_id, member_id=member_id, created_at=now
    )
    return (await conn.execute(stmt.returning(peer_group_wants.c.member_id))).first() is not None


async def drop_want(conn: AsyncConnection, community_id: str, member_id: str) -> bool:
    result = await conn.execute(
        delete(peer_group_wants).where(
            peer_group_wants.c.community_id == community_id,
            peer_group_wants.c.member_id == member_id,
        )
    )
    return bool(result.rowcount)


async def wanting(conn: AsyncConnection, community_id: str) -> list[str]:
    """Members who asked for a group and are in none."""
    in_group = select(GM.c.member_id).where(GM.c.community_id == community_id)
    rows = await conn.execute(
        select(peer_group_wants.c.member_id)
        .where(
            peer_group_wants.c.community_id == community_id,
            peer_group_wants.c.member_id.not_in(in_group),
        )
        .order_by(peer_group_wants.c.member_id)
    )
    return list(rows.scalars())


# --- check-ins and skips ----------------------------------------------------------------


async def save_checkin(
    conn: AsyncConnection,
    community_id: str,
    member_id: str,
    week: date,
    group_id: int,
    *,
    review: list[dict[str, str]],
    win: str,
    blocker: str,
    commitments: list[str],
    now: datetime,
) -> int:
    """Insert this week's check-in or update it (never a second row); returns the
    revision (1 for a first check-in)."""
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = module.insert(checkins).values(
        community_id=community_id,
        member_id=member_id,
        week=week,
        group_id=group_id,
        review=review,
        win=win,
        blocker=blocker,
        commitments=commitments,
        revision=1,
        created_at=now,
        updated_at=now,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["community_id", "member_id", "week"],
        set_={
            **{
                c: stmt.excluded[c]
                for c in ("group_id", "review", "win", "blocker", "commitments", "updated_at")
            },
            "revision": checkins.c.revision + 1,
        },
    )
    return int((await conn.execute(stmt.returning(checkins.c.revision))).scalar_one())


async def set_wants_help(
    conn: AsyncConnection, community_id: str, member_id: str, week: date, wants: bool
) -> int:
    """Mark (or unmark) a check-in's blocker as one the member would like help with."""
    result = await conn.execute(
        update(checkins)
        .where(
            checkins.c.community_id == community_id,
            checkins.c.member_id == member_id,
            checkins.c.week == week,
        )
        .values(wants_help=wants)
    )
    return int(result.rowcount or 0)


async def add_skips(
    conn: AsyncConnection,
    community_id: str,
    member_id: str,
    weeks: Sequence[date],
    reason: str,
    now: datetime,
) -> None:
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = module.insert(checkin_skips).values(
        [
            dict(
                community_id=community_id,
                member_id=member_id,
                week=w,
                reason=reason,
                created_at=now,
            )
            for w in weeks
        ]
    )
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["community_id", "member_id", "week"],
            set_={"reason": stmt.excluded.reason},
        )
    )


@dataclass
class GroupWeeks:
    """Everything about a group's members' weeks since a date, for digests and stats."""

    members: dict[str, datetime]
    checkins: dict[str, dict[date, Checkin]]
    skips: dict[str, set[date]]


async def group_weeks(
    conn: AsyncConnection, community_id: str, group_id: int, since: date
) -> GroupWeeks:
    members = await members_of(conn, community_id, group_id)
    out = GroupWeeks(members, {m: {} for m in members}, {m: set() for m in members})
    if not members:
        return out
    ids = list(members)
    rows = await conn.execute(
        select(checkins).where(
            checkins.c.community_id == community_id,
            checkins.c.member_id.in_(ids),
            checkins.c.week >= since,
        )
    )
    for r in rows:
        out.checkins[r.member_id][r.week] = _checkin(r)
    skips = await conn.execute(
        select(checkin_skips.c.member_id, checkin_skips.c.week).where(
            checkin_skips.c.community_id == community_id,
            checkin_skips.c.member_id.in_(ids),
            checkin_skips.c.week >= since,
        )
    )
    for s in skips:
        out.skips[s.member_id].add(s.week)
    return out
