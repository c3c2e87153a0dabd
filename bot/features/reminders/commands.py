"""/remind: one-off and repeating reminders, by DM or (organisers) in a channel.

Every check runs before anything is written, so bad input changes nothing."""

from __future__ import annotations

import re

from bot.commands import Command, OptionSpec
from bot.context import Context
from bot.errors import NotFound, UserError, Worded
from bot.features.reminders import store
from bot.features.reminders.rules import rules
from bot.features.reminders.store import Reminder
from bot.features.reminders.when import When, duration, local, parse, split
from bot.registry import registry
from bot.responses import Button, Field, Form, FormField, Response
from bot.text import clean_text, shorten
from bot.timelang import NeedsChoice, Reading
from bot.timelang.choices import ask, echo, exact, replaced

LIST_LIMIT = 20
_WHEN_HELP = "in 3 days email Dr Lee / to call Dr Lee tomorrow at 5pm / every monday 9am log"

registry.command("remind", "Reminders by DM, one-off or repeating", default="list")


def _text(ctx: Context, what: str) -> str:
    if not what.strip():
        raise UserError(ctx.msg("remind_text_missing"))
    limit = rules(ctx.pack).max_text_length
    return clean_text(what, field="the reminder text", max_length=limit)


def _read(ctx: Context, cmd: Command) -> tuple[When, str]:
    """The time and the text, from one phrase or from separate `when`/`what`."""
    tz = ctx.membership.tz_name
    when_rules = rules(ctx.pack).when_rules()
    if cmd.opt("what"):
        return parse(cmd.opt("when"), ctx.now(), tz, when_rules), _text(ctx, cmd.opt("what"))
    raw = cmd.opt("when")
    limit = rules(ctx.pack).max_text_length
    if len(raw) > limit + 200:  # say so before trying to read a time in it
        _text(ctx, raw)
    when, what = split(raw, ctx.now(), tz, when_rules)
    return when, _text(ctx, what)


def _confirm(ctx: Context, when: When, text: str, channel: str | None) -> str:
    tz = ctx.membership.tz_name
    first = echo(ctx.msg, when.due_at, tz, when.zone)
    if channel:
        key = "remind_set_channel_repeat" if when.every else "remind_set_channel"
        line = ctx.msg(key, channel=f"#{channel}", when=first, every=when.every, tz=tz, text=text)
    elif when.every:
        line = ctx.msg("remind_set_repeat", every=when.every, when=first, tz=tz, text=text)
    else:
        line = ctx.msg("remind_set", when=first, tz=tz, text=text)
    day = (when.recurrence or {}).get("cron", {}).get("day")
    if isinstance(day, str) and day.isdigit() and int(day) > 28:
        line += "\n" + ctx.msg("remind_month_end_note", day=day)
    return line


async def _add(ctx: Context, when: When, text: str, channel: str | None) -> Response:
    limits = rules(ctx.pack)
    async with ctx.db.begin() as conn:
        count = await store.live_count(conn, ctx.community_id, ctx.member_id)
        if count >= limits.max_live_per_member:
            raise UserError(ctx.msg("remind_too_many", count=count))
        reminder_id = await store.add(
            conn,
            community_id=ctx.community_id,
            member_id=ctx.member_id,
            when=when,
            text=text,
            tz=ctx.membership.tz_name,
            now=ctx.now(),
            channel=channel,
            snooze=limits.snooze_buttons,
        )
    ctx.rounds.wake()
    data = {
        "reminder": {
            "id": reminder_id,
            "due": when.due_at.isoformat(),
            "every": when.every,
            "recurrence": when.recurrence,
            "channel": channel,
            "text": text,
        }
    }
    return Response(
        text=f"#{reminder_id} · " + _confirm(ctx, when, text, channel),
        buttons=(
            Button(ctx.msg("time_choice_change"), f"remind change {reminder_id}"),
            Button(ctx.msg("remind_button_cancel"), f"remind cancel {reminder_id}", "danger"),
        ),
        data=data,
    )


@registry.sub(
    "remind",
    "me",
    "Remind yourself: a time, then what (every ... repeats)",
    OptionSpec("when", _WHEN_HELP, kind="text", max_length=20_000),
    OptionSpec("what", "what to remind you of", kind="text", required=False, max_length=20_000),
)
async def remind_me(ctx: Context, cmd: Command) -> Response:
    try:
        when, text = _read(ctx, cmd)
    except NeedsChoice as exc:
        return _choose(ctx, exc, cmd, "remind me")
    return await _add(ctx, when, text, None)


