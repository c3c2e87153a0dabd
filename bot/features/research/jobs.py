"""What research schedules: one stall nudge per stage (key
`research:<id>:stall`, due `stall_days` after the last move) and reminders
before an abstract deadline of the meeting a project aims at (keys
`research:<id>:deadline:<day>:<days-before>`). Each is checked again when due,
so a project that moved, changed venue or was removed sends nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.content import Pack
from bot.features.conference.dates import at_local, day_label, today_in
from bot.features.research import store
from bot.features.research.content import ResearchSection, research_rules
from bot.features.research.store import Project
from bot.members import load_membership
from bot.responses import Button, Post, Response, Target
from bot.scheduling.jobs import Job, cancel, job_kind, schedule
from bot.text import shorten

if TYPE_CHECKING:
    from bot.core import Rounds

STALL = "research.stall"
DEADLINE = "research.deadline"


@dataclass(frozen=True)
class Owner:
    community_id: str
    member_id: str
    tz: str
    pack: Pack


@dataclass(frozen=True)
class Deadline:
    meeting: str
    day: date
    label: str


def next_stage(sec: ResearchSection, project: Project) -> str | None:
    ladder = sec.ladder(project.kind)
    i = ladder.index(project.stage) if project.stage in ladder else -1
    return ladder[i + 1] if i + 1 < len(ladder) else None


def before_submission(sec: ResearchSection, project: Project) -> bool:
    """Whether the project is still on its way to a submission (no stage listed yet)."""
    return sec.stage(project.stage).listed is None


def deadlines(pack: Pack, added: Sequence[tuple[str, date, str]], meeting: str) -> list[Deadline]:
    """The meeting's abstract deadlines: the pack's and the community's, by day."""
    found = {
        d.date: Deadline(meeting, d.date, d.label)
        for d in research_rules(pack).abstract_deadlines
        if d.meeting == meeting
    }
    for m, day, label in added:
        if m == meeting:
            found.setdefault(day, Deadline(meeting, day, label))
    return [found[d] for d in sorted(found)]


def meeting_name(pack: Pack, meeting: str) -> str:
    m = next((x for x in pack.meetings if x.id == meeting), None)
    return m.short if m else meeting


async def plan_stall(
    conn: AsyncConnection, owner: Owner, project: Project, now: datetime
) -> datetime | None:
    """The one nudge for the project's current stage (none once it is done)."""
    sec = research_rules(owner.pack)
    key = f"research:{project.id}:stall"
    if sec.stage(project.stage).done or next_stage(sec, project) is None:
        await cancel(conn, owner.community_id, keys=[key])
        return None
    day = today_in(project.stage_at, owner.tz) + timedelta(days=sec.stall_days)
    due = at_local(day, time(sec.nudge_hour), owner.tz)
    await schedule(
        conn,
        community_id=owner.community_id,
        kind=STALL,
        due_at=due,
        now=now,
        member_id=owner.member_id,
        payload={
            "project": project.id,
            "since": project.stage_at.isoformat(),
            "pack": owner.pack.id,
        },
        timezone=owner.tz,
        key=key,
    )
    return due


async def plan_deadlines(
    conn: AsyncConnection, owner: Owner, project: Project, now: datetime
) -> list[tuple[Deadline, datetime]]:
    """Reminders before each coming abstract deadline of the project's meeting,
    while the project is before its submission; returns the first of each."""
    sec = research_rules(owner.pack)
    await cancel(conn, owner.community_id, key_prefix=f"research:{project.id}:deadline:")
    meeting = project.venue_id
    if meeting is None or meeting not in {m.id for m in owner.pack.meetings}:
        return []
    if not before_submission(sec, project):
        return []
    added = await store.community_deadlines(conn, owner.community_id)
    out = []
    for d in deadlines(owner.pack, added, meeting):
        first: datetime | None = None
        for days in sorted(sec.deadline_reminder_days, reverse=True):
            due = at_local(d.day - timedelta(days=days), time(sec.nudge_hour), owner.tz)
            if due <= now:
                continue
            await schedule(
                conn,
                community_id=owner.community_id,
                kind=DEADLINE,
                due_at=due,
                now=now,
                member_id=owner.member_id,
                payload={
                    "project": project.id,
                    "meeting": meeting,
                    "day": d.day.isoformat(),
                    "days": days,
                    "pack": owner.pack.id,
                },
                timezone=owner.tz,
                key=f"research:{project.id}:deadline:{d.day.isoformat()}:{days}",
            )
            first = first or due
        if first is not None:
            out.append((d, first))
    return out


