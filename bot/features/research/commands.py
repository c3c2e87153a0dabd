"""/research for members: add a project, move it up its stage ladder (one
command or one button, each move dated), see it, list them, and share good
news with mentors through a draft the member sends themselves."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.commands import Command, OptionSpec
from bot.context import Context
from bot.errors import NotFound, UserError
from bot.features.conference.dates import day_label, today_in
from bot.features.contacts import store as contact_store
from bot.features.contacts import updates
from bot.features.contacts.nudges import Owner as ContactOwner
from bot.features.contacts.rules import cadence
from bot.features.contacts.rules import rules as contact_rules
from bot.features.research import inputs, jobs, store
from bot.features.research.content import ResearchSection, research_rules
from bot.features.research.store import NewProject, Project
from bot.registry import registry
from bot.responses import Button, Choice, Field, Form, FormField, Response
from bot.text import clean_text, shorten

registry.command("research", "Your research portfolio: projects, stages, deadlines", "list")

LIST_LIMIT = 25
NOTE_MAX = 300


def owner(ctx: Context) -> jobs.Owner:
    return jobs.Owner(ctx.community_id, ctx.member_id, ctx.membership.tz_name, ctx.pack)


def _sec(ctx: Context) -> ResearchSection:
    return research_rules(ctx.pack)


def _day(ctx: Context, when: datetime) -> str:
    return day_label(today_in(when, ctx.membership.tz_name))


def kind_label(sec: ResearchSection, kind_id: str) -> str:
    k = sec.kind(kind_id)
    return k.label if k else kind_id


def role_label(sec: ResearchSection, role_id: str) -> str:
    r = sec.role(role_id)
    return r.label if r else role_id


async def mine(ctx: Context, raw_id: str) -> Project:
    """The member's own project; another member's number finds nothing."""
    text = raw_id.strip().lstrip("#")
    if not text.isdigit() or len(text) > 18:
        raise UserError(ctx.msg("research_bad_id", given=shorten(raw_id, 20)))
    async with ctx.db.connect() as conn:
        found = await store.get(conn, ctx.community_id, ctx.member_id, int(text))
    if found is None:
        raise NotFound(ctx.msg("research_not_found", id=int(text)))
    return found


def _form(ctx: Context) -> Form:
    sec = _sec(ctx)
    return Form(
        title=ctx.msg("research_form_title"),
        submit="research add",
        fields=(
            FormField(
                "kind",
                ctx.msg("research_label_kind"),
                kind="choice",
                choices=tuple(Choice(k.id, k.label) for k in sec.kinds),
            ),
            FormField("title", ctx.msg("research_label_title"), max_length=inputs.TITLE_MAX),
            FormField(
                "role",
                ctx.msg("research_label_role"),
                kind="choice",
                default=sec.roles[0].id,
                choices=tuple(Choice(r.id, r.label) for r in sec.roles),
            ),
            FormField(
                "venue",
                ctx.msg("research_label_venue"),
                required=False,
                max_length=inputs.VENUE_MAX,
                placeholder=shorten(", ".join(_venue_names(ctx)), 100),
            ),
            FormField(
                "with",
                ctx.msg("research_label_with"),
                required=False,
                max_length=600,
                placeholder=ctx.msg("research_placeholder_with"),
            ),
        ),
    )


def _venue_names(ctx: Context) -> list[str]:
    return [j.short for j in _sec(ctx).journals] + [m.short for m in ctx.pack.meetings]


ADD_OPTIONS = (
    OptionSpec("kind", "case-report, retrospective, abstract, ...", required=False, max_length=60),
    OptionSpec(
        "title", "the project's title", kind="text", required=False, max_length=inputs.TITLE_MAX
    ),
    OptionSpec(
        "role",
        "your role: first, co-first, second, co-author, presenting",
        required=False,
        max_length=40,
    ),
    OptionSpec(
        "venue",
        "target journal or meeting, e.g. JVIR or SIR",
        required=False,
        max_length=inputs.VENUE_MAX,
    ),
    OptionSpec(
        "with",
        "collaborators: #contact ids or names, comma-separated",
        required=False,
        max_length=600,
    ),
    OptionSpec(
        "authors",
        "the author list as it will be cited",
        required=False,
        max_length=inputs.AUTHORS_MAX,
    ),
    OptionSpec("related", "in the field? yes or no", required=False, max_length=5),
    OptionSpec(
        "stage", "where it stands now (default: the first stage)", required=False, max_length=40
    ),
)
OPTIONS = {o.name for o in ADD_OPTIONS}


@registry.sub(
    "research",
    "add",
    "Add a project: kind, title, your role, target venue, collaborators",
    *ADD_OPTIONS,
)
async def add(ctx: Context, cmd: Command) -> Response:
    if not cmd.opt("kind") or not cmd.opt("title").strip():
        return Response(text=ctx.msg("research_add_intro"), form=_form(ctx))
    sec, msg = _sec(ctx), ctx.msg
    typed, after = inputs.trailing_options(cmd.opt("title"), set(OPTIONS) - {"kind", "title"})
    said, typed = inputs.leading_kind(sec, cmd.opt("kind"), typed)
    cmd = replace(cmd, options={**cmd.options, **after})
    kind = inputs.kind(sec, said, msg)
    title = clean_text(typed, field="the title", max_length=inputs.TITLE_MAX)
    role = inputs.role(sec, cmd.opt("role"), msg)
    stage = (
        inputs.stage(sec, kind, cmd.opt("stage"), msg) if cmd.opt("stage") else sec.ladder(kind)[0]
    )
    venue, venue_id = inputs.venue(ctx.pack, cmd.opt("venue"))
    related = inputs.yes_no(cmd.opt("related"), venue_id is not None, msg)
    authors = clean_text(
        cmd.opt("authors"), field="the authors", max_length=inputs.AUTHORS_MAX, required=False
    )
    now = ctx.now()
    async with ctx.db.begin() as conn:
        people = await inputs.collaborators(
            conn, ctx.community_id, ctx.member_id, cmd.opt("with"), msg
        )
        have = await store.count(conn, ctx.community_id, ctx.member_id)
        if have >= sec.max_projects:
            raise UserError(msg("research_too_many", n=sec.max_projects))
        new = NewProject(kind, title, role, venue, venue_id, related, authors, stage, people)
        project_id = await store.add(conn, ctx.community_id, ctx.member_id, new, now)
        project = await store.get(conn, ctx.community_id, ctx.member_id, project_id)
        assert project is not None
        stall = await jobs.plan_stall(conn, owner(ctx), project, now)
        reminders = await jobs.plan_deadlines(conn, owner(ctx), project, now)
    lines = [
        msg(
            "research_added",
            id=project_id,
            title=title,
            kind=kind_label(sec, kind),
            role=role_label(sec, role).lower(),
            stage=sec.stage(stage).label,
        )
    ]
    if venue:
        lines.append(msg("research_added_venue", venue=venue))
    if people:
        lines.append(msg("research_added_with", names=", ".join(p.name for p in people)))
    lines += [_deadline_line(ctx, d, first) for d, first in reminders]
    if stall:
        lines.append(msg("research_stall_set", days=sec.stall_days, stage=sec.stage(stage).label))
    return Response(
        text="\n".join(lines),
        buttons=_move_buttons(ctx, project),
        data={
            "research_project": {
                "id": project_id,
                "kind": kind,
                "stage": stage,
                "role": role,
                "venue": venue,
                "venue_id": venue_id,
                "related": related,
                "collaborators": [p.to_json() for p in people],
                "deadlines": [d.day.isoformat() for d, _ in reminders],
                "stall": stall.isoformat() if stall else None,
            }
        },
    )


def _deadline_line(ctx: Context, d: jobs.Deadline, first: datetime) -> str:
    days = ", ".join(str(n) for n in sorted(_sec(ctx).deadline_reminder_days, reverse=True))
    return ctx.msg(
        "research_deadline_set",
        meeting=jobs.meeting_name(ctx.pack, d.meeting),
        day=day_label(d.day),
        days=days,
        first=_day(ctx, first),
    )


def _move_buttons(ctx: Context, project: Project) -> tuple[Button, ...]:
    nxt = jobs.next_stage(_sec(ctx), project)
    if nxt is None:
        return ()
    label = ctx.msg("research_button_move", stage=_sec(ctx).stage(nxt).label)
    return (Button(label, f"research move {project.id} {nxt}", "primary"),)


@registry.sub(
    "research",
    "move",
    "Move a project to its next stage (or name one; a step back is fine, with a note)",
    OptionSpec("id", "the project's number, from /research list", max_length=20),
    OptionSpec("stage", "the stage (default: the next one)", required=False, max_length=40),
    OptionSpec("note", "a note on the move", kind="text", required=False, max_length=NOTE_MAX),
)
async def move(ctx: Context, cmd: Command) -> Response:
    project = await mine(ctx, cmd.opt("id"))
    sec, msg = _sec(ctx), ctx.msg
    ladder = sec.ladder(project.kind)
    if cmd.opt("stage"):
        target = inputs.stage(sec, project.kind, cmd.opt("stage"), msg)
    else:
        nxt = jobs.next_stage(sec, project)
        if nxt is None:
            raise UserError(
                msg("research_at_top", id=project.id, stage=sec.stage(project.stage).label)
            )
        target = nxt
    if target == project.stage:
        raise UserError(msg("research_same_stage", id=project.id, stage=sec.stage(target).label))
    note = clean_text(cmd.opt("note"), field="the note", max_length=NOTE_MAX, required=False)
    back = project.stage in ladder and ladder.index(target) < ladder.index(project.stage)
    now = ctx.now()
    async with ctx.db.begin() as conn:
        await store.move(conn, ctx.community_id, ctx.member_id, project, target, note, now)
        moved = await store.get(conn, ctx.community_id, ctx.member_id, project.id)
        assert moved is not None
        stall = await jobs.plan_stall(conn, owner(ctx), moved, now)
        reminders = await jobs.plan_deadlines(conn, owner(ctx), moved, now)
        mentors = await _mentors(conn, ctx) if sec.stage(target).good_news else []
    was, now_label = sec.stage(project.stage).label, sec.stage(target).label
    lines = [
        msg(
            "research_moved_back" if back else "research_moved",
            id=project.id,
            title=shorten(project.title, 120),
            was=was,
            stage=now_label,
            day=_day(ctx, now),
        )
    ]
    if back:
        lines.append(msg("research_moved_back_note"))
    if note:
        lines.append(msg("research_moved_note", note=note))
    if stall:
        lines.append(msg("research_stall_set", days=sec.stall_days, stage=now_label))
    lines += [_deadline_line(ctx, d, first) for d, first in reminders]
    buttons = list(_move_buttons(ctx, moved))
    data: dict[str, object] = {
        "project": project.id,
        "from": project.stage,
        "to": target,
        "back": back,
        "at": now.isoformat(),
    }
    if sec.stage(target).good_news:
        draft = _draft(ctx, sec, moved)
        lines += ["", msg("research_good_news", stage=now_label.lower()), "", draft, ""]
        if mentors:
            names = ", ".join(c.name for c in mentors)
            lines.append(msg("research_good_news_mentors", names=names))
            buttons.insert(
                0, Button(msg("research_button_shared"), f"research shared {project.id}", "primary")
            )
        else:
            lines.append(msg("research_good_news_no_mentors"))
        data["draft"] = draft
        data["mentors"] = [c.id for c in mentors]
    return Response(text="\n".join(lines), buttons=tuple(buttons), data={"research_move": data})


async def _mentors(conn: AsyncConnection, ctx: Context) -> list[contact_store.Contact]:
    """The contacts kept up to date: mentors by role, or ones the member turned on."""
    rules = contact_rules(ctx.pack)
    people = await contact_store.listed(conn, ctx.community_id, ctx.member_id)
    return [
        c
        for c in people
        if c.updates == updates.ON or (c.updates != updates.OFF and rules.is_mentor(c.role))
    ]


def _draft(ctx: Context, sec: ResearchSection, project: Project) -> str:
    venue = ctx.msg("research_draft_at", venue=project.venue) if project.venue else ""
    return ctx.msg(
        f"research_draft_{project.stage}"
        if project.stage in ("accepted", "published", "presented")
        else "research_draft_accepted",
        title=project.title,
        kind=kind_label(sec, project.kind).lower(),
        role=role_label(sec, project.role).lower(),
        venue=venue,
        stage=sec.stage(project.stage).label.lower(),
    )


@registry.sub(
    "research",
    "shared",
    "You sent the good news to your mentors: their update reminders start again",
    OptionSpec("id", "the project's number", max_length=20),
    hidden=True,
)
async def shared(ctx: Context, cmd: Command) -> Response:
    project = await mine(ctx, cmd.opt("id"))
    sec, now = _sec(ctx), ctx.now()
    rules = contact_rules(ctx.pack)
    days = cadence(ctx.pack, ctx.community.settings, "update")
    who = ContactOwner(ctx.community_id, ctx.member_id, ctx.membership.tz_name, rules.nudge_hour)
    text = ctx.msg(
        "research_shared_log",
        title=shorten(project.title, 200),
        stage=sec.stage(project.stage).label.lower(),
    )
    out = []
    async with ctx.db.begin() as conn:
        for c in await _mentors(conn, ctx):
            await contact_store.log(
                conn,
                ctx.community_id,
                ctx.member_id,
                c.id,
                now,
                kind="emailed",
                text=shorten(text, 500),
                awaiting_reply=c.awaiting_reply,
            )
            due = await updates.refresh(conn, who, c.id, now, days, rules)
            out.append((c, due))
    if not out:
        return Response(text=ctx.msg("research_good_news_no_mentors"), data={"research_shared": []})
    lines = [ctx.msg("research_shared", n=len(out))]
    lines += [
        ctx.msg("research_shared_line", name=c.name, when=_day(ctx, due) if due else "-")
        for c, due in out
    ]
    return Response(
        text="\n".join(lines),
        data={
            "research_shared": [
                {"contact": c.id, "next_update": due.isoformat() if due else None} for c, due in out
            ]
        },
    )


@registry.sub(
    "research",
    "commit",
    'Make "move project X one step" a suggested commitment in your next check-in',
    OptionSpec("id", "the project's number", max_length=20),
)
async def commit(ctx: Context, cmd: Command) -> Response:
    project = await mine(ctx, cmd.opt("id"))
    async with ctx.db.begin() as conn:
        await store.set_commit(conn, ctx.community_id, ctx.member_id, project.id, ctx.now())
    text = ctx.msg("research_committed", commitment=ctx.msg("research_commitment", id=project.id))
    return Response(text=text, data={"research_commit": project.id})


@registry.sub("research", "list", "Your projects with their stage and since when")
async def listing(ctx: Context, cmd: Command) -> Response:
    sec = _sec(ctx)
    async with ctx.db.connect() as conn:
        projects = await store.listed(conn, ctx.community_id, ctx.member_id)
    if not projects:
        return Response(text=ctx.msg("research_list_empty"), data={"research": []})
    fields = tuple(
        Field(
            f"#{p.id} · {shorten(p.title, 200)}",
            ctx.msg(
                "research_list_line",
                kind=kind_label(sec, p.kind),
                stage=sec.stage(p.stage).label,
                since=_day(ctx, p.stage_at),
                venue=f" · {p.venue}" if p.venue else "",
            ),
        )
        for p in projects[:LIST_LIMIT]
    )
    return Response(
        title=ctx.msg("research_list_title"),
        text=ctx.msg("research_list_count", n=len(projects)),
        fields=fields,
        data={"research": [{"id": p.id, "kind": p.kind, "stage": p.stage} for p in projects]},
    )


@registry.sub(
    "research",
    "show",
    "One project: details and every dated move",
    OptionSpec("id", "the project's number", max_length=20),
)
async def show(ctx: Context, cmd: Command) -> Response:
    project = await mine(ctx, cmd.opt("id"))
    sec = _sec(ctx)
    async with ctx.db.connect() as conn:
        history = await store.moves(conn, ctx.community_id, project.id)
    fields = [
        Field(ctx.msg("research_field_kind"), kind_label(sec, project.kind), True),
        Field(ctx.msg("research_field_role"), role_label(sec, project.role), True),
        Field(ctx.msg("research_field_stage"), sec.stage(project.stage).label, True),
    ]
    if project.venue:
        fields.append(Field(ctx.msg("research_field_venue"), project.venue, True))
    if project.collaborators:
        names = ", ".join(
            c.name + (f" (#{c.contact})" if c.contact else "") for c in project.collaborators
        )
        fields.append(Field(ctx.msg("research_field_with"), shorten(names, 1000)))
    lines = [
        ctx.msg(
            "research_history_line",
            day=_day(ctx, m.at),
            stage=sec.stage(m.to_stage).label
            if m.to_stage in {s.id for s in sec.stages}
            else m.to_stage,
            note=f" ({m.note})" if m.note else "",
        )
        for m in history
    ]
    fields.append(Field(ctx.msg("research_field_history"), shorten("\n".join(lines), 1000)))
    buttons = (
        *_move_buttons(ctx, project),
        Button(ctx.msg("research_button_commit"), f"research commit {project.id}"),
    )
    return Response(
        title=f"#{project.id} · {shorten(project.title, 200)}",
        fields=tuple(fields),
        buttons=buttons,
        data={
            "research_project": {
                "id": project.id,
                "stage": project.stage,
                "moves": [
                    {"from": m.from_stage, "to": m.to_stage, "at": m.at.isoformat(), "note": m.note}
                    for m in history
                ],
            }
        },
    )


@registry.sub(
    "research",
    "remove",
    "Remove a project, its history and its reminders",
    OptionSpec("id", "the project's number", max_length=20),
)
async def remove(ctx: Context, cmd: Command) -> Response:
    project = await mine(ctx, cmd.opt("id"))
    async with ctx.db.begin() as conn:
        await jobs.drop(conn, ctx.community_id, project.id)
        await store.remove(conn, ctx.community_id, ctx.member_id, project.id)
    return Response(
        text=ctx.msg("research_removed", id=project.id, title=shorten(project.title, 120)),
        data={"research_removed": project.id},
    )
