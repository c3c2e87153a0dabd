"""/letters: letters of recommendation with reminders timed from the deadline
by the pack's cadences (ask, a gentle check, confirm uploaded, thank-you), in
the member's zone. Writers need weeks; the bot makes sure they get them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.commands import Command, OptionSpec
from bot.context import Context
from bot.errors import NotFound, UserError
from bot.features.conference.dates import day_label, today_in
from bot.features.contacts import store as contact_store
from bot.features.letters import store
from bot.features.letters.content import leads, letter_rules
from bot.features.letters.schedule import STILL_USEFUL, WHICH, Reminder, key, reminders, to_cancel
from bot.members import load_membership
from bot.registry import registry
from bot.responses import Button, Field, Form, FormField, Post, Response, Target
from bot.scheduling.jobs import Job, NewJob, cancel, job_kind, schedule_many
from bot.text import clean_text, shorten, unquoted
from bot.timelang import NeedsChoice, find_day, local_day, read_day, stamp
from bot.timelang.choices import ask, replaced

if TYPE_CHECKING:
    from bot.core import Rounds

registry.command("letters", "Letters of recommendation: ask early, check, thank", "list")

_CONTACT_ID = re.compile(r"^#?(\d{1,18})$")
UPDATES = ("asked", "agreed", "uploaded", "declined")


def _when(ctx: Context, due: datetime) -> str:
    return stamp(due, ctx.membership.tz_name)


def time_left(msg: Callable[..., str], days: int) -> str:
    """ "12 days left", "due today" or "overdue by 3 days", never a negative count."""
    if days == 0:
        return msg("letter_due_today")
    one = "_one" if abs(days) == 1 else ""
    return msg(("letter_days_left" if days > 0 else "letter_overdue") + one, days=abs(days))


@registry.sub(
    "letters",
    "request",
    "Record a letter you need: reminders to ask, check and thank come on time",
    OptionSpec(
        "writer",
        "their name and the deadline, e.g. Dr Sam Lee Sept 15 (or a contact's #id)",
        kind="text",
        max_length=600,
    ),
    OptionSpec("deadline", "when it must be uploaded, e.g. Sept 15", required=False, max_length=40),
    OptionSpec("note", "programs or a note", kind="text", required=False, max_length=300),
)
async def request(ctx: Context, cmd: Command) -> Response:
    tz, now = ctx.membership.tz_name, ctx.now()
    today = today_in(now, tz)
    try:
        raw, deadline, typed_note = _writer_and_deadline(ctx, cmd)
    except NeedsChoice as exc:
        line, choice = cmd.opt("writer"), exc
        return ask(
            ctx.msg,
            exc,
            lambda r: f"letters request {replaced(line, choice, r, days=True)}",
            days=True,
        )
    if deadline < today:
        raise UserError(
            ctx.msg("letter_past", deadline=day_label(deadline), today=day_label(today))
        )
    note = clean_text(
        cmd.opt("note") or typed_note, field="the note", max_length=300, required=False
    )
    section, lead = letter_rules(ctx.pack), leads(ctx.pack)
    async with ctx.db.begin() as conn:
        contact_id: int | None = None
        m = _CONTACT_ID.match(raw)
        if m:
            contact = await contact_store.get(
                conn, ctx.community_id, ctx.member_id, int(m.group(1))
            )
            if contact is None:
                raise NotFound(ctx.msg("letter_unknown_contact", id=m.group(1)))
            writer, contact_id = contact.name, contact.id
        else:
            known = await contact_store.named(conn, ctx.community_id, ctx.member_id, raw)
            if known is not None:  # a name in the contact log is that contact
                writer, contact_id = known.name, known.id
            else:
                writer = clean_text(raw, field="the writer's name", max_length=120)
        if await store.count(conn, ctx.community_id, ctx.member_id) >= section.max_open_letters:
            raise UserError(ctx.msg("letter_too_many", max=section.max_open_letters))
        letter_id = await store.add(
            conn,
            ctx.community_id,
            ctx.member_id,
            now,
            writer=writer,
            contact_id=contact_id,
            deadline=deadline,
            note=note,
        )
        ahead = await _schedule(conn, ctx, letter_id, deadline)
    ctx.rounds.wake()
    days_left = (deadline - today).days
    lines = [ctx.msg("letter_recorded", writer=writer, id=letter_id, deadline=day_label(deadline))]
    short = days_left < lead.ask * 7
    if short:
        lines.append(ctx.msg("letter_short", days=days_left, weeks=lead.ask))
    lines += [f"- {ctx.msg('letter_which_' + r.which)}: {_when(ctx, r.due)}" for r in ahead]
    return Response(
        text="\n".join(lines),
        buttons=(
            Button(ctx.msg("letter_button_asked"), f"letters update {letter_id} asked"),
            Button(ctx.msg("time_choice_change"), f"letters change {letter_id}"),
        ),
        data={
            "letter": {
                "id": letter_id,
                "writer": writer,
                "contact": contact_id,
                "deadline": deadline.isoformat(),
                "warning": short,
                "reminders": {r.which: r.due.isoformat() for r in ahead},
            }
        },
    )


async def _schedule(
    conn: AsyncConnection, ctx: Context, letter_id: int, deadline: date
) -> list[Reminder]:
    """Schedule the letter's reminders still ahead; returns them."""
    tz, now = ctx.membership.tz_name, ctx.now()
    plan = reminders(deadline, leads(ctx.pack), letter_rules(ctx.pack), tz)
    ahead = [r for r in plan if r.due > now]
    jobs = [
        NewJob(
            store.KIND,
            r.due,
            ctx.member_id,
            {"letter": letter_id, "which": r.which},
            timezone=tz,
            key=key(letter_id, r.which),
        )
        for r in ahead
    ]
    await schedule_many(conn, ctx.community_id, jobs, now)
    return ahead


