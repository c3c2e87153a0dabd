"""/research summary and export for the member; /research report (counts
only, never titles) and abstract deadlines for organisers."""

from __future__ import annotations

from datetime import timedelta

from bot.commands import Command, OptionSpec
from bot.context import Context
from bot.errors import UserError
from bot.features.conference.dates import day_label, today_in
from bot.features.research import jobs, portfolio, store
from bot.features.research.commands import kind_label
from bot.features.research.content import Benchmark, research_rules
from bot.members import load_membership
from bot.registry import registry
from bot.responses import Field, File, Response
from bot.text import clean_text, shorten
from bot.timelang import NeedsChoice, leading, read_day
from bot.timelang.choices import ask, exact_day

MONTH = timedelta(days=30)


@registry.sub(
    "research", "summary", "Your projects by kind and stage, against the field's benchmarks"
)
async def summary(ctx: Context, cmd: Command) -> Response:
    sec, msg = research_rules(ctx.pack), ctx.msg
    async with ctx.db.connect() as conn:
        projects = await store.listed(conn, ctx.community_id, ctx.member_id)
    t = portfolio.tally(sec, projects)
    fields = []
    for kind_id, stages in portfolio.by_kind(sec, projects).items():
        parts = [f"{sec.stage(s).label} {n}" for s, n in stages.items()]
        fields.append(Field(kind_label(sec, kind_id), ", ".join(parts), True))
    lines = [
        msg(
            "research_summary_counts",
            done=t.done,
            related=t.related,
            field=sec.related_label,
            papers=t.papers,
            first=t.first_author_papers,
            waiting=t.under_review,
            going=t.in_progress,
        )
    ]
    levels = []
    for b in sec.benchmarks:
        met = t.meets(b)
        levels.append({"id": b.id, "met": met})
        lines.append(
            msg(
                "research_benchmark_met" if met else "research_benchmark_short",
                label=b.label,
                advice=b.advice,
                missing=_missing(ctx, b, t),
            )
        )
    if not sec.benchmarks:
        lines.append(msg("research_benchmark_none"))
    return Response(
        title=msg("research_summary_title"),
        text="\n".join(lines),
        fields=tuple(fields),
        data={
            "research_summary": {
                "done": t.done,
                "related": t.related,
                "papers": t.papers,
                "first_author_papers": t.first_author_papers,
                "under_review": t.under_review,
                "in_progress": t.in_progress,
                "benchmarks": levels,
                "by_kind": {k: dict(v) for k, v in portfolio.by_kind(sec, projects).items()},
            }
        },
    )


def _missing(ctx: Context, b: Benchmark, t: portfolio.Tally) -> str:
    gaps = []
    if t.done < b.items:
        gaps.append(ctx.msg("research_gap_items", n=b.items - t.done))
    if t.related < b.related:
        gaps.append(
            ctx.msg(
                "research_gap_related",
                n=b.related - t.related,
                field=research_rules(ctx.pack).related_label,
            )
        )
    if t.papers < b.papers:
        gaps.append(ctx.msg("research_gap_papers", n=b.papers - t.papers))
    if t.first_author_papers < b.first_author_papers:
        gaps.append(ctx.msg("research_gap_first", n=b.first_author_papers - t.first_author_papers))
    return ", ".join(gaps)


@registry.sub(
    "research",
    "export",
    "An application-ready list: citation, your position, status (text and CSV)",
)
async def export(ctx: Context, cmd: Command) -> Response:
    sec = research_rules(ctx.pack)
    async with ctx.db.connect() as conn:
        projects = await store.listed(conn, ctx.community_id, ctx.member_id)
    me = ctx.profile.display_name or ctx.member_id
    rows = portfolio.entries(sec, projects, me)
    if not rows:
        return Response(text=ctx.msg("research_export_empty"), data={"research_export": []})
    lines = [ctx.msg("research_export_intro", n=len(rows), file="research-portfolio.csv")]
    status = None
    for e in rows:
        if e.status != status:
            status = e.status
            lines.append(f"**{status}**")
        lines.append(ctx.msg("research_export_line", citation=e.citation, role=e.role))
    return Response(
        title=ctx.msg("research_export_title"),
        text=shorten("\n".join(lines), 3500),
        file=File("research-portfolio.csv", "text/csv", portfolio.to_csv(rows)),
        data={
            "research_export": [
                {"status": e.status, "citation": e.citation, "role": e.role} for e in rows
            ]
        },
    )


