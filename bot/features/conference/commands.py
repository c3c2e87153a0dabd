"""/conference: meetings as community events. Organisers add them with their
dates (data, never code); attendees get a preparation plan, a daily 3-2-1 at
the meeting, contacts logged in the contact log (tagged with the conference, with
the contact log's own follow-up nudges), and an after-meeting summary."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.commands import Command, OptionSpec
from bot.context import Context
from bot.errors import NotAllowed, NotFound, UserError
from bot.features.conference import plan, store
from bot.features.conference.content import ConferenceSection, conference_rules, prep_weeks
from bot.features.conference.dates import day_label, today_in
from bot.features.conference.store import Conference, Tagged
from bot.features.conference.typed import met_fields, target_fields
from bot.features.contacts import nudges, updates
from bot.features.contacts import store as contact_store
from bot.features.contacts.nudges import Owner
from bot.features.contacts.rules import cadence, rules
from bot.features.reminders.when import local
from bot.registry import registry
from bot.responses import Button, Field, Response
from bot.scheduling.jobs import NewJob, cancel, schedule_many
from bot.text import clean_text, shorten, unquoted
from bot.timelang import NeedsChoice, find_day, local_day, read_day
from bot.timelang.choices import ask, replaced
from bot.zones import names_a_zone

registry.command("conference", "Conference mode: prepare, meet with 3-2-1, follow up", "list")
WHICH_CONFERENCE = OptionSpec("name", "the conference", kind="text", required=False, max_length=80)
NAME = OptionSpec("name", "the conference, e.g. SIR 2027", kind="text", max_length=80)
AT = OptionSpec("at", "which conference (when you attend several)", required=False, max_length=80)


def _rules(ctx: Context) -> ConferenceSection:
    return conference_rules(ctx.pack)


def _span(conf: Conference) -> str:
    where = f", {conf.city}" if conf.city else ""
    return f"{day_label(conf.start)} to {day_label(conf.end)}{where} ({conf.tz})"


async def _find(conn: AsyncConnection, ctx: Context, name: str) -> Conference:
    conf = await store.find(conn, ctx.community_id, name)
    if conf is None:
        raise NotFound(ctx.msg("conf_not_found", name=shorten(clean_name(name), 60)))
    return conf


def clean_name(name: str) -> str:
    return clean_text(name, field="the conference name", max_length=80)


# ---------------------------------------------------------------- organisers


@registry.sub(
    "conference",
    "add",
    "Add a conference with its dates (organisers)",
    OptionSpec(
        "name",
        "its name, then the first and last day: SIR 2027 March 20 2027 to March 24 2027",
        kind="text",
        max_length=300,
    ),
    OptionSpec("start", "first day, e.g. April 10 or 2027-04-10", required=False, max_length=40),
    OptionSpec("end", "last day, e.g. April 14 or 2027-04-14", required=False, max_length=40),
    OptionSpec("city", "where it is", required=False, max_length=80),
    OptionSpec("timezone", "its time zone, e.g. America/Chicago", required=False, max_length=64),
    organiser_only=True,
)
async def add(ctx: Context, cmd: Command) -> Response:
    try:
        name, start, end, city, zone_word = _span_of(ctx, cmd)
    except NeedsChoice as exc:
        line, choice = cmd.opt("name"), exc  # the typed line, or Discord's name box
        return ask(
            ctx.msg,
            exc,
            lambda r: f"conference add {replaced(line, choice, r, days=True)}",
            days=True,
        )
    name = clean_name(name)
    if not store.slug(name):
        raise UserError(ctx.msg("conf_name_bad"))
    city = clean_text(city, field="the city", max_length=80, required=False)
    if not zone_word and city and names_a_zone(city, ctx.rounds.content.zones):
        zone_word, city = city, ""  # "/conference add X <start> <end> America/Chicago"
    zone = ctx.zone(zone_word) if zone_word else None
    tz = zone.name if zone else ctx.membership.tz_name
    today = today_in(ctx.now(), tz)
    sec = _rules(ctx)
    if end < start:
        raise UserError(
            ctx.msg("conf_end_before_start", start=day_label(start), end=day_label(end))
        )
    if end < today:
        raise UserError(ctx.msg("conf_over", end=day_label(end), today=day_label(today)))
    if (end - start).days + 1 > sec.max_days:
        raise UserError(ctx.msg("conf_too_long", days=(end - start).days + 1, max=sec.max_days))
    async with ctx.db.begin() as conn:
        existing = await store.find(conn, ctx.community_id, name)
        if existing is not None:
            raise UserError(ctx.msg("conf_exists", name=existing.name, span=_span(existing)))
        conf_id = await store.add(
            conn,
            ctx.community_id,
            name=name,
            start=start,
            end=end,
            city=city,
            tz=tz,
            by=ctx.member_id,
            now=ctx.now(),
        )
    conf = Conference(conf_id, name, store.slug(name), start, end, city, tz)
    text = ctx.msg("conf_added", name=name, span=_span(conf), slug=conf.slug)
    text += zone.aside(ctx.msg) if zone else ""
    return Response(
        text=text,
        buttons=(
            Button(ctx.msg("conf_button_attend"), f"conference attend {conf.slug}", "primary"),
        ),
        data={"conference": _conf_data(conf)},
    )


_SPAN_WORDS = re.compile(r"^(?:to|until|till|through|thru|and|-|–|—)\s+", re.IGNORECASE)


def _span_of(ctx: Context, cmd: Command) -> tuple[str, date, date, str, str]:
    """Name, first and last day, city and zone: from separate options (Discord) or one
    typed line, where the first date ends the name ('SIR 2027 2027-03-20 2027-03-24')."""
    now, tz = ctx.now(), ctx.membership.tz_name
    if cmd.opt("start"):
        start = read_day(cmd.opt("start"), now, tz)
        end = read_day(cmd.opt("end") or cmd.opt("start"), now, tz)
        return cmd.opt("name"), start, end, cmd.opt("city"), cmd.opt("timezone")
    line = cmd.opt("name")
    first = find_day(line, now, tz)
    if first is None or not first[0]:
        raise UserError(ctx.msg("conf_add_dates_missing", text=shorten(line, 60)))
    name, start_reading, rest = first
    rest = _SPAN_WORDS.sub("", rest, count=1)
    try:
        second = find_day(rest, now, tz)
    except NeedsChoice as exc:
        exc.start += len(line) - len(rest)  # where the second date starts in the line
        raise
    if second is None or second[0]:
        raise UserError(ctx.msg("conf_add_dates_missing", text=shorten(line, 60)))
    _, end_reading, tail = second
    words = tail.split()
    zones = ctx.rounds.content.zones
    zone_word = words.pop() if words and names_a_zone(words[-1], zones) else ""
    zone = start_reading.zone or end_reading.zone or ""
    return (
        unquoted(name),
        local_day(start_reading, tz),
        local_day(end_reading, tz),
        " ".join(words),
        zone_word or zone,
    )


def _conf_data(conf: Conference) -> dict[str, object]:
    return {
        "id": conf.id,
        "name": conf.name,
        "slug": conf.slug,
        "start": conf.start.isoformat(),
        "end": conf.end.isoformat(),
        "city": conf.city,
        "timezone": conf.tz,
    }


@registry.sub(
    "conference",
    "remove",
    "Remove a conference and its reminders (organisers); contacts stay in members' logs",
    NAME,
    organiser_only=True,
)
async def remove(ctx: Context, cmd: Command) -> Response:
    async with ctx.db.begin() as conn:
        conf = await _find(conn, ctx, cmd.opt("name"))
        await cancel(conn, ctx.community_id, key_prefix=f"conf:{conf.id}:")
        await store.remove(conn, ctx.community_id, conf.id)
    return Response(text=ctx.msg("conf_removed", name=conf.name), data={"removed": conf.id})


@registry.sub(
    "conference",
    "report",
    "Attendees, people met, follow-ups sent on time (organisers; no notes shown)",
    NAME,
    organiser_only=True,
)
async def report(ctx: Context, cmd: Command) -> Response:
    window = cadence(ctx.pack, ctx.community.settings, "follow-up").max
    async with ctx.db.connect() as conn:
        conf = await _find(conn, ctx, cmd.opt("name"))
        people = await store.attendees(conn, ctx.community_id, conf.id)
        rows = await store.tagged(conn, ctx.community_id, conf.id)
        emailed = await store.first_emails(conn, ctx.community_id, [t for _, t in rows])
    today = today_in(ctx.now(), conf.tz)
    per: dict[str, dict[str, int]] = {
        m: {"met": 0, "faculty": 0, "peers": 0, "deep": 0, "targets": 0, "targets_met": 0}
        | {"due": 0, "on_time": 0}
        for m in people
    }
    for member, t in rows:
        row = per.setdefault(
            member,
            {"met": 0, "faculty": 0, "peers": 0, "deep": 0, "targets": 0, "targets_met": 0}
            | {"due": 0, "on_time": 0},
        )
        row["targets"] += t.target
        if not t.met or t.met_day is None:
            continue
        row["met"] += 1
        row["targets_met"] += t.target
        row["faculty" if t.kind == "faculty" else "peers"] += 1
        row["deep"] += t.deep
        last_day = conf.follow_up_from(t.met_day) + timedelta(days=window)
        sent = emailed.get(t.contact_id)
        sent_day = today_in(sent, conf.tz) if sent else None
        if sent_day is not None or today > last_day:  # the window has closed, or it was sent
            row["due"] += 1
            row["on_time"] += sent_day is not None and sent_day <= last_day
    fields = []
    for member, r in per.items():
        share = f"{r['on_time']}/{r['due']}" if r["due"] else "none due yet"
        fields.append(
            Field(
                member,
                ctx.msg(
                    "conf_report_line",
                    met=r["met"],
                    faculty=r["faculty"],
                    peers=r["peers"],
                    deep=r["deep"],
                    targets_met=r["targets_met"],
                    targets=r["targets"],
                    share=share,
                ),
            )
        )
    due = sum(r["due"] for r in per.values())
    on_time = sum(r["on_time"] for r in per.values())
    pct = round(100 * on_time / due) if due else None
    text = ctx.msg(
        "conf_report_text",
        attendees=len(people),
        met=sum(r["met"] for r in per.values()),
        share=f"{on_time}/{due} ({pct}%)" if due else ctx.msg("conf_report_none_due"),
        days=window,
    )
    return Response(
        title=ctx.msg("conf_report_title", name=conf.name),
        text=text,
        fields=tuple(fields[:25]),
        data={
            "conference_report": {
                "conference": conf.name,
                "attendees": people,
                "per_attendee": per,
                "follow_ups_due": due,
                "follow_ups_on_time": on_time,
                "on_time_share": on_time / due if due else None,
            }
        },
    )


# ---------------------------------------------------------------- everyone


@registry.sub("conference", "list", "Upcoming conferences in this community")
async def list_(ctx: Context, cmd: Command) -> Response:
    since = today_in(ctx.now(), "UTC") - timedelta(days=1)
    async with ctx.db.connect() as conn:
        rows = await store.listed(conn, ctx.community_id, ctx.member_id, since)
    rows = [(c, n, mine) for c, n, mine in rows if c.end >= today_in(ctx.now(), c.tz)]
    usual = ", ".join(m.name for m in ctx.pack.meetings)
    if not rows:
        text = ctx.msg("conf_list_empty")
        if usual:
            text += " " + ctx.msg("conf_usual", meetings=usual)
        return Response(text=text, data={"conferences": []})
    fields = tuple(
        Field(
            f"{c.name}" + (" ✓" if mine else ""),
            f"{_span(c)}\n{ctx.msg('conf_list_attendees', n=n)} · `/conference attend {c.slug}`",
        )
        for c, n, mine in rows[:25]
    )
    text = ctx.msg("conf_usual", meetings=usual) if usual and ctx.is_organiser else ""
    return Response(
        title=ctx.msg("conf_list_title"),
        text=text,
        fields=fields,
        data={"conferences": [_conf_data(c) | {"attendees": n, "mine": m} for c, n, m in rows]},
    )


@registry.sub(
    "conference", "attend", "Attend a conference: get the preparation plan and daily 3-2-1", NAME
)
async def attend(ctx: Context, cmd: Command) -> Response:
    sec, now = _rules(ctx), ctx.now()
    lead = prep_weeks(ctx.pack)
    async with ctx.db.begin() as conn:
        conf = await _find(conn, ctx, cmd.opt("name"))
        if conf.end < today_in(now, conf.tz):
            raise UserError(ctx.msg("conf_attend_over", name=conf.name, end=day_label(conf.end)))
        if any(
            c.id == conf.id for c in await store.attending(conn, ctx.community_id, ctx.member_id)
        ):
            return Response(text=ctx.msg("conf_attend_already", name=conf.name))
        await store.attend(conn, ctx.community_id, conf.id, ctx.member_id, now)
        items, missed = plan.plan(conf, sec, lead, now)
        prefix = plan.key_prefix(conf.id, ctx.member_id)
        jobs = [
            NewJob(
                item.kind,
                item.due,
                ctx.member_id,
                item.payload,
                timezone=conf.tz,
                key=prefix + item.suffix,
            )
            for item in items
        ]
        await schedule_many(conn, ctx.community_id, jobs, now)
    ctx.rounds.wake()
    steps = {s.id: s for s in sec.steps}
    prep = [i for i in items if i.kind == plan.PREP]
    lines = [ctx.msg("conf_attending", name=conf.name, span=_span(conf))]
    if prep:
        lines.append(ctx.msg("conf_plan_intro", weeks=lead))
        lines += [f"- {local(i.due, conf.tz)}: {steps[str(i.payload['step'])].title}" for i in prep]
    if missed:
        lines.append(ctx.msg("conf_plan_catch_up"))
        lines += [f"- **{s.title}**: {s.text}" for s in missed]
    d = sec.daily
    lines.append(
        ctx.msg(
            "conf_plan_daily",
            faculty=d.faculty,
            peers=d.peers,
            deep=d.deep,
            minutes=d.deep_minutes,
            morning=sec.morning_prompt,
            evening=sec.evening_summary,
        )
    )
    return Response(
        text="\n".join(lines),
        data={
            "attend": {
                "conference": conf.name,
                "scheduled": [
                    {"kind": i.kind, "due": i.due.isoformat(), **i.payload} for i in items
                ],
                "missed_steps": [s.id for s in missed],
            }
        },
    )


@registry.sub(
    "conference",
    "leave",
    "Stop attending a conference (its reminders stop; your contacts stay in your log)",
    WHICH_CONFERENCE,
)
async def leave(ctx: Context, cmd: Command) -> Response:
    async with ctx.db.begin() as conn:
        conf = await _pick(conn, ctx, cmd.opt("name"), ongoing_first=False)
        await store.leave(conn, ctx.community_id, conf.id, ctx.member_id)
        await cancel(conn, ctx.community_id, key_prefix=plan.key_prefix(conf.id, ctx.member_id))
    return Response(text=ctx.msg("conf_left", name=conf.name), data={"left": conf.name})


async def _pick(
    conn: AsyncConnection, ctx: Context, name: str, *, ongoing_first: bool = True
) -> Conference:
    """The attended conference a command is about: the one named, else the only
    current one (ongoing first, then upcoming)."""
    mine = await store.attending(conn, ctx.community_id, ctx.member_id)
    if name:
        conf = await _find(conn, ctx, name)
        if not any(c.id == conf.id for c in mine):
            raise NotAllowed(ctx.msg("conf_not_attending", name=conf.name, slug=conf.slug))
        return conf
    now = ctx.now()
    live = [c for c in mine if c.end >= today_in(now, c.tz)]
    if ongoing_first:
        ongoing = [c for c in live if c.covers(today_in(now, c.tz))]
        live = ongoing or live
    if not live:
        raise UserError(ctx.msg("conf_none_attending"))
    if len(live) > 1:
        names = ", ".join(c.slug for c in live)
        raise UserError(ctx.msg("conf_which", names=names))
    return live[0]


# ---------------------------------------------------------------- targets


@registry.sub(
    "conference",
    "target",
    "Add someone to meet to your target list (kept in your contact log)",
    OptionSpec("action", "add", kind="choice", choices=("add",)),
    OptionSpec("name", "their name, e.g. Dr Sam Lee", max_length=120),
    OptionSpec("role", "e.g. IR attending, program director", required=False, max_length=120),
    OptionSpec("institution", "where they work", required=False, max_length=120),
    OptionSpec("why", "why meet them", required=False, max_length=300),
    OptionSpec(
        "find", "where to find them: a session, a poster", "text", required=False, max_length=300
    ),
    AT,
)
async def target(ctx: Context, cmd: Command) -> Response:
    given, certain = target_fields(cmd, rules(ctx.pack))
    name = clean_text(given["name"], field="the name", max_length=120)
    role = clean_text(given["role"], field="the role", max_length=120, required=False)
    inst = clean_text(given["institution"], field="the institution", max_length=120, required=False)
    why = clean_text(given["why"], field="why", max_length=300, required=False)
    find = clean_text(given["find"], field="where to find them", max_length=300, required=False)
    notes = "\n".join(
        p
        for p in (
            ctx.msg("conf_target_why", why=why) if why else "",
            ctx.msg("conf_target_find", find=find) if find else "",
        )
        if p
    )
    if not certain:
        return _target_check(ctx, {**given, "name": name, "role": role, "institution": inst})
    sec, now = _rules(ctx), ctx.now()
    async with ctx.db.begin() as conn:
        conf = await _pick(conn, ctx, given["at"], ongoing_first=False)
        entries = [t for _, t in await store.tagged(conn, ctx.community_id, conf.id, ctx.member_id)]
        targets = [t for t in entries if t.target]
        if len(targets) >= sec.max_targets:
            raise UserError(ctx.msg("conf_targets_full", max=sec.max_targets, name=conf.name))
        if any(t.name.lower() == name.lower() for t in targets):
            raise UserError(ctx.msg("conf_target_twice", name=name))
        await _room_in_log(conn, ctx)
        contact_id = await contact_store.add(
            conn,
            ctx.community_id,
            ctx.member_id,
            now,
            name=name,
            role=role,
            institution=inst,
            met_where="",
            notes=notes,
        )
        await store.tag(conn, ctx.community_id, conf.id, contact_id, ctx.member_id, target=True)
    return Response(
        text=ctx.msg(
            "conf_target_added", name=name, conf=conf.name, n=len(targets) + 1, id=contact_id
        ),
        data={"target": {"id": contact_id, "name": name, "conference": conf.name}},
    )


async def _room_in_log(conn: AsyncConnection, ctx: Context) -> None:
    count = await contact_store.count(conn, ctx.community_id, ctx.member_id)
    if count >= rules(ctx.pack).max_contacts_per_member:
        raise UserError(ctx.msg("contact_too_many", count=count))


@registry.sub(
    "conference",
    "targets",
    "Your target list for a conference, met or not yet",
    WHICH_CONFERENCE,
)
async def targets(ctx: Context, cmd: Command) -> Response:
    async with ctx.db.connect() as conn:
        conf = await _pick(conn, ctx, cmd.opt("name"), ongoing_first=False)
        entries = [t for _, t in await store.tagged(conn, ctx.community_id, conf.id, ctx.member_id)]
    mine = [t for t in entries if t.target]
    data = {
        "targets": [
            {"id": t.contact_id, "name": t.name, "met": t.met, "kind": t.kind} for t in mine
        ]
    }
    if not mine:
        return Response(text=ctx.msg("conf_targets_empty", name=conf.name), data=data)
    fields = tuple(
        Field(
            f"#{t.contact_id} · {shorten(_label(t), 200)}",
            ctx.msg("conf_target_met", day=day_label(t.met_day))
            if t.met and t.met_day
            else ctx.msg("conf_target_not_met"),
        )
        for t in mine[:25]
    )
    return Response(
        title=ctx.msg("conf_targets_title", name=conf.name),
        text=ctx.msg("conf_targets_text", met=sum(t.met for t in mine), n=len(mine)),
        fields=fields,
        data=data,
    )


def _label(t: Tagged) -> str:
    extra = ", ".join(p for p in (t.role, t.institution) if p)
    return f"{t.name} ({extra})" if extra else t.name


# ---------------------------------------------------------------- at the meeting


def _q(value: str) -> str:
    return '"' + value.replace('"', "'") + '"'


def _target_check(ctx: Context, given: dict[str, str]) -> Response:
    """A guessed split of an unquoted line: shown for a yes, nothing stored."""
    options = " ".join(f"{key}={_q(value)}" for key, value in given.items() if value)
    read = ", ".join(given[key] for key in ("name", "role", "institution") if given[key])
    return Response(
        text=ctx.msg("conf_target_check", read=read),
        buttons=(
            Button(
                ctx.msg("conf_button_target_yes"), f"conference target add {options}", "primary"
            ),
        ),
        data={"target_check": {key: given[key] for key in ("name", "role", "institution")}},
    )


def _anyway(ctx: Context, name: str, notes: str, where: str) -> Button:
    """A button that logs the person in the contact log, untagged."""
    parts = [f"contact add name={_q(name)}"]
    if where:
        parts.append(f"where={_q(where)}")
    if notes:
        parts.append(f"notes={_q(notes)}")
    return Button(ctx.msg("conf_button_log_anyway"), " ".join(parts), "primary")


@registry.sub(
    "conference",
    "met",
    "Log someone you met at the conference (counts towards today's 3-2-1)",
    OptionSpec("name", "their name, or a target's #id", max_length=120),
    OptionSpec("kind", "faculty (or fellow) or peer (student, resident)", max_length=20),
    OptionSpec("deep", "`deep` if you talked 10+ minutes", required=False, max_length=20),
    OptionSpec("notes", "what you talked about", kind="text", required=False, max_length=1000),
    AT,
)
async def met(ctx: Context, cmd: Command) -> Response:
    try:
        return await _log_met(ctx, cmd)
    except _Refused as exc:
        return Response(text=exc.message, error=True, buttons=(exc.button,))


async def _log_met(ctx: Context, cmd: Command) -> Response:
    sec, now = _rules(ctx), ctx.now()
    given = met_fields(cmd, sec)
    name = clean_text(given["name"], field="the name", max_length=120)
    kind_word, deep_word, notes = given["kind"], given["deep"], given["notes"]
    kind = sec.kind_of(kind_word)
    if kind is None:
        raise UserError(ctx.msg("conf_met_kind", word=shorten(kind_word, 20)))
    deep = bool(deep_word) and sec.is_deep(deep_word)
    if deep_word and not deep:
        notes = f"{deep_word} {notes}".strip()
    notes = clean_text(notes, field="the notes", max_length=1000, required=False)
    follow = cadence(ctx.pack, ctx.community.settings, "follow-up")
    update_days = cadence(ctx.pack, ctx.community.settings, "update")
    owner = Owner(
        ctx.community_id, ctx.member_id, ctx.membership.tz_name, rules(ctx.pack).nudge_hour
    )
    async with ctx.db.begin() as conn:
        conf = await _conference_for_met(conn, ctx, given["at"], name, notes)
        day = today_in(now, conf.tz)
        entries = [t for _, t in await store.tagged(conn, ctx.community_id, conf.id, ctx.member_id)]
        wanted = name.lstrip("#")
        match = next(
            (
                t
                for t in entries
                if t.target
                and not t.met
                and (
                    t.name.lower() == name.lower()
                    or (wanted.isdigit() and int(wanted) == t.contact_id)
                )
            ),
            None,
        )
        if match is None and name.startswith("#") and wanted.isdigit():
            raise NotFound(ctx.msg("conf_target_unknown", id=wanted, name=conf.name))
        if match is not None:
            contact_id, person = match.contact_id, match.name
            text = notes or ctx.msg("conf_met_log", name=conf.name)
            await contact_store.log(
                conn,
                ctx.community_id,
                ctx.member_id,
                contact_id,
                now,
                kind="met",
                text=shorten(text, 500),
                awaiting_reply=False,
            )
            await store.mark_met(
                conn,
                ctx.community_id,
                conf.id,
                contact_id,
                kind=kind,
                deep=deep,
                met_day=day,
                met_at=now,
            )
        else:
            await _room_in_log(conn, ctx)
            person = name
            contact_id = await contact_store.add(
                conn,
                ctx.community_id,
                ctx.member_id,
                now,
                name=name,
                role="",
                institution="",
                met_where=conf.name,
                notes=notes,
                updates=updates.OFF if kind == "peer" else None,
            )
            await store.tag(
                conn,
                ctx.community_id,
                conf.id,
                contact_id,
                ctx.member_id,
                target=False,
                kind=kind,
                deep=deep,
                met_day=day,
                met_at=now,
            )
        await nudges.drop(conn, ctx.community_id, contact_id, ["no-reply"])
        due = await nudges.follow_up(
            conn, owner, contact_id, person, conf.name, now, follow, after=conf.follow_up_from(day)
        )
        if kind == "peer" and match is not None and match.contact_id:
            await _peer_updates_off(conn, ctx, contact_id)
        await updates.refresh(conn, owner, contact_id, now, update_days, rules(ctx.pack))
    entries = [t for t in entries if t.contact_id != contact_id]
    entries.append(Tagged(contact_id, person, "", "", match is not None, kind, deep, day, now))
    c, d = store.counts(entries, day), sec.daily
    lines = [
        ctx.msg(
            "conf_met_logged",
            name=person,
            kind=ctx.msg(f"conf_kind_{kind}"),
            deep=ctx.msg("conf_met_deep", minutes=d.deep_minutes) if deep else "",
            conf=conf.name,
            target=ctx.msg("conf_met_was_target") if match else "",
        ),
        count_line(ctx.msg, c, sec),
        ctx.msg(
            "contact_follow_up_set", when=local(due, owner.tz)[:15], min=follow.min, max=follow.max
        ),
    ]
    return Response(
        text="\n".join(lines),
        buttons=(Button(ctx.msg("nudge_button_emailed"), f"contact log {contact_id} emailed"),),
        data={
            "met": {
                "contact": contact_id,
                "name": person,
                "kind": kind,
                "deep": deep,
                "target": match is not None,
                "conference": conf.name,
                "day": day.isoformat(),
                "follow_up": due.isoformat(),
                "today": c.as_dict(),
            }
        },
    )


async def _peer_updates_off(conn: AsyncConnection, ctx: Context, contact_id: int) -> None:
    """A target met as a peer gets no update nudges, unless the member chose them."""
    contact = await contact_store.get(conn, ctx.community_id, ctx.member_id, contact_id)
    if contact is not None and contact.updates is None:
        await contact_store.set_updates(
            conn, ctx.community_id, ctx.member_id, contact_id, updates.OFF
        )


async def _conference_for_met(
    conn: AsyncConnection, ctx: Context, at: str, name: str, notes: str
) -> Conference:
    """The attended conference running today; otherwise a clear error with a
    button that logs the person in the contact log anyway (untagged)."""
    now = ctx.now()
    mine = await store.attending(conn, ctx.community_id, ctx.member_id)
    if at:
        conf = await _find(conn, ctx, at)
        if not any(c.id == conf.id for c in mine):
            raise _met_refused(
                ctx, ctx.msg("conf_met_not_attending", name=conf.name), name, notes, conf.name
            )
        candidates = [conf]
    else:
        candidates = mine
    running = [c for c in candidates if c.covers(today_in(now, c.tz))]
    if len(running) > 1:
        raise UserError(ctx.msg("conf_which", names=", ".join(c.slug for c in running)))
    if running:
        return running[0]
    if not candidates:
        raise _met_refused(ctx, ctx.msg("conf_met_none"), name, notes, "")
    nearest = min(candidates, key=lambda c: abs((c.start - today_in(now, c.tz)).days))
    today = today_in(now, nearest.tz)
    raise _met_refused(
        ctx,
        ctx.msg(
            "conf_met_outside",
            name=nearest.name,
            span=_span(nearest),
            today=day_label(today),
        ),
        name,
        notes,
        nearest.name if today > nearest.end else "",
    )


class _Refused(UserError):
    """A refusal that carries a button (the core turns plain UserErrors into text)."""

    def __init__(self, message: str, button: Button) -> None:
        super().__init__(message)
        self.button = button


def _met_refused(ctx: Context, text: str, name: str, notes: str, where: str) -> _Refused:
    return _Refused(text + " " + ctx.msg("conf_met_anyway"), _anyway(ctx, name, notes, where))


@registry.sub(
    "conference",
    "today",
    "Today's 3-2-1 so far at the conference",
    WHICH_CONFERENCE,
)
async def today(ctx: Context, cmd: Command) -> Response:
    sec = _rules(ctx)
    async with ctx.db.connect() as conn:
        conf = await _pick(conn, ctx, cmd.opt("name"))
        entries = [t for _, t in await store.tagged(conn, ctx.community_id, conf.id, ctx.member_id)]
    day = today_in(ctx.now(), conf.tz)
    c = store.counts(entries, day)
    names = [t.name for t in entries if t.met_day == day]
    lines = []
    if conf.covers(day):
        lines.append(
            ctx.msg("conf_today_day", day=conf.day_number(day), days=conf.days, name=conf.name)
        )
    else:
        lines.append(ctx.msg("conf_today_not_running", name=conf.name, span=_span(conf)))
    lines.append(count_line(ctx.msg, c, sec))
    if names:
        lines.append(ctx.msg("conf_today_names", names=", ".join(names)))
    return Response(
        text="\n".join(lines),
        data={"today": {"conference": conf.name, "day": day.isoformat(), **c.as_dict()}},
    )


def count_line(
    msg: Callable[..., str], c: store.Counts, sec: ConferenceSection, which: str = "today"
) -> str:
    """'Today: 2/3 faculty or fellows, ...' (commands and scheduled messages)."""
    d = sec.daily
    counts = msg(
        "conf_counts",
        faculty=c.faculty,
        faculty_goal=d.faculty,
        peers=c.peers,
        peers_goal=d.peers,
        deep=c.deep,
        deep_goal=d.deep,
        minutes=d.deep_minutes,
    )
    return msg("conf_yesterday" if which == "yesterday" else "conf_today_counts", counts=counts)