@registry.sub(
    "letters",
    "change",
    "Change a letter's deadline; its reminders move with it",
    OptionSpec("id", "the letter's number, from /letters list", kind="int", max_length=18),
    OptionSpec("deadline", "the new deadline, e.g. Sept 15", kind="text", required=False),
    hidden=True,
)
async def change(ctx: Context, cmd: Command) -> Response:
    letter_id, raw = int(cmd.opt("id")), cmd.opt("deadline")
    if not raw:
        field = FormField(
            "deadline", ctx.msg("letter_change_label"), max_length=60, placeholder="Sept 15"
        )
        form = Form(ctx.msg("time_change_title"), f"letters change {letter_id}", (field,))
        return Response(text=ctx.msg("letter_change_ask", id=letter_id), form=form)
    tz, now = ctx.membership.tz_name, ctx.now()
    try:
        deadline = read_day(raw, now, tz)
    except NeedsChoice as exc:
        choice = exc
        return ask(
            ctx.msg,
            exc,
            lambda r: f"letters change {letter_id} {replaced(raw, choice, r, days=True)}",
            days=True,
        )
    async with ctx.db.begin() as conn:
        letter = await store.get(conn, ctx.community_id, ctx.member_id, letter_id)
        if letter is None:
            raise NotFound(ctx.msg("letter_not_found", id=letter_id))
        await store.set_deadline(conn, ctx.community_id, ctx.member_id, letter_id, deadline, now)
        await cancel(
            conn, ctx.community_id, keys=[key(letter_id, w) for w in WHICH], member_id=ctx.member_id
        )
        ahead = await _schedule(conn, ctx, letter_id, deadline)
    ctx.rounds.wake()
    lines = [ctx.msg("letter_changed", writer=letter.writer, deadline=day_label(deadline))]
    lines += [f"- {ctx.msg('letter_which_' + r.which)}: {_when(ctx, r.due)}" for r in ahead]
    return Response(
        text="\n".join(lines),
        buttons=(Button(ctx.msg("time_choice_change"), f"letters change {letter_id}"),),
        data={"letter": {"id": letter_id, "deadline": deadline.isoformat()}},
    )


def _writer_and_deadline(ctx: Context, cmd: Command) -> tuple[str, date, str]:
    """The writer, the deadline and a note: from separate options (Discord, forms) or
    from one typed line, where the first calendar date ends the writer's name."""
    tz, now = ctx.membership.tz_name, ctx.now()
    line = cmd.opt("writer").strip()
    if cmd.opt("deadline"):
        return unquoted(line), read_day(cmd.opt("deadline"), now, tz), ""
    found = find_day(line, now, tz)
    if found is None or not found[0]:
        raise UserError(ctx.msg("letter_no_deadline", text=shorten(line, 60)))
    before, reading, after = found
    return unquoted(before), local_day(reading, tz), after


