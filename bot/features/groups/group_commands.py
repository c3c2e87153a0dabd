"""/group: create, join, leave, list and show peer groups; organisers form groups
from the members who asked, and read the weekly report."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.commands import Command, OptionSpec, platform_ref
from bot.context import Context
from bot.errors import NotAllowed, NotFound, UserError
from bot.features.groups import store, view
from bot.features.groups.content import CheckinSection, Timing
from bot.features.groups.cycle import Cycle, parse_day
from bot.features.groups.partition import Candidate, OpenGroup, Plan, group_zone, plan
from bot.features.groups.streaks import LOOKBACK_WEEKS, streak
from bot.features.groups.timetable import (
    cancel_group,
    group_jobs,
    schedule_group,
    schedule_report,
)
from bot.registry import registry
from bot.responses import Button, Field, Post, Response, Target
from bot.scheduling.jobs import NewJob, schedule_many
from bot.storage.tables import members
from bot.text import shorten
from bot.timelang import read_clock
from bot.zones import Zone

NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
WEEK = timedelta(days=7)
SETTABLE = ("day", "time", "timezone", "channel")

registry.command(
    "group",
    "Peer accountability groups of 3-5 with weekly check-ins",
    default="show",
    shorthand="set",
)


def _sec(ctx: Context) -> CheckinSection:
    """The community's pack sets the defaults for new groups."""
    return ctx.rounds.content.pack(ctx.community.pack).section("checkin", CheckinSection)


def _name(ctx: Context, raw: str) -> str:
    name = raw.strip().lower()
    if not (2 <= len(name) <= 32 and NAME.match(name)):
        raise UserError(ctx.msg("group_name_bad", name=raw.strip()[:40]))
    return name