def _choose(ctx: Context, exc: NeedsChoice, cmd: Command, prefix: str) -> Response:
    """Ask which time was meant; each button sets the reminder at one exact time."""

    def action(r: Reading) -> str:
        if cmd.opt("what"):
            return f'{prefix} "{exact(r, exc.tz)}" {cmd.opt("what")}'
        return f"{prefix} {replaced(cmd.opt('when'), exc, r)}"

    return ask(ctx.msg, exc, action)


@registry.sub(
    "remind",
    "channel",
    "Post a reminder in a channel, e.g. for a group (organisers)",
    OptionSpec("channel", "#channel, or `here`", kind="channel", max_length=100),
    OptionSpec("when", _WHEN_HELP, kind="text", max_length=20_000),
    OptionSpec("what", "what to post", kind="text", required=False, max_length=20_000),
    organiser_only=True,
)
async def remind_channel(ctx: Context, cmd: Command) -> Response:
    channel = cmd.opt("channel")
    if channel.lower() == "here" and cmd.channel_id:
        channel = cmd.channel_id
    text_bad = ctx.msg("channel_not_here", channel=shorten(channel, 40))
    await ctx.rounds.channels.check(ctx.community_id, channel, text_bad)
    try:
        when, text = _read(ctx, cmd)
    except NeedsChoice as exc:
        return _choose(ctx, exc, cmd, f"remind channel {channel}")
    return await _add(ctx, when, text, channel)


def _line(ctx: Context, r: Reminder) -> Field:
    tz = ctx.membership.tz_name
    notes = [shorten(r.text, 200)]
    if r.every:
        notes.append(ctx.msg("remind_list_repeat", every=r.every))
    if r.channel:
        notes.append(ctx.msg("remind_list_channel", channel=f"#{r.channel}"))
    if r.status == "failed":
        notes.append("⚠ " + ctx.msg("remind_list_failed", error=r.last_error or "unknown"))
    elif r.last_error:
        notes.append("⚠ " + ctx.msg("remind_list_last_failed", error=r.last_error))
    return Field(f"#{r.id} · {local(r.due_at, tz)}", "\n".join(notes))


@registry.sub("remind", "list", "Your reminders, soonest first, and any that failed")
async def remind_list(ctx: Context, cmd: Command) -> Response:
    async with ctx.db.connect() as conn:
        items = await store.listed(
            conn, ctx.community_id, ctx.member_id, ctx.now(), with_channels=ctx.is_organiser
        )
    data = {
        "reminders": [
            {
                "id": r.id,
                "due": r.due_at.isoformat(),
                "text": r.text,
                "every": r.every,
                "channel": r.channel,
                "status": r.status,
                "error": r.last_error,
                "mine": r.member_id == ctx.member_id,
            }
            for r in items
        ]
    }
    if not items:
        return Response(text=ctx.msg("remind_list_empty"), data=data)
    title = "remind_list_title_organiser" if ctx.is_organiser else "remind_list_title"
    more = len(items) - LIST_LIMIT
    return Response(
        title=ctx.msg(title),
        text=f"Times are in {ctx.membership.tz_name}."
        + ("\n" + ctx.msg("remind_list_more", count=more) if more > 0 else ""),
        fields=tuple(_line(ctx, r) for r in items[:LIST_LIMIT]),
        data=data,
    )


async def _owned(ctx: Context, raw_id: str) -> Reminder:
    """The member's reminder (or, for organisers, any channel reminder); the same
    answer for another member's id as for one that does not exist."""
    reminder_id = int(raw_id)
    async with ctx.db.connect() as conn:
        found = await store.get(conn, ctx.community_id, reminder_id)
    if found is None or found.status == "cancelled":
        raise NotFound(ctx.msg("remind_not_found", id=reminder_id))
    if found.member_id != ctx.member_id and not (ctx.is_organiser and found.channel):
        raise NotFound(ctx.msg("remind_not_found", id=reminder_id))
    return found


@registry.sub(
    "remind",
    "cancel",
    "Cancel one of your reminders (a repeating one stops for good)",
    OptionSpec("id", "the reminder's number, from /remind list", kind="int", max_length=18),
)
async def remind_cancel(ctx: Context, cmd: Command) -> Response:
    found = await _owned(ctx, cmd.opt("id"))
    if found.status == "delivered":
        raise UserError(ctx.msg("remind_finished", id=found.id))
    async with ctx.db.begin() as conn:
        await store.set_cancelled(conn, ctx.community_id, found.id)
    return Response(
        text=ctx.msg("remind_cancelled", id=found.id, text=shorten(found.text, 200)),
        data={"cancelled": found.id},
    )