@registry.sub("letters", "list", "Your letters: writer, deadline, status, next reminder")
async def list_(ctx: Context, cmd: Command) -> Response:
    async with ctx.db.connect() as conn:
        mine = await store.listed(conn, ctx.community_id, ctx.member_id)
        planned = await store.planned(conn, ctx.community_id, ctx.member_id)
    if not mine:
        return Response(text=ctx.msg("letter_list_empty"), data={"letters": []})
    today = today_in(ctx.now(), ctx.membership.tz_name)
    fields = []
    for letter in mine[:25]:
        nxt = planned.get(letter.id, [])
        value = ctx.msg(
            "letter_line" if letter.deadline >= today else "letter_line_past",
            deadline=day_label(letter.deadline),
            left=time_left(ctx.msg, (letter.deadline - today).days),
            status=ctx.msg("letter_status_" + letter.status),
        )
        if nxt:
            which, due = nxt[0]
            value += "\n" + ctx.msg(
                "letter_next", what=ctx.msg("letter_which_" + which), when=_when(ctx, due)
            )
        if letter.note:
            value += "\n" + shorten(letter.note, 200)
        fields.append(Field(f"#{letter.id} · {shorten(letter.writer, 120)}", value))
    return Response(
        title=ctx.msg("letter_list_title"),
        fields=tuple(fields),
        data={
            "letters": [
                {
                    "id": x.id,
                    "writer": x.writer,
                    "deadline": x.deadline.isoformat(),
                    "status": x.status,
                    "next": [{"which": w, "due": d.isoformat()} for w, d in planned.get(x.id, [])],
                }
                for x in mine
            ]
        },
    )


@registry.sub(
    "letters",
    "update",
    "Where a letter stands: asked, agreed, uploaded or declined",
    OptionSpec("id", "the letter's number, from /letters list", kind="int", max_length=18),
    OptionSpec("status", "asked, agreed, uploaded or declined", kind="choice", choices=UPDATES),
)
async def update(ctx: Context, cmd: Command) -> Response:
    letter_id, status = int(cmd.opt("id")), cmd.opt("status")
    async with ctx.db.begin() as conn:
        letter = await store.get(conn, ctx.community_id, ctx.member_id, letter_id)
        if letter is None:
            raise NotFound(ctx.msg("letter_not_found", id=letter_id))
        await store.set_status(conn, ctx.community_id, ctx.member_id, letter_id, status, ctx.now())
        dropped = to_cancel(status)
        await cancel(
            conn,
            ctx.community_id,
            keys=[key(letter_id, w) for w in dropped],
            member_id=ctx.member_id,
        )
    days = (letter.deadline - today_in(ctx.now(), ctx.membership.tz_name)).days
    late = "_late" if status == "uploaded" and days < 0 else ""
    text = ctx.msg(
        "letter_updated_" + status + late,
        writer=letter.writer,
        deadline=day_label(letter.deadline),
        left=time_left(ctx.msg, days),
    )
    return Response(
        text=text,
        data={"letter_update": {"id": letter_id, "status": status, "cancelled": dropped}},
    )


@job_kind(store.KIND)
async def reminder_due(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    which = str(job.payload.get("which"))
    member = job.member_id or ""
    async with rounds.db.connect() as conn:
        letter = await store.get(conn, job.community_id, member, int(job.payload.get("letter", 0)))
        community, profile = await load_membership(conn, job.community_id, member)
    if letter is None or which not in STILL_USEFUL or letter.status not in STILL_USEFUL[which]:
        return []
    msg = rounds.content.msg
    tz = (profile.timezone if profile else None) or (community.timezone if community else "UTC")
    days = (letter.deadline - today_in(now, tz)).days
    # A thank-you for a letter only agreed to asks first whether it went in.
    variant = "_agreed" if which == "thanks" and letter.status == "agreed" else ""
    text = msg(
        "letter_remind_" + which + variant,
        writer=letter.writer,
        deadline=day_label(letter.deadline),
        left=time_left(msg, days),
        weeks=max(days // 7, 0),
    )
    if letter.note:
        text += "\n" + msg("letter_remind_note", note=letter.note)
    nxt = {"ask": "asked", "gentle": "agreed", "confirm": "uploaded"}.get(which)
    if variant:
        nxt = "uploaded"
    buttons = (
        (Button(msg("letter_button_" + nxt), f"letters update {letter.id} {nxt}", "primary"),)
        if nxt
        else ()
    )
    return [
        Post(
            Target(job.community_id, member_id=member),
            Response(
                title=msg("letter_remind_title_" + which + variant, writer=letter.writer),
                text=text,
                buttons=buttons,
                dm=True,
                data={
                    "letter_reminder": {
                        "letter": letter.id,
                        "which": which,
                        "status": letter.status,
                        "due": job.due_at.isoformat(),
                    }
                },
            ),
        )
    ]