@registry.sub(
    "research",
    "report",
    "Organisers: how research is moving here (counts only)",
    organiser_only=True,
)
async def report(ctx: Context, cmd: Command) -> Response:
    sec, now = research_rules(ctx.pack), ctx.now()
    done = [s.id for s in sec.stages if s.done]
    async with ctx.db.connect() as conn:
        c = await store.counts(
            conn, ctx.community_id, now - MONTH, now - timedelta(days=sec.season_days), done
        )
    text = ctx.msg(
        "research_report",
        members=c.members,
        projects=c.projects,
        moved=c.moved,
        finished=c.finished,
        days=sec.season_days,
    )
    return Response(
        title=ctx.msg("research_report_title"),
        text=text,
        data={
            "research_report": {
                "members": c.members,
                "projects": c.projects,
                "moved": c.moved,
                "finished": c.finished,
            }
        },
    )


@registry.sub(
    "research",
    "deadline",
    "Organisers: add a meeting's abstract deadline for this community",
    OptionSpec("meeting", "one of the pack's meetings, e.g. sir", max_length=40),
    OptionSpec("day", "the deadline, e.g. Sept 15, in 6 weeks or 2027-09-15", max_length=40),
    OptionSpec("label", "e.g. SIR 2028 abstracts", kind="text", required=False, max_length=80),
    organiser_only=True,
)
async def deadline(ctx: Context, cmd: Command) -> Response:
    msg, now, tz = ctx.msg, ctx.now(), ctx.membership.tz_name
    wanted = cmd.opt("meeting").strip().lower()
    meeting = next((m for m in ctx.pack.meetings if wanted in (m.id, m.short.lower())), None)
    if meeting is None:
        raise UserError(
            msg(
                "research_bad_meeting",
                given=shorten(wanted, 40),
                meetings=", ".join(m.id for m in ctx.pack.meetings),
            )
        )
    typed = cmd.opt("day"), cmd.opt("label")
    words, typed_label = day_and_label(*typed) if cmd.raw else typed
    try:
        day = read_day(words, now, tz)
    except NeedsChoice as exc:  # 03/04, or a far date without a year: the organiser picks
        quoted = typed_label.replace('"', "'")
        named = f' label="{quoted}"' if quoted else ""
        return ask(
            msg,
            exc,
            lambda r: f"research deadline {meeting.id} {exact_day(r, tz)}{named}",
            days=True,
        )
    if day <= today_in(now, tz):
        raise UserError(msg("research_day_past", day=day_label(day)))
    label = clean_text(typed_label, field="the label", max_length=80, required=False)
    planned = 0
    async with ctx.db.begin() as conn:
        if not await store.add_deadline(
            conn, ctx.community_id, meeting.id, day, label, ctx.member_id, now
        ):
            raise UserError(
                msg("research_deadline_exists", meeting=meeting.short, day=day_label(day))
            )
        for member_id, project in await store.aimed_at(conn, ctx.community_id, meeting.id):
            community, profile = await load_membership(conn, ctx.community_id, member_id)
            if community is None or profile is None:
                continue
            pack = ctx.rounds.content.pack(profile.pack or community.pack)
            who = jobs.Owner(
                ctx.community_id, member_id, profile.timezone or community.timezone, pack
            )
            if await jobs.plan_deadlines(conn, who, project, now):
                planned += 1
    return Response(
        text=msg("research_deadline_added", meeting=meeting.short, day=day_label(day), n=planned),
        data={
            "research_deadline": {
                "meeting": meeting.id,
                "day": day.isoformat(),
                "projects": planned,
            }
        },
    )


def day_and_label(day: str, label: str) -> tuple[str, str]:
    """A typed line's deadline and label, where the date leads ('15 mar SIR 2027',
    'in 6 weeks'): the parser gave the date's first word alone to `day`."""
    if not label:
        return day, label
    line = f"{day} {label}"
    end = leading(line)
    if end <= len(day):
        return day, label
    return line[:end].strip(), line[end:].strip()


@registry.sub("research", "deadlines", "Abstract deadlines coming up for the pack's meetings")
async def deadlines(ctx: Context, cmd: Command) -> Response:
    today = today_in(ctx.now(), ctx.membership.tz_name)
    async with ctx.db.connect() as conn:
        added = await store.community_deadlines(conn, ctx.community_id)
    coming = [
        d
        for m in ctx.pack.meetings
        for d in jobs.deadlines(ctx.pack, added, m.id)
        if d.day >= today
    ]
    coming.sort(key=lambda d: d.day)
    if not coming:
        return Response(text=ctx.msg("research_deadlines_none"), data={"research_deadlines": []})
    fields = tuple(
        Field(
            jobs.meeting_name(ctx.pack, d.meeting),
            f"{day_label(d.day)}" + (f" · {d.label}" if d.label else ""),
            True,
        )
        for d in coming[:25]
    )
    return Response(
        title=ctx.msg("research_deadlines_title"),
        fields=fields,
        data={
            "research_deadlines": [{"meeting": d.meeting, "day": d.day.isoformat()} for d in coming]
        },
    )