_SNOOZE_LEAD = re.compile(r"^(?:for|until|till|til|to|by)\s+", re.IGNORECASE)


@registry.sub(
    "remind",
    "snooze",
    "Have a reminder again later: 30m, 2h, 1d, or a time like tomorrow 9am",
    OptionSpec("id", "the reminder's number", kind="int", max_length=18),
    OptionSpec("duration", "how long: 30m, 2h, 1d, 1 week", kind="text", max_length=80),
)
async def remind_snooze(ctx: Context, cmd: Command) -> Response:
    found = await _owned(ctx, cmd.opt("id"))
    raw, tz, now = cmd.opt("duration"), ctx.membership.tz_name, ctx.now()
    raw = _SNOOZE_LEAD.sub("", raw.strip())  # "for 2 hours", "until monday", "to 9am"
    limits = rules(ctx.pack)
    gap = duration(raw)
    if gap is not None:
        if gap < limits.when_rules().min_interval:
            raise UserError(ctx.msg("remind_short_snooze"))
        if gap > limits.when_rules().max_ahead:
            raise Worded("time_too_far", years=limits.max_years_ahead)
        when = When(now + gap)
    else:
        try:
            when = parse(raw, now, tz, limits.when_rules())
        except NeedsChoice as exc:
            return ask(ctx.msg, exc, lambda r: f'remind snooze {found.id} "{exact(r, tz)}"')
        except Worded as exc:
            if exc.key != "time_unreadable":
                raise
            raise UserError(ctx.msg("remind_bad_duration", text=shorten(raw, 40))) from exc
        if when.recurrence:
            raise UserError(ctx.msg("remind_bad_duration", text=shorten(raw, 40)))
    shown = echo(ctx.msg, when.due_at, tz, when.zone)
    if found.recurrence:  # the series keeps its rhythm; the snooze is a one-off copy
        copy = await _add(ctx, when, found.text, found.channel)
        copy_id = copy.data["reminder"]["id"]
        return Response(
            text=ctx.msg("remind_snoozed_copy", id=found.id, copy=copy_id, when=shown),
            data={"snoozed": found.id, "copy": copy_id, "due": when.due_at.isoformat()},
        )
    async with ctx.db.begin() as conn:
        await store.move(conn, ctx.community_id, found.id, when.due_at)
    ctx.rounds.wake()
    return Response(
        text=ctx.msg("remind_snoozed", id=found.id, when=shown),
        buttons=(Button(ctx.msg("time_choice_change"), f"remind change {found.id}"),),
        data={"snoozed": found.id, "due": when.due_at.isoformat()},
    )


@registry.sub(
    "remind",
    "change",
    "Change when a reminder comes",
    OptionSpec("id", "the reminder's number", kind="int", max_length=18),
    OptionSpec("when", "the new time, e.g. tomorrow at 9", kind="text", required=False),
    hidden=True,
)
async def remind_change(ctx: Context, cmd: Command) -> Response:
    found = await _owned(ctx, cmd.opt("id"))
    if found.status == "delivered" and not found.recurrence:
        raise UserError(ctx.msg("remind_finished", id=found.id))
    raw = cmd.opt("when")
    if not raw:
        field = FormField(
            "when",
            ctx.msg("time_change_label"),
            max_length=200,
            placeholder=ctx.msg("time_change_placeholder"),
        )
        form = Form(ctx.msg("time_change_title"), f"remind change {found.id}", (field,))
        return Response(text=ctx.msg("remind_change_ask", id=found.id), form=form)
    tz, now = ctx.membership.tz_name, ctx.now()
    try:
        when = parse(raw, now, tz, rules(ctx.pack).when_rules())
    except NeedsChoice as exc:
        return ask(ctx.msg, exc, lambda r: f'remind change {found.id} "{exact(r, tz)}"')
    if when.recurrence or found.recurrence:  # a new rhythm: the old series ends
        async with ctx.db.begin() as conn:
            await store.set_cancelled(conn, ctx.community_id, found.id)
        return await _add(ctx, when, found.text, found.channel)
    async with ctx.db.begin() as conn:
        await store.move(conn, ctx.community_id, found.id, when.due_at)
    ctx.rounds.wake()
    return Response(
        text=ctx.msg("remind_changed", id=found.id, when=echo(ctx.msg, when.due_at, tz, when.zone)),
        buttons=(Button(ctx.msg("time_choice_change"), f"remind change {found.id}"),),
        data={"changed": found.id, "due": when.due_at.isoformat()},
    )