async def drop(conn: AsyncConnection, community_id: str, project_id: int) -> None:
    await cancel(conn, community_id, key_prefix=f"research:{project_id}:")


async def _project(rounds: Rounds, job: Job) -> tuple[Project, Pack] | None:
    member = job.member_id or ""
    async with rounds.db.connect() as conn:
        project = await store.get(
            conn, job.community_id, member, int(job.payload.get("project", 0))
        )
        community, profile = await load_membership(conn, job.community_id, member)
    if project is None or community is None:
        return None
    pack_id = str(job.payload.get("pack") or (profile.pack if profile else None) or community.pack)
    return project, rounds.content.pack(pack_id)


def _buttons(rounds: Rounds, sec: ResearchSection, project: Project) -> tuple[Button, ...]:
    msg = rounds.content.msg
    nxt = next_stage(sec, project)
    out = []
    if nxt is not None:
        label = msg("research_button_move", stage=sec.stage(nxt).label)
        out.append(Button(label, f"research move {project.id} {nxt}", "primary"))
    out.append(Button(msg("research_button_show"), f"research show {project.id}"))
    return tuple(out)


@job_kind(STALL)
async def stall_due(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    found = await _project(rounds, job)
    if found is None:
        return []
    project, pack = found
    if project.stage_at.isoformat() != job.payload.get("since"):
        return []  # it moved since this nudge was planned
    sec = research_rules(pack)
    msg = rounds.content.msg
    nxt = next_stage(sec, project)
    text = msg(
        "research_stall",
        id=project.id,
        title=shorten(project.title, 120),
        stage=sec.stage(project.stage).label,
        since=day_label(today_in(project.stage_at, job.timezone)),
        days=sec.stall_days,
        next=sec.stage(nxt).label if nxt else "",
    )
    buttons = (
        *_buttons(rounds, sec, project),
        Button(msg("research_button_commit"), f"research commit {project.id}"),
    )
    message = Response(
        title=msg("research_stall_title", id=project.id),
        text=text,
        buttons=buttons,
        dm=True,
        data={"research_stall": {"project": project.id, "stage": project.stage}},
    )
    return [Post(Target(job.community_id, member_id=job.member_id), message)]


@job_kind(DEADLINE)
async def deadline_due(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    found = await _project(rounds, job)
    if found is None:
        return []
    project, pack = found
    sec = research_rules(pack)
    meeting = str(job.payload.get("meeting"))
    if project.venue_id != meeting or not before_submission(sec, project):
        return []
    day = date.fromisoformat(str(job.payload.get("day")))
    msg = rounds.content.msg
    left = (day - today_in(now, job.timezone)).days
    text = msg(
        "research_deadline",
        meeting=meeting_name(pack, meeting),
        day=day_label(day),
        left=left,
        id=project.id,
        title=shorten(project.title, 120),
        stage=sec.stage(project.stage).label,
    )
    message = Response(
        title=msg("research_deadline_title", meeting=meeting_name(pack, meeting), left=left),
        text=text,
        buttons=_buttons(rounds, sec, project),
        dm=True,
        data={
            "research_deadline": {
                "project": project.id,
                "meeting": meeting,
                "day": day.isoformat(),
                "days": int(job.payload.get("days", 0)),
            }
        },
    )
    return [Post(Target(job.community_id, member_id=job.member_id), message)]
