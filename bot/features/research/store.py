"""Reading and writing research projects, always inside one member's own
portfolio; organisers' figures are counts over the community, never rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.research.tables import research_deadlines, research_moves, research_projects

P, M, D = research_projects, research_moves, research_deadlines


@dataclass(frozen=True)
class Collaborator:
    name: str
    contact: int | None = None  # the member's contact row, when it is one

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "contact": self.contact}


@dataclass(frozen=True)
class Project:
    id: int
    kind: str
    title: str
    role: str
    venue: str
    venue_id: str | None
    related: bool
    authors: str
    collaborators: tuple[Collaborator, ...]
    stage: str
    stage_at: datetime
    commit_at: datetime | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: Row[Any]) -> Project:
        people = tuple(
            Collaborator(str(c.get("name", "")), c.get("contact")) for c in row.collaborators or []
        )
        return cls(
            row.id,
            row.kind,
            row.title,
            row.role,
            row.venue,
            row.venue_id,
            bool(row.related),
            row.authors,
            people,
            row.stage,
            row.stage_at,
            row.commit_at,
            row.created_at,
        )


@dataclass(frozen=True)
class Move:
    from_stage: str | None
    to_stage: str
    note: str
    at: datetime


@dataclass(frozen=True)
class NewProject:
    kind: str
    title: str
    role: str
    venue: str
    venue_id: str | None
    related: bool
    authors: str
    stage: str
    collaborators: list[Collaborator] = field(default_factory=list)


def _owner(community_id: str, member_id: str) -> Any:
    return (P.c.community_id == community_id) & (P.c.member_id == member_id)


async def count(conn: AsyncConnection, community_id: str, member_id: str) -> int:
    stmt = select(func.count()).where(_owner(community_id, member_id))
    return int((await conn.execute(stmt)).scalar_one())


async def add(
    conn: AsyncConnection, community_id: str, member_id: str, new: NewProject, now: datetime
) -> int:
    result = await conn.execute(
        insert(P)
        .values(
            community_id=community_id,
            member_id=member_id,
            kind=new.kind,
            title=new.title,
            role=new.role,
            venue=new.venue,
            venue_id=new.venue_id,
            related=new.related,
            authors=new.authors,
            collaborators=[c.to_json() for c in new.collaborators],
            stage=new.stage,
            stage_at=now,
            created_at=now,
            updated_at=now,
        )
        .returning(P.c.id)
    )
    project_id = int(result.scalar_one())
    await _log(conn, community_id, member_id, project_id, None, new.stage, "", now)
    return project_id


async def _log(
    conn: AsyncConnection,
    community_id: str,
    member_id: str,
    project_id: int,
    from_stage: str | None,
    to_stage: str,
    note: str,
    now: datetime,
) -> None:
    await conn.execute(
        insert(M).values(
            community_id=community_id,
            member_id=member_id,
            project_id=project_id,
            from_stage=from_stage,
            to_stage=to_stage,
            note=note,
            at=now,
        )
    )


async def get(
    conn: AsyncConnection, community_id: str, member_id: str, project_id: int
) -> Project | None:
    stmt = select(P).where(_owner(community_id, member_id), P.c.id == project_id)
    row = (await conn.execute(stmt)).first()
    return Project.from_row(row) if row else None


async def listed(conn: AsyncConnection, community_id: str, member_id: str) -> list[Project]:
    stmt = select(P).where(_owner(community_id, member_id)).order_by(P.c.id)
    return [Project.from_row(r) for r in await conn.execute(stmt)]


async def moves(conn: AsyncConnection, community_id: str, project_id: int) -> list[Move]:
    stmt = (
        select(M.c.from_stage, M.c.to_stage, M.c.note, M.c.at)
        .where(M.c.community_id == community_id, M.c.project_id == project_id)
        .order_by(M.c.at, M.c.id)
    )
    return [Move(r.from_stage, r.to_stage, r.note, r.at) for r in await conn.execute(stmt)]


async def move(
    conn: AsyncConnection,
    community_id: str,
    member_id: str,
    project: Project,
    stage: str,
    note: str,
    now: datetime,
) -> None:
    """Record the move and restart the project's clock (a pending check-in offer ends)."""
    await conn.execute(
        update(P)
        .where(_owner(community_id, member_id), P.c.id == project.id)
        .values(stage=stage, stage_at=now, updated_at=now, commit_at=None)
    )
    await _log(conn, community_id, member_id, project.id, project.stage, stage, note, now)


async def set_commit(
    conn: AsyncConnection, community_id: str, member_id: str, project_id: int, now: datetime
) -> None:
    await conn.execute(
        update(P).where(_owner(community_id, member_id), P.c.id == project_id).values(commit_at=now)
    )


async def remove(conn: AsyncConnection, community_id: str, member_id: str, project_id: int) -> None:
    await conn.execute(
        delete(M).where(M.c.community_id == community_id, M.c.project_id == project_id)
    )
    await conn.execute(delete(P).where(_owner(community_id, member_id), P.c.id == project_id))


async def aimed_at(
    conn: AsyncConnection, community_id: str, meeting: str
) -> list[tuple[str, Project]]:
    """Every member's project aimed at `meeting`, with its owner."""
    stmt = select(P).where(P.c.community_id == community_id, P.c.venue_id == meeting)
    return [(r.member_id, Project.from_row(r)) for r in await conn.execute(stmt.order_by(P.c.id))]


async def community_deadlines(
    conn: AsyncConnection, community_id: str
) -> list[tuple[str, date, str]]:
    stmt = (
        select(D.c.meeting, D.c.day, D.c.label)
        .where(D.c.community_id == community_id)
        .order_by(D.c.day)
    )
    return [(r.meeting, r.day, r.label) for r in await conn.execute(stmt)]


async def add_deadline(
    conn: AsyncConnection,
    community_id: str,
    meeting: str,
    day: date,
    label: str,
    by: str,
    now: datetime,
) -> bool:
    """False when the community has that meeting's deadline on that day already."""
    exists = await conn.execute(
        select(func.count()).where(
            D.c.community_id == community_id, D.c.meeting == meeting, D.c.day == day
        )
    )
    if exists.scalar_one():
        return False
    await conn.execute(
        insert(D).values(
            community_id=community_id,
            meeting=meeting,
            day=day,
            label=label,
            added_by=by,
            created_at=now,
        )
    )
    return True


@dataclass(frozen=True)
class Counts:
    """What organisers see: numbers only."""

    members: int
    projects: int
    moved: int
    finished: int


async def counts(
    conn: AsyncConnection,
    community_id: str,
    moved_since: datetime,
    done_since: datetime,
    done: list[str],
) -> Counts:
    members = select(func.count(func.distinct(P.c.member_id))).where(
        P.c.community_id == community_id
    )
    projects = select(func.count()).where(P.c.community_id == community_id)
    moved = select(func.count(func.distinct(M.c.project_id))).where(
        M.c.community_id == community_id, M.c.from_stage.is_not(None), M.c.at >= moved_since
    )
    finished = select(func.count(func.distinct(M.c.project_id))).where(
        M.c.community_id == community_id, M.c.to_stage.in_(done), M.c.at >= done_since
    )
    row = (
        await conn.execute(
            select(
                members.scalar_subquery(),
                projects.scalar_subquery(),
                moved.scalar_subquery(),
                finished.scalar_subquery(),
            )
        )
    ).one()
    return Counts(int(row[0]), int(row[1]), int(row[2]), int(row[3]))
