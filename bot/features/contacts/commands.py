"""/contact: the contact log whose follow-ups schedule themselves from the
pack's cadences, and /admin cadence for organisers to change those per community."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.commands import Command, OptionSpec
from bot.content import Range
from bot.context import Context
from bot.errors import NotFound, UserError
from bot.features import admin  # noqa: F401  (declares /admin, which /admin cadence joins)
from bot.features.contacts import nudges, store, updates
from bot.features.contacts.names import Split, boxed_words, free_words, split
from bot.features.contacts.nudges import Owner
from bot.features.contacts.outcomes import outcome_of
from bot.features.contacts.rules import CADENCES, OUTCOMES, SETTINGS_KEY, cadence, rules
from bot.features.contacts.store import Contact
from bot.features.reminders.when import local
from bot.members import update_community
from bot.registry import registry
from bot.responses import Button, Choice, Field, Form, FormField, Response
from bot.text import clean_text, shorten

LIST_LIMIT = 25

registry.command("contact", "Your contact log; follow-ups schedule themselves", default="list")


def _owner(ctx: Context) -> Owner:
    return Owner(
        ctx.community_id, ctx.member_id, ctx.membership.tz_name, rules(ctx.pack).nudge_hour
    )


def _days(ctx: Context, name: str) -> Range:
    return cadence(ctx.pack, ctx.community.settings, name)


def _day(ctx: Context, when: datetime) -> str:
    return local(when, ctx.membership.tz_name)


def _form(guess: Split | None = None) -> Form:
    g = guess or Split("")
    return Form(
        title="Add a contact",
        submit="contact add",
        fields=(
            FormField("name", "Name", max_length=120, default=g.name, placeholder="Dr Jane Lee"),
            FormField(
                "role",
                "Role",
                required=False,
                max_length=120,
                default=g.role,
                placeholder="IR fellow",
            ),
            FormField(
                "institution",
                "Institution",
                required=False,
                max_length=120,
                default=g.institution,
            ),
            FormField(
                "where",
                "Where you met (leave empty if you haven't)",
                required=False,
                max_length=200,
                default=g.where,
                placeholder="SIR annual meeting",
            ),
            FormField("notes", "Notes", kind="paragraph", required=False, max_length=1000),
        ),
    )


@registry.sub(
    "contact",
    "add",
    "Add someone; met at an event? A follow-up nudge is scheduled",
    OptionSpec("name", "their name, e.g. Dr Sam Lee", required=False, max_length=120),
    OptionSpec("role", "e.g. IR fellow, program director", required=False, max_length=120),
    OptionSpec("institution", "where they work", required=False, max_length=120),
    OptionSpec("where", "where you met, e.g. SIR 2027", required=False, max_length=200),
    OptionSpec("notes", "what you talked about", kind="text", required=False, max_length=1000),
)
async def contact_add(ctx: Context, cmd: Command) -> Response:
    if not cmd.opt("name").strip():
        return Response(text="Tell me about them:", form=_form())
    given = Split(cmd.opt("name"), cmd.opt("role"), cmd.opt("institution"), cmd.opt("where"))
    words = free_words(cmd.raw, "add") if cmd.raw else boxed_words(cmd.options)
    if words is not None:  # typed without quotes: "Dr Sam Lee IR fellow Emory"
        async with ctx.db.connect() as conn:
            mine = await store.listed(conn, ctx.community_id, ctx.member_id)
        given = split(words, rules(ctx.pack), [c.name for c in mine])
        same = next((c for c in mine if c.name.lower() == words.lower()), None)
        if same is not None:
            return Response(
                text=ctx.msg("contact_already", name=same.name, id=same.id),
                buttons=(Button(ctx.msg("contact_button_log"), f"contact log {same.id}"),),
                data={"contact": {"id": same.id, "name": same.name, "existing": True}},
            )
        if not given.certain:
            return Response(text=ctx.msg("contact_add_check"), form=_form(given))
    name = clean_text(given.name, field="the name", max_length=120)
    role = clean_text(given.role, field="the role", max_length=120, required=False)
    inst = clean_text(given.institution, field="the institution", max_length=120, required=False)
    where = clean_text(given.where, field="where you met", max_length=200, required=False)
    notes = clean_text(cmd.opt("notes"), field="the notes", max_length=1000, required=False)
    owner, now = _owner(ctx), ctx.now()
    limit = rules(ctx.pack).max_contacts_per_member
    follow, update_days = _days(ctx, "follow-up"), _days(ctx, "update")
    async with ctx.db.begin() as conn:
        count = await store.count(conn, ctx.community_id, ctx.member_id)
        if count >= limit:
            raise UserError(ctx.msg("contact_too_many", count=count))
        contact_id = await store.add(
            conn,
            ctx.community_id,
            ctx.member_id,
            now,
            name=name,
            role=role,
            institution=inst,
            met_where=where,
            notes=notes,
            updates=updates.initial(role, rules(ctx.pack)),
        )
        follow_at = None
        if where:
            follow_at = await nudges.follow_up(conn, owner, contact_id, name, where, now, follow)
        update_at = await updates.refresh(
            conn, owner, contact_id, now, update_days, rules(ctx.pack)
        )
    lines = [ctx.msg("contact_added", name=name, id=contact_id)]
    if follow_at:
        lines.append(
            ctx.msg(
                "contact_follow_up_set",
                when=_day(ctx, follow_at),
                min=follow.min,
                max=follow.max,
            )
        )
    if update_at:
        lines.append(ctx.msg("contact_update_set", name=name, days=update_days.min))
    else:
        peer = rules(ctx.pack).is_peer(role)
        lines.append(
            ctx.msg(
                "contact_update_peer" if peer else "contact_update_later", name=name, id=contact_id
            )
        )
    return Response(
        text="\n".join(lines),
        buttons=(Button("I emailed them", f"contact log {contact_id} emailed", "primary"),),
        data={
            "contact": {
                "id": contact_id,
                "name": name,
                "follow_up": follow_at.isoformat() if follow_at else None,
                "update": update_at.isoformat() if update_at else None,
            }
        },
    )


async def _mine(ctx: Context, raw_id: str) -> Contact:
    contact_id = int(raw_id)
    async with ctx.db.connect() as conn:
        found = await store.get(conn, ctx.community_id, ctx.member_id, contact_id)
    if found is None:
        raise NotFound(ctx.msg("contact_not_found", id=contact_id))
    return found


def _status(ctx: Context, c: Contact) -> str:
    parts = []
    if c.last_contact_at:
        parts.append(f"last {c.last_kind or 'contact'} {_day(ctx, c.last_contact_at)}")
    else:
        parts.append("no contact logged yet")
    if c.awaiting_reply:
        parts.append("waiting for a reply")
    return "; ".join(parts)


@registry.sub("contact", "list", "Your contacts, with the last contact and the next nudge")
async def contact_list(ctx: Context, cmd: Command) -> Response:
    async with ctx.db.connect() as conn:
        people = await store.listed(conn, ctx.community_id, ctx.member_id)
        planned = await store.nudges(conn, ctx.community_id, ctx.member_id)
    if not people:
        return Response(text=ctx.msg("contact_list_empty"), data={"contacts": []})
    next_for: dict[int, store.Nudge] = {}
    for n in planned:
        next_for.setdefault(n.contact_id, n)
    fields = []
    for c in people[:LIST_LIMIT]:
        value = _status(ctx, c)
        if c.id in next_for:
            n = next_for[c.id]
            value += f"\nnext: {n.which} nudge {_day(ctx, n.due_at)}"
        fields.append(Field(f"#{c.id} · {shorten(c.label, 200)}", value))
    data = {
        "contacts": [
            {
                "id": c.id,
                "name": c.name,
                "awaiting_reply": c.awaiting_reply,
                "last_kind": c.last_kind,
                "next": next_for[c.id].which if c.id in next_for else None,
            }
            for c in people
        ]
    }
    more = len(people) - LIST_LIMIT
    return Response(
        title=ctx.msg("contact_list_title"),
        text=f"{len(people)} contact(s)."
        + (f" Showing the first {LIST_LIMIT}." if more > 0 else ""),
        fields=tuple(fields),
        data=data,
    )


@registry.sub(
    "contact",
    "show",
    "One contact: details, what happened, what's scheduled",
    OptionSpec("id", "the contact's number, from /contact list", kind="int", max_length=18),
)
async def contact_show(ctx: Context, cmd: Command) -> Response:
    c = await _mine(ctx, cmd.opt("id"))
    async with ctx.db.connect() as conn:
        history = await store.events(conn, ctx.community_id, c.id)
        planned = [
            n
            for n in await store.nudges(conn, ctx.community_id, ctx.member_id)
            if n.contact_id == c.id
        ]
    fields = [Field("Status", _status(ctx, c))]
    for label, value in (
        ("Role", c.role),
        ("Institution", c.institution),
        ("Where you met", c.met_where),
        ("Notes", c.notes),
    ):
        if value:
            fields.append(Field(label, shorten(value, 1000), len(value) < 40))
    if history:
        lines = [f"- {_day(ctx, e.at)} · {e.kind}: {shorten(e.text, 150)}" for e in history]
        fields.append(Field("Log", shorten("\n".join(lines), 1000)))
    if planned:
        lines = [f"- {n.which}: {_day(ctx, n.due_at)}" for n in planned]
        fields.append(Field("Scheduled nudges", "\n".join(lines)))
    return Response(
        title=f"#{c.id} · {shorten(c.label, 200)}",
        fields=tuple(fields),
        buttons=(
            Button(ctx.msg("contact_button_log"), f"contact log {c.id}", "primary"),
            Button(ctx.msg("nudge_button_emailed"), f"contact log {c.id} outcome=emailed"),
            Button(rules(ctx.pack).label("replied"), f"contact log {c.id} outcome=replied"),
        ),
        data={
            "contact": {
                "id": c.id,
                "name": c.name,
                "role": c.role,
                "institution": c.institution,
                "where": c.met_where,
                "awaiting_reply": c.awaiting_reply,
                "events": [{"kind": e.kind, "text": e.text} for e in history],
                "nudges": {n.which: n.due_at.isoformat() for n in planned},
            }
        },
    )


@registry.sub(
    "contact",
    "log",
    "Log what happened: pick met, emailed, replied, no reply yet, called, or other",
    OptionSpec("id", "the contact's number", kind="int", max_length=18),
    OptionSpec(
        "what",
        "a note, e.g. emailed about a research project",
        kind="text",
        required=False,
        max_length=2000,
    ),
    OptionSpec("outcome", "what happened", kind="choice", choices=OUTCOMES, required=False),
)
async def contact_log(ctx: Context, cmd: Command) -> Response:
    c = await _mine(ctx, cmd.opt("id"))
    section = rules(ctx.pack)
    typed = cmd.opt("what").strip()
    if not typed and not cmd.opt("outcome"):
        return Response(text=ctx.msg("contact_log_pick", name=c.name), form=_log_form(ctx, c))
    text = clean_text(typed, field="the log entry", max_length=500, required=False)
    kind = cmd.opt("outcome") or outcome_of(text, section)
    if kind is None:  # unclear: ask, keeping what they typed as the note
        return Response(
            text=ctx.msg("contact_log_which", name=c.name, text=shorten(text, 200)),
            buttons=tuple(
                Button(o.label, f"contact log {c.id} outcome={o.kind} {text}".strip())
                for o in section.outcomes
            ),
            data={"log_choice": {"contact": c.id, "text": text}},
        )
    return await _record(ctx, c, kind, text or section.label(kind))


def _log_form(ctx: Context, c: Contact) -> Form:
    section = rules(ctx.pack)
    return Form(
        title=ctx.msg("contact_log_title"),
        submit=f"contact log {c.id}",
        fields=(
            FormField(
                "outcome",
                ctx.msg("contact_log_outcome"),
                kind="choice",
                choices=tuple(Choice(o.kind, o.label) for o in section.outcomes),
            ),
            FormField(
                "what",
                ctx.msg("contact_log_note"),
                kind="paragraph",
                required=False,
                max_length=500,
            ),
        ),
    )


async def _record(ctx: Context, c: Contact, kind: str, text: str) -> Response:
    owner, now = _owner(ctx), ctx.now()
    lines = [ctx.msg("contact_logged", name=c.name, text=text)]
    outreach = kind in ("emailed", "called")
    # One polite follow-up after no reply, then let it rest: a second email while
    # already waiting is that follow-up, and sets no new no-reply nudge.
    awaiting = True if outreach else {"replied": False, "met": False}.get(kind, c.awaiting_reply)
    async with ctx.db.begin() as conn:
        await store.log(
            conn,
            ctx.community_id,
            ctx.member_id,
            c.id,
            now,
            kind=kind,
            text=text,
            awaiting_reply=awaiting,
        )
        if outreach:
            if await nudges.drop(conn, ctx.community_id, c.id, ["follow-up"]):
                lines.append(ctx.msg("contact_follow_up_done"))
            if c.awaiting_reply:
                await nudges.drop(conn, ctx.community_id, c.id, ["no-reply"])
                lines.append(ctx.msg("contact_no_reply_rest", name=c.name))
            else:
                due = await nudges.no_reply(conn, owner, c.id, c.name, now, _days(ctx, "no-reply"))
                lines.append(ctx.msg("contact_no_reply_set", name=c.name, when=_day(ctx, due)))
        elif kind == "no-reply":
            lines.append(ctx.msg("contact_still_waiting", name=c.name))
        elif kind == "replied":
            if await nudges.drop(conn, ctx.community_id, c.id, ["no-reply"]):
                lines.append(ctx.msg("contact_reply_cancels", name=c.name))
        elif kind == "met":
            await nudges.drop(conn, ctx.community_id, c.id, ["no-reply"])
            due = await nudges.follow_up(
                conn, owner, c.id, c.name, c.met_where, now, _days(ctx, "follow-up")
            )
            follow = _days(ctx, "follow-up")
            lines.append(
                ctx.msg(
                    "contact_follow_up_set", when=_day(ctx, due), min=follow.min, max=follow.max
                )
            )
        if kind not in ("note", "no-reply"):
            had = await _on_updates(conn, ctx, c.id)
            update_at = await updates.refresh(
                conn, owner, c.id, now, _days(ctx, "update"), rules(ctx.pack)
            )
            if update_at and not had:
                days = _days(ctx, "update").min
                lines.append(ctx.msg("contact_update_set", name=c.name, days=days))
    return Response(
        text="\n".join(lines),
        data={"logged": {"contact": c.id, "kind": kind, "awaiting_reply": awaiting}},
    )


async def _on_updates(conn: AsyncConnection, ctx: Context, contact_id: int) -> bool:
    """Whether an update nudge is scheduled for the contact."""
    planned = await store.nudges(conn, ctx.community_id, ctx.member_id)
    return any(n.contact_id == contact_id and n.which == "update" for n in planned)


@registry.sub(
    "contact",
    "updates",
    "Update reminders for one contact: on or off (peers have them off unless you ask)",
    OptionSpec("id", "the contact's number, from /contact list", kind="int", max_length=18),
    OptionSpec("choice", "on or off", kind="choice", choices=(updates.ON, updates.OFF)),
)
async def contact_updates(ctx: Context, cmd: Command) -> Response:
    c = await _mine(ctx, cmd.opt("id"))
    choice, days = cmd.opt("choice"), _days(ctx, "update")
    async with ctx.db.begin() as conn:
        await store.set_updates(conn, ctx.community_id, ctx.member_id, c.id, choice)
        due = await updates.refresh(conn, _owner(ctx), c.id, ctx.now(), days, rules(ctx.pack))
    text = (
        ctx.msg("contact_updates_on", name=c.name, days=days.min, when=_day(ctx, due))
        if due
        else ctx.msg("contact_updates_off", name=c.name, id=c.id)
    )
    return Response(
        text=text,
        data={
            "updates": {"contact": c.id, "choice": choice, "next": due.isoformat() if due else None}
        },
    )


@registry.sub("contact", "next", "What's next: your upcoming follow-ups, soonest first")
async def contact_next(ctx: Context, cmd: Command) -> Response:
    async with ctx.db.connect() as conn:
        planned = await store.nudges(conn, ctx.community_id, ctx.member_id)
        people = await store.listed(conn, ctx.community_id, ctx.member_id)
    waiting = [c.name for c in people if c.awaiting_reply]
    data = {
        "next": [
            {"contact": n.contact_id, "which": n.which, "due": n.due_at.isoformat(), "name": n.name}
            for n in planned
        ],
        "awaiting_reply": waiting,
    }
    if not planned and not waiting:
        return Response(text=ctx.msg("contact_next_empty"), data=data)
    fields = tuple(
        Field(f"{_day(ctx, n.due_at)}", f"{n.which} · #{n.contact_id} {shorten(n.name, 120)}")
        for n in planned[:LIST_LIMIT]
    )
    text = ctx.msg("contact_next_awaiting", names=", ".join(waiting)) if waiting else ""
    return Response(title=ctx.msg("contact_next_title"), text=text, fields=fields, data=data)


@registry.sub(
    "contact",
    "remove",
    "Remove a contact and their nudges",
    OptionSpec("id", "the contact's number", kind="int", max_length=18),
)
async def contact_remove(ctx: Context, cmd: Command) -> Response:
    c = await _mine(ctx, cmd.opt("id"))
    async with ctx.db.begin() as conn:
        await nudges.drop(conn, ctx.community_id, c.id)
        await store.remove(conn, ctx.community_id, ctx.member_id, c.id)
    return Response(text=ctx.msg("contact_removed", name=c.name, id=c.id), data={"removed": c.id})


@registry.sub(
    "admin",
    "cadence",
    "Follow-up cadences in days: show, or set <name> <min> [max], or <name> default",
    OptionSpec("name", "which cadence", kind="choice", choices=tuple(CADENCES), required=False),
    OptionSpec("min", "fewest days (or `default`)", required=False, max_length=10),
    OptionSpec("max", "most days (optional)", required=False, max_length=10),
    organiser_only=True,
)
async def admin_cadence(ctx: Context, cmd: Command) -> Response:
    name = cmd.opt("name")
    if name and cmd.opt("min"):
        return await _set_cadence(ctx, name, cmd.opt("min"), cmd.opt("max"))
    settings = ctx.community.settings
    shown = {n: cadence(ctx.pack, settings, n) for n in CADENCES}
    overridden = set((settings.get(SETTINGS_KEY) or {}).keys())
    fields = tuple(
        Field(
            n,
            f"{r.min}-{r.max} days" + (" (this community)" if CADENCES[n] in overridden else ""),
            True,
        )
        for n, r in shown.items()
        if not name or n == name
    )
    return Response(
        title=ctx.msg("cadence_title"),
        fields=fields,
        data={"cadences": {n: {"min": r.min, "max": r.max} for n, r in shown.items()}},
    )


async def _set_cadence(ctx: Context, name: str, raw_min: str, raw_max: str) -> Response:
    settings = dict(ctx.community.settings)
    overrides = dict(settings.get(SETTINGS_KEY) or {})
    if raw_min.lower() == "default":
        overrides.pop(CADENCES[name], None)
        back = getattr(ctx.pack.cadences, CADENCES[name])
        text = ctx.msg("cadence_reset", name=name, min=back.min, max=back.max)
        value = {"min": back.min, "max": back.max}
    else:
        try:
            low = int(raw_min)
            high = int(raw_max) if raw_max else low
        except ValueError as exc:
            raise UserError(ctx.msg("cadence_bad")) from exc
        if not 1 <= low <= high <= 365:
            raise UserError(ctx.msg("cadence_bad"))
        value = {"min": low, "max": high}
        overrides[CADENCES[name]] = value
        text = ctx.msg("cadence_saved", name=name, min=low, max=high)
    settings[SETTINGS_KEY] = overrides
    async with ctx.db.begin() as conn:
        await update_community(conn, ctx.community_id, settings=settings)
    return Response(text=text, data={"cadence": {name: value}})
