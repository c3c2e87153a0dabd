"""What the scheduling engine sends for each group every week: the prompt (channel
post and DMs to those who have not answered), one nudge before the deadline, the
digest at the deadline, and the organiser report for the community."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.features.groups import store, view
from bot.members import load_membership
from bot.responses import Button, Post, Response, Target
from bot.scheduling.jobs import Job, job_kind
from bot.storage.tables import members

if TYPE_CHECKING:
    from bot.core import Rounds

HISTORY = timedelta(weeks=104)


async def _load(
    rounds: Rounds, job: Job, since_weeks: int = 0
) -> tuple[store.Group, store.GroupWeeks, dict[str, Any]] | None:
    async with rounds.db.connect() as conn:
        group = await store.get_group(conn, job.community_id, int(job.payload.get("group_id", 0)))
        if group is None:
            return None
        week = group.cycle.week_of(job.due_at)
        weeks = await store.group_weeks(
            conn, job.community_id, group.id, week - timedelta(weeks=since_weeks)
        )
        community, _ = await load_membership(conn, job.community_id, "")
    settings = community.settings if community else {}
    return group, weeks, settings


def _waiting(group: store.Group, weeks: store.GroupWeeks, week: date) -> list[str]:
    """Members expected this week who have neither checked in nor said they are away."""
    out = []
    for member, joined_at in sorted(weeks.members.items()):
        if view.first_week(group.cycle, joined_at) > week:
            continue
        if week in weeks.checkins[member] or week in weeks.skips[member]:
            continue
        out.append(member)
    return out


@job_kind("group.prompt")
async def prompt(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    loaded = await _load(rounds, job)
    if loaded is None:
        return []
    group, weeks, settings = loaded
    cycle, msg = group.cycle, rounds.content.msg
    week = cycle.week_of(job.due_at)
    if not weeks.members or not cycle.is_open(week, now):
        return []
    sec = view.section(rounds.content, group)
    deadline = view.local(cycle.deadline_at(week), cycle.timezone)
    event = {"group_event": {"kind": "prompt", "group": group.name, "week": week.isoformat()}}
    posts: list[Post] = []
    channel = view.channel_for(group, settings)
    if channel:
        text = msg("checkin_prompt_channel", name=group.name, deadline=deadline)
        posts.append(
            Post(
                Target(job.community_id, channel_id=channel),
                Response(
                    title=msg("checkin_prompt_title", name=group.name),
                    text=text,
                    ephemeral=False,
                    buttons=(Button(msg("checkin_button"), "checkin", "primary"),),
                    data=event,
                ),
                key=f"group:{group.id}:{week.isoformat()}:prompt",
            )
        )
    ideas = msg("checkin_prompt_ideas", ideas="; ".join(sec.examples(week)))
    dm = Response(
        title=msg("checkin_prompt_title", name=group.name),
        text=msg("checkin_prompt_dm", name=group.name, deadline=deadline) + "\n" + ideas,
        dm=True,
        buttons=(Button(msg("checkin_button"), "checkin", "primary"),),
        data=event,
    )
    for member in _waiting(group, weeks, week):
        key = f"group:{group.id}:{week.isoformat()}:prompt:{member}"
        posts.append(Post(Target(job.community_id, member_id=member), dm, key))
    return posts


@job_kind("group.nudge")
async def nudge(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    loaded = await _load(rounds, job)
    if loaded is None:
        return []
    group, weeks, _ = loaded
    cycle, msg = group.cycle, rounds.content.msg
    week = cycle.week_of(job.due_at)
    if not cycle.is_open(week, now):
        return []
    deadline = view.local(cycle.deadline_at(week), cycle.timezone)
    dm = Response(
        text=msg("checkin_nudge_dm", name=group.name, deadline=deadline),
        dm=True,
        buttons=(Button(msg("checkin_button"), "checkin", "primary"),),
        data={"group_event": {"kind": "nudge", "group": group.name, "week": week.isoformat()}},
    )
    return [
        Post(
            Target(job.community_id, member_id=m),
            dm,
            f"group:{group.id}:{week.isoformat()}:nudge:{m}",
        )
        for m in _waiting(group, weeks, week)
    ]


@job_kind("group.digest")
async def digest(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    loaded = await _load(rounds, job, since_weeks=104)
    if loaded is None:
        return []
    group, weeks, settings = loaded
    week = group.cycle.week_of(job.due_at)
    sec = view.section(rounds.content, group)
    rows = view.week_rows(sec, group, weeks, week, max(now, group.cycle.deadline_at(week)))
    if not any(r.mark in ("checked", "skipped", "missed") for r in rows):
        return []
    helps = view.help_requests(weeks, week)
    message = view.digest(rounds.content.msg, sec, group, rows, week, helps)
    key = f"group:{group.id}:{week.isoformat()}:digest"
    return view.to_group(job.community_id, group, settings, list(weeks.members), message, key, week)


async def build_report(rounds: Rounds, community_id: str, now: datetime) -> Response:
    """Participation by group, members who missed two weeks in a row, groups
    below two active members (also shown on demand by /group report)."""
    healths = []
    async with rounds.db.connect() as conn:
        for group, _ in await store.list_groups(conn, community_id):
            last = group.cycle.last_closed_week(now)
            weeks = await store.group_weeks(conn, community_id, group.id, last - HISTORY)
            sec = view.section(rounds.content, group)
            healths.append(view.health(sec, group, weeks, now))
        wanting = len(await store.wanting(conn, community_id))
    return view.report(rounds.content.msg, healths, wanting)


@job_kind("groups.report")
async def report(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    async with rounds.db.connect() as conn:
        organisers = list(
            (
                await conn.execute(
                    select(members.c.member_id).where(
                        members.c.community_id == job.community_id,
                        members.c.is_organiser.is_(True),
                    )
                )
            ).scalars()
        )
    if not organisers:
        return []
    message = await build_report(rounds, job.community_id, job.due_at)
    if not (message.data["group_report"]["groups"] or message.data["group_report"]["wanting"]):
        return []  # every group has closed and nobody is waiting: nothing to report
    message = Response(title=message.title, text=message.text, dm=True, data=message.data)
    stamp = job.due_at.date().isoformat()
    return [
        Post(Target(job.community_id, member_id=o), message, f"groups:report:{stamp}:{o}")
        for o in sorted(organisers)
    ]