def cycle_for(timing: Timing, day: int, hour: int, minute: int, zone: str) -> Cycle:
    """The pack's deadline (days after the prompt, at a time) and nudge for this prompt."""
    dh, dm = (int(x) for x in timing.deadline_time.split(":"))
    span = timing.deadline_days_after_prompt * 1440 + dh * 60 + dm - (hour * 60 + minute)
    if span <= 0:
        span += 1440
    nudge = min(timing.nudge_hours_before_deadline * 60, span // 2)
    return Cycle(day, hour, minute, zone, span, nudge)


def _when(ctx: Context, cycle: Cycle) -> dict[str, str]:
    nxt = cycle.next_times(ctx.now())
    return {
        "prompt": view.local(nxt["prompt"], cycle.timezone),
        "nudge": view.local(nxt["nudge"], cycle.timezone),
        "deadline": view.local(nxt["digest"], cycle.timezone),
        "zone": cycle.timezone,
    }


def _group_data(g: store.Group, size: int | None = None) -> dict[str, object]:
    c = g.cycle
    return {
        "id": g.id,
        "name": g.name,
        "timezone": c.timezone,
        "prompt": c.describe(),
        "deadline_minutes": c.deadline_minutes,
        "nudge_minutes": c.nudge_minutes,
        "channel": g.channel_id,
        **({"size": size} if size is not None else {}),
    }


@registry.sub(
    "group",
    "create",
    "Start a group (day, time and zone of its weekly prompt are optional)",
    OptionSpec("name", "a short name like tuesday-crew", max_length=40),
    OptionSpec("day", "prompt day, e.g. mon", required=False, max_length=12),
    OptionSpec("time", "prompt time, e.g. 09:00", required=False, max_length=10),
    OptionSpec("timezone", "the group's time zone", required=False, max_length=64),
)
async def create(ctx: Context, cmd: Command) -> Response:
    name = _name(ctx, cmd.opt("name"))
    timing = _sec(ctx).timing
    day = parse_day(cmd.opt("day")) if cmd.opt("day") else parse_day(timing.prompt_day)
    if day is None:
        bad = ctx.msg("group_day_bad", value=cmd.opt("day")[:20])
        if cmd.opt("day").isalpha():  # "/group create Tuesday Crew": a name of two words
            together = store.group_name(f"{cmd.opt('name')} {cmd.opt('day')}")
            bad += " " + ctx.msg("group_name_one_word", name=together[:40])
        raise UserError(bad)
    hm = read_clock(cmd.opt("time") or timing.prompt_time)
    if hm is None:
        raise UserError(ctx.msg("group_time_bad", value=cmd.opt("time")[:20]))
    read = ctx.zone(cmd.opt("timezone")) if cmd.opt("timezone") else None
    zone = read.name if read else ctx.membership.tz_name
    cycle = cycle_for(timing, day, hm[0], hm[1], zone)
    now = ctx.now()
    async with ctx.db.begin() as conn:
        current = await store.group_of(conn, ctx.community_id, ctx.member_id)
        group_id = await store.create_group(
            conn, ctx.community_id, name, ctx.community.pack, cycle, ctx.member_id, now
        )
        if group_id is None:
            raise UserError(ctx.msg("group_name_taken", name=name))
        if current is None:
            await store.add_member(conn, ctx.community_id, group_id, ctx.member_id, now)
        await schedule_group(conn, ctx.community_id, group_id, cycle, now)
        await schedule_report(conn, ctx.community_id, timing, ctx.community.timezone, now)
    ctx.rounds.wake()
    text = ctx.msg("group_created", name=name, **_when(ctx, cycle))
    text += read.aside(ctx.msg) if read else ""
    text += " " + (
        ctx.msg("group_created_joined", name=name)
        if current is None
        else ctx.msg("group_created_elsewhere", name=name, current=current[0].name)
    )
    group = store.Group(group_id, name, ctx.community.pack, cycle, None, now)
    return Response(text=text, data={"group": _group_data(group, 1 if current is None else 0)})


@registry.sub(
    "group",
    "join",
    "Join a group",
    OptionSpec("name", "the group's name", kind="text", max_length=40),
)
async def join(ctx: Context, cmd: Command) -> Response:
    name = cmd.opt("name").strip().lower()
    max_size = _sec(ctx).forming.max_size
    now = ctx.now()
    async with ctx.db.begin() as conn:
        group = await store.find_group(conn, ctx.community_id, name)
        if group is None:
            raise NotFound(ctx.msg("group_not_found", name=cmd.opt("name")[:40]))
        current = await store.group_of(conn, ctx.community_id, ctx.member_id)
        if current is not None:
            key = "group_already_in" if current[0].id == group.id else "group_in_other"
            raise UserError(ctx.msg(key, name=current[0].name))
        await store.lock_group(conn, ctx.community_id, group.id, now)
        size = await store.count_members(conn, ctx.community_id, group.id)
        if size >= max_size:
            raise UserError(ctx.msg("group_full", name=group.name, size=size))
        if not await store.add_member(conn, ctx.community_id, group.id, ctx.member_id, now):
            raise UserError(ctx.msg("group_in_other", name="a group"))
    channel = view.channel_for(group, ctx.community.settings)
    also: tuple[Post, ...] = ()
    if channel:
        post = Response(
            text=ctx.msg("group_joined_post", member=ctx.member_id, name=group.name),
            ephemeral=False,
        )
        also = (
            Post(
                Target(ctx.community_id, channel_id=channel),
                post,
                f"group:{group.id}:join:{ctx.member_id}:{now.isoformat()}",
            ),
        )
    text = ctx.msg(
        "group_joined", name=group.name, size=size + 1, max=max_size, **_when(ctx, group.cycle)
    )
    return Response(text=text, also=also, data={"group": _group_data(group, size + 1)})


@registry.sub("group", "leave", "Leave your group")
async def leave(ctx: Context, cmd: Command) -> Response:
    now = ctx.now()
    async with ctx.db.begin() as conn:
        current = await store.group_of(conn, ctx.community_id, ctx.member_id)
        if current is None:
            raise UserError(ctx.msg("group_none"))
        group = current[0]
        await store.lock_group(conn, ctx.community_id, group.id, now)
        await store.remove_member(conn, ctx.community_id, ctx.member_id)
        closed = await store.count_members(conn, ctx.community_id, group.id) == 0
        if closed:
            await store.delete_group(conn, ctx.community_id, group.id)
            await cancel_group(conn, ctx.community_id, group.id)
    key = "group_left_closed" if closed else "group_left"
    return Response(text=ctx.msg(key, name=group.name), data={"left": group.name, "closed": closed})


@registry.sub("group", "list", "The groups in this community")
async def list_(ctx: Context, cmd: Command) -> Response:
    max_size = _sec(ctx).forming.max_size
    async with ctx.db.connect() as conn:
        groups = await store.list_groups(conn, ctx.community_id)
        wanting = await store.wanting(conn, ctx.community_id)
    if not groups:
        lines = [ctx.msg("group_list_empty")]
    else:
        lines = [
            ctx.msg(
                "group_list_line",
                name=g.name,
                size=n,
                max=max_size,
                prompt=g.cycle.describe(),
                zone=g.cycle.timezone,
                room=ctx.msg("group_list_room") if n < max_size else "",
            )
            for g, n in groups
        ]
    if wanting:
        lines.append(ctx.msg("group_list_wanting", count=len(wanting)))
    data = {"groups": [_group_data(g, n) for g, n in groups], "wanting": len(wanting)}
    return Response(title=ctx.msg("group_list_title"), text="\n".join(lines), data=data)


async def _named_or_own(ctx: Context, raw: str) -> store.Group:
    async with ctx.db.connect() as conn:
        if raw:
            group = await store.find_group(conn, ctx.community_id, raw.strip().lower())
            if group is None:
                raise NotFound(ctx.msg("group_not_found", name=raw[:40]))
            return group
        current = await store.group_of(conn, ctx.community_id, ctx.member_id)
    if current is None:
        raise UserError(ctx.msg("group_none"))
    return current[0]


@registry.sub(
    "group",
    "show",
    "Your group (or a named one): members, schedule, this week",
    OptionSpec("name", "a group's name", kind="text", required=False, max_length=40),
)
async def show(ctx: Context, cmd: Command) -> Response:
    group = await _named_or_own(ctx, cmd.opt("name"))
    cycle, now = group.cycle, ctx.now()
    week = view.current_week(group, now)
    sec = view.section(ctx.rounds.content, group)
    async with ctx.db.connect() as conn:
        weeks = await store.group_weeks(
            conn, ctx.community_id, group.id, week - WEEK * LOOKBACK_WEEKS
        )
    rows = view.week_rows(sec, group, weeks, week, now)
    expected = [r for r in rows if r.mark != "not-expected"]
    done = [r for r in rows if r.mark == "checked"]
    deadline = view.local(cycle.deadline_at(week), cycle.timezone)
    text = ctx.msg(
        "group_show_week",
        week=view.week_label(week),
        done=len(done),
        expected=len(expected),
        deadline=deadline,
    )
    when = _when(ctx, cycle)
    channel = view.channel_for(group, ctx.community.settings)
    fields = (
        Field(
            "Members",
            ", ".join(ctx.msg("group_show_member", member=r.member, streak=r.streak) for r in rows)
            or "none",
        ),
        Field("Prompt", when["prompt"], True),
        Field("Nudge", when["nudge"], True),
        Field("Deadline and digest", when["deadline"], True),
        Field("Group's time zone", cycle.timezone, True),
        Field("Channel", channel or "direct messages", True),
    )
    data = {
        "group": _group_data(group, len(rows)),
        "week": {
            "week": week.isoformat(),
            "marks": {r.member: r.mark for r in rows},
            "streaks": {r.member: r.streak for r in rows},
        },
    }
    return Response(
        title=ctx.msg("group_show_title", name=group.name), text=text, fields=fields, data=data
    )


@registry.sub(
    "group",
    "set",
    "Change your group's prompt day, time, time zone or channel",
    OptionSpec("field", "day, time, timezone or channel", kind="choice", choices=SETTABLE),
    OptionSpec("value", "the new value", max_length=80),
    OptionSpec("group", "which group (organisers)", required=False, max_length=40),
)
async def set_(ctx: Context, cmd: Command) -> Response:
    field, value, named = cmd.opt("field"), cmd.opt("value").strip(), cmd.opt("group")
    async with ctx.db.connect() as conn:
        own = await store.group_of(conn, ctx.community_id, ctx.member_id)
        two_words = named and field in ("time", "timezone")  # "7:30 pm", "new york"
        if two_words and await store.find_group(conn, ctx.community_id, named) is None:
            value, named = f"{value} {named}", ""
    if named:
        group = await _named_or_own(ctx, named)
    elif own is None:
        raise UserError(ctx.msg("group_none"))
    else:
        group = own[0]
    if not ctx.is_organiser and (own is None or own[0].id != group.id):
        raise NotAllowed(ctx.msg("group_set_not_yours", name=group.name))
    if field == "channel" and not ctx.is_organiser:
        async with ctx.db.connect() as conn:
            creator = await store.created_by(conn, ctx.community_id, group.id)
        if creator != ctx.member_id:
            raise NotAllowed(ctx.msg("group_channel_not_yours", name=group.name))
    c = group.cycle
    day, hour, minute, zone, channel = c.day, c.hour, c.minute, c.timezone, group.channel_id
    read: Zone | None = None
    if field == "day":
        parsed = parse_day(value)
        if parsed is None:
            raise UserError(ctx.msg("group_day_bad", value=value[:20]))
        day = parsed
    elif field == "time":
        hm = read_clock(value)
        if hm is None:
            raise UserError(ctx.msg("group_time_bad", value=value[:20]))
        hour, minute = hm
    elif field == "timezone":
        read = ctx.zone(value)
        zone = read.name
    else:
        channel = platform_ref(value)
        if channel is None:
            raise UserError(ctx.msg("setting_not_an_id", setting=field, value=shorten(value, 40)))
        text = ctx.msg("channel_not_here", channel=shorten(channel, 40))
        await ctx.rounds.channels.check(ctx.community_id, channel, text)
    cycle = cycle_for(view.section(ctx.rounds.content, group).timing, day, hour, minute, zone)
    now = ctx.now()
    async with ctx.db.begin() as conn:
        await store.update_group(
            conn,
            ctx.community_id,
            group.id,
            prompt_day=cycle.day,
            prompt_hour=cycle.hour,
            prompt_minute=cycle.minute,
            timezone=cycle.timezone,
            deadline_minutes=cycle.deadline_minutes,
            nudge_minutes=cycle.nudge_minutes,
            channel_id=channel,
            updated_at=now,
        )
        await schedule_group(conn, ctx.community_id, group.id, cycle, now)
    updated = store.Group(group.id, group.name, group.pack, cycle, channel, group.created_at)
    text = ctx.msg("group_set_done", field=field, name=group.name, **_when(ctx, cycle))
    text += read.aside(ctx.msg) if read else ""
    return Response(text=text, data={"group": _group_data(updated)})


@registry.sub(
    "group",
    "want",
    "Ask to be placed in a group (or `off` to stop asking)",
    OptionSpec("action", "on or off", kind="choice", choices=("on", "off"), required=False),
)
async def want(ctx: Context, cmd: Command) -> Response:
    off = cmd.opt("action") == "off"
    async with ctx.db.begin() as conn:
        if off:
            removed = await store.drop_want(conn, ctx.community_id, ctx.member_id)
            return Response(
                text=ctx.msg("group_want_removed" if removed else "group_want_not_listed"),
                data={"want": False},
            )
        current = await store.group_of(conn, ctx.community_id, ctx.member_id)
        if current is not None:
            raise UserError(ctx.msg("group_want_in_group", name=current[0].name))
        added = await store.add_want(conn, ctx.community_id, ctx.member_id, ctx.now())
    return Response(
        text=ctx.msg("group_want_added" if added else "group_want_already"), data={"want": True}
    )


# --- forming groups ----------------------------------------------------------------------


def _offset(zone: str, now: datetime) -> int:
    delta = now.astimezone(ZoneInfo(zone)).utcoffset()
    return int(delta.total_seconds() // 60) if delta else 0


def _utc(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"{sign}{h}" + (f":{m:02d}" if m else "")


async def _plan(ctx: Context) -> tuple[Plan, dict[int, store.Group]]:
    """The plan for everyone waiting now (the same inputs always give the same plan)."""
    sec = _sec(ctx)
    now = ctx.now()
    async with ctx.db.connect() as conn:
        ids = await store.wanting(conn, ctx.community_id)
        profiles = (
            (
                await conn.execute(
                    select(members.c.member_id, members.c.timezone, members.c.stage).where(
                        members.c.community_id == ctx.community_id, members.c.member_id.in_(ids)
                    )
                )
            ).all()
            if ids
            else []
        )
        groups = await store.list_groups(conn, ctx.community_id)
    default = ctx.community.timezone
    candidates = [
        Candidate(p.member_id, _offset(p.timezone or default, now), p.timezone or default, p.stage)
        for p in profiles
    ]
    max_size = sec.forming.max_size
    open_groups = [
        OpenGroup(g.id, g.name, _offset(g.cycle.timezone, now), n)
        for g, n in groups
        if n < max_size
    ]
    return plan(candidates, open_groups, sec.forming), {g.id: g for g, _ in groups}


def _new_names(ctx: Context, count: int, taken: set[str]) -> list[str]:
    prefix = _sec(ctx).forming.name_prefix
    names: list[str] = []
    i = 1
    while len(names) < count:
        name = f"{prefix}-{i}"
        if name not in taken:
            names.append(name)
        i += 1
    return names


@registry.sub(
    "group", "form", "Preview groups for members who asked (organisers)", organiser_only=True
)
async def form(ctx: Context, cmd: Command) -> Response:
    p, existing = await _plan(ctx)
    if p.empty and not p.waiting:
        return Response(text=ctx.msg("group_form_nothing"), data={"plan": None})
    names = _new_names(ctx, len(p.groups), {g.name for g in existing.values()})
    fields = []
    for name, members_ in zip(names, p.groups, strict=True):
        offsets = sorted({c.offset_minutes for c in members_})
        spread = _utc(offsets[0]) + (f" to {_utc(offsets[-1])}" if len(offsets) > 1 else "")
        stages = ", ".join(sorted({c.stage or "?" for c in members_}))
        value = (
            ", ".join(c.member_id for c in members_)
            + "\n"
            + ctx.msg("group_form_group", size=len(members_), spread=spread, stages=stages)
        )
        fields.append(Field(name, value))
    for person, target in p.additions:
        fields.append(
            Field(
                person.member_id,
                ctx.msg("group_form_add", name=target.name, offset=_utc(target.offset_minutes)),
            )
        )
    people = sum(len(g) for g in p.groups) + len(p.additions) + len(p.waiting)
    lines = [ctx.msg("group_form_intro", people=people)]
    if p.waiting:
        lines.append(ctx.msg("group_form_waiting", names=", ".join(c.member_id for c in p.waiting)))
    buttons = (
        (Button(ctx.msg("group_form_commit"), f"group form-commit token={p.token}", "primary"),)
        if not p.empty
        else ()
    )
    data = {
        "plan": {
            "token": p.token,
            "groups": {n: [c.member_id for c in g] for n, g in zip(names, p.groups, strict=True)},
            "additions": {c.member_id: g.name for c, g in p.additions},
            "waiting": [c.member_id for c in p.waiting],
        }
    }
    return Response(
        title=ctx.msg("group_form_title"),
        text="\n".join(lines),
        fields=tuple(fields),
        buttons=buttons,
        data=data,
    )


@registry.sub(
    "group",
    "form-commit",
    "Create the groups of a /group form preview",
    OptionSpec("token", "the preview's token", max_length=40),
    organiser_only=True,
    hidden=True,
)
async def form_commit(ctx: Context, cmd: Command) -> Response:
    p, existing = await _plan(ctx)
    if p.empty or p.token != cmd.opt("token"):
        raise UserError(
            ctx.msg("group_form_changed") if not p.empty else ctx.msg("group_form_nothing")
        )
    sec = _sec(ctx)
    timing, now = sec.timing, ctx.now()
    day = parse_day(timing.prompt_day) or 0
    hour, minute = read_clock(timing.prompt_time) or (9, 0)
    names = _new_names(ctx, len(p.groups), {g.name for g in existing.values()})
    posts: list[Post] = []
    created: dict[str, list[str]] = {}
    weekly: list[NewJob] = []
    async with ctx.db.begin() as conn:
        for name, people in zip(names, p.groups, strict=True):
            cycle = cycle_for(timing, day, hour, minute, group_zone(people))
            group_id = await store.create_group(
                conn, ctx.community_id, name, ctx.community.pack, cycle, ctx.member_id, now
            )
            if group_id is None:
                raise UserError(ctx.msg("group_form_changed"))
            for person in people:
                if not await store.add_member(
                    conn, ctx.community_id, group_id, person.member_id, now
                ):
                    raise UserError(ctx.msg("group_form_changed"))
            weekly += group_jobs(group_id, cycle, now)
            created[name] = [c.member_id for c in people]
            when = _when(ctx, cycle)
            for person in people:
                mates = ", ".join(c.member_id for c in people if c is not person)
                dm = Response(
                    text=ctx.msg("group_form_dm", name=name, mates=mates, **when), dm=True
                )
                posts.append(
                    Post(
                        Target(ctx.community_id, member_id=person.member_id),
                        dm,
                        f"group:{group_id}:formed:{person.member_id}",
                    )
                )
        for person, target in p.additions:
            await store.lock_group(conn, ctx.community_id, target.group_id, now)
            if not await store.add_member(
                conn, ctx.community_id, target.group_id, person.member_id, now
            ):
                raise UserError(ctx.msg("group_form_changed"))
            group = existing[target.group_id]
            dm = Response(
                text=ctx.msg(
                    "group_form_dm",
                    name=group.name,
                    mates="your new group",
                    **_when(ctx, group.cycle),
                ),
                dm=True,
            )
            posts.append(
                Post(
                    Target(ctx.community_id, member_id=person.member_id),
                    dm,
                    f"group:{group.id}:added:{person.member_id}",
                )
            )
        await schedule_many(conn, ctx.community_id, weekly, now)
        if p.groups:
            await schedule_report(conn, ctx.community_id, timing, ctx.community.timezone, now)
    text = ctx.msg("group_form_done", groups=len(p.groups), added=len(p.additions))
    data = {"formed": created, "added": {c.member_id: g.name for c, g in p.additions}}
    return Response(text=text, also=tuple(posts), data=data)


# --- stats and the organiser report ---------------------------------------------------------


@registry.sub(
    "group",
    "stats",
    "Check-ins, commitments kept and streaks in your group (or a named one)",
    OptionSpec("name", "a group's name", kind="text", required=False, max_length=40),
)
async def stats(ctx: Context, cmd: Command) -> Response:
    group = await _named_or_own(ctx, cmd.opt("name"))
    sec = view.section(ctx.rounds.content, group)
    cycle, now = group.cycle, ctx.now()
    span = sec.streaks.history_weeks
    last = cycle.last_closed_week(now)
    async with ctx.db.connect() as conn:
        weeks = await store.group_weeks(
            conn, ctx.community_id, group.id, last - WEEK * LOOKBACK_WEEKS
        )
    window = [last - WEEK * i for i in range(span)]
    title = ctx.msg("group_stats_title", name=group.name, weeks=span)
    lines, data = [], {}
    current = view.current_week(group, now)
    open_ = cycle.is_open(current, now)
    for member, joined_at in sorted(weeks.members.items()):
        first = view.first_week(cycle, joined_at)
        expected = [w for w in window if w >= first]
        done = weeks.checkins[member]
        checked = [w for w in expected if w in done]
        reviews = [r for w in window if w in done for r in done[w].review]
        kept = view.kept(sec, reviews)
        run = streak(
            done.keys(), weeks.skips[member], current, open_, sec.streaks.grace_skipped_weeks
        )
        kept_text = f"{kept}/{len(reviews)}" if reviews else "-"
        lines.append(
            ctx.msg(
                "group_stats_line",
                member=member,
                checked=len(checked),
                expected=len(expected),
                kept=kept_text,
                streak=run,
            )
        )
        data[member] = {
            "checked": len(checked),
            "expected": len(expected),
            "kept": [kept, len(reviews)],
            "streak": run,
        }
    if not any(v["expected"] for v in data.values()):
        lines.insert(0, ctx.msg("group_stats_none"))
    return Response(
        title=title, text="\n".join(lines), data={"stats": {"group": group.name, "members": data}}
    )


@registry.sub(
    "group", "report", "This week's report on every group (organisers)", organiser_only=True
)
async def report(ctx: Context, cmd: Command) -> Response:
    from bot.features.groups.jobs import build_report

    return await build_report(ctx.rounds, ctx.community_id, ctx.now())
