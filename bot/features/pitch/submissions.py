"""/pitch-review check, submit, revise and delete: a member's own pitches."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.commands import Command, OptionSpec
from bot.context import Context
from bot.errors import NotAllowed, NotFound, UserError
from bot.features.pitch import feedback, store
from bot.features.pitch.analyser import Analysis, analyse
from bot.features.pitch.inputs import (
    TEXT_OPTION_LIMIT,
    focus_keywords,
    kind_and_text,
    pitch_id,
    pitch_text,
    rules_of,
)
from bot.features.pitch.rules import Kind, PitchRules
from bot.registry import registry
from bot.responses import Button, Choice, Field, Form, FormField, Post, Response, Target

KIND = OptionSpec(
    "kind",
    "spoken, cold-email, follow-up, update or pre-conference",
    required=False,
    max_length=TEXT_OPTION_LIMIT,  # a long first word is part of the pitch, checked later
)
PARAGRAPH_LIMIT = 4000  # the longest paragraph field Discord's modals take
TEXT = OptionSpec(
    "text", "your pitch or email", kind="text", required=False, max_length=TEXT_OPTION_LIMIT
)


def _feedback(ctx: Context, rules: PitchRules, kind: Kind, analysis: Analysis) -> Response:
    return Response(
        title=feedback.title(ctx, kind, analysis),
        text=feedback.summary(ctx, rules, analysis),
        fields=feedback.fields(ctx, rules, kind, analysis),
        data={"pitch": analysis.data(), "pitch_kind": kind.id, "english": analysis.english},
    )


def pitch_post(
    ctx: Context, pitch_id: int, version: int, kind: Kind, author: str, text: str
) -> Response:
    """The public post of one version, with its Review button."""
    key = "pitch_root_title" if version == 1 else "pitch_version_title"
    return Response(
        title=ctx.msg(key, id=pitch_id, version=version, kind=kind.label, author=author),
        text=f"{text}\n\n{ctx.msg('pitch_root_footer')}",
        buttons=(
            Button(ctx.msg("pitch_review_button"), f"pitch-review review {pitch_id}", "primary"),
        ),
        ephemeral=False,
        data={"pitch_post": {"id": pitch_id, "version": version, "kind": kind.id}},
    )


def _needs_form(cmd: Command, rules: PitchRules) -> bool:
    """No text yet (at most a kind): the text is long, so it goes in a form."""
    word = cmd.opt("kind").strip()
    return not cmd.opt("text").strip() and (not word or rules.find_kind(word) is not None)


def _text_form(ctx: Context, rules: PitchRules, cmd: Command, sub: str) -> Response:
    """A form with a paragraph field for the pitch or email, and its kind."""
    kind = rules.find_kind(cmd.opt("kind").strip())
    fields = (
        FormField(
            "kind",
            ctx.msg("pitch_form_kind"),
            kind="choice",
            required=False,
            default=kind.id if kind else "",
            choices=tuple(Choice(k.id, k.label) for k in rules.kinds),
        ),
        FormField(
            "text",
            ctx.msg("pitch_form_text"),
            kind="paragraph",
            max_length=min(rules.max_chars, PARAGRAPH_LIMIT),
            placeholder=ctx.msg("pitch_form_placeholder"),
        ),
    )
    title = ctx.msg("pitch_form_title_" + sub)
    return Response(
        text=ctx.msg("pitch_form_intro"),
        form=Form(title, f"pitch-review {sub}", fields),
    )


@registry.sub(
    "pitch-review",
    "check",
    "Private automatic feedback on a pitch or email: length, the five parts, flags",
    KIND,
    TEXT,
)
async def check(ctx: Context, cmd: Command) -> Response:
    rules = rules_of(ctx)
    if _needs_form(cmd, rules):
        return _text_form(ctx, rules, cmd, "check")
    kind, text = kind_and_text(ctx, cmd, rules)
    return _feedback(ctx, rules, kind, analyse(text, rules, kind, focus_keywords(ctx.pack)))


@registry.sub(
    "pitch-review",
    "submit",
    "Post a pitch to the review channel for peer reviews (feedback stays private)",
    KIND,
    TEXT,
)
async def submit(ctx: Context, cmd: Command) -> Response:
    rules = rules_of(ctx)
    if _needs_form(cmd, rules):
        return _text_form(ctx, rules, cmd, "submit")
    kind, text = kind_and_text(ctx, cmd, rules)
    channel = str(ctx.community.settings.get("review-channel") or "").strip()
    if not channel:
        raise UserError(ctx.msg("pitch_no_channel"))
    analysis = analyse(text, rules, kind, focus_keywords(ctx.pack))
    async with ctx.db.begin() as conn:
        new_id = await store.create(
            conn, ctx.community_id, ctx.member_id, kind.id, channel, text, analysis, ctx.now()
        )
        waiting = await store.queue(conn, ctx.community_id, ctx.member_id, 2)
    author = feedback.name(ctx.profile.display_name, ctx.member_id)
    root = Post(
        Target(ctx.community_id, channel_id=channel),
        pitch_post(ctx, new_id, 1, kind, author, text),
        key=f"pitch:{new_id}:root",
    )
    reply = _feedback(ctx, rules, kind, analysis)
    lead = ctx.msg("pitch_posted", kind=kind.label.lower(), channel=channel)
    extra: tuple[Field, ...] = ()
    if waiting:
        lines = [
            "- "
            + ctx.msg(
                "pitch_queue_item",
                id=w.id,
                kind=(rules.find_kind(w.kind) or kind).label.lower(),
                author=feedback.name(w.author_name, w.author_id),
                reviews=w.reviews,
            )
            for w in waiting
        ]
        extra = (Field(ctx.msg("pitch_while_you_wait"), "\n".join(lines)),)
    return Response(
        title=ctx.msg("pitch_posted_title", id=new_id),
        text=f"{lead}\n\n**{reply.title}**\n{reply.text}",
        fields=reply.fields + extra,
        buttons=tuple(Button(f"Review #{w.id}", f"pitch-review review {w.id}") for w in waiting),
        data=reply.data | {"submitted": {"id": new_id, "version": 1, "channel": channel}},
        also=(root,),
    )


async def _own_live_pitch(
    ctx: Context, conn: AsyncConnection, number: int, action: str
) -> store.Pitch:
    pitch = await store.get(conn, ctx.community_id, number)
    if pitch is None:
        raise NotFound(ctx.msg("pitch_not_found", id=number))
    if pitch.deleted:
        raise UserError(ctx.msg("pitch_gone", id=number, action=action))
    if pitch.author_id != ctx.member_id and not (action == "deleted" and ctx.is_organiser):
        verb = {"revised": "revise", "deleted": "delete"}.get(action, action)
        raise NotAllowed(ctx.msg("pitch_not_author", id=number, action=verb))
    return pitch


@registry.sub(
    "pitch-review",
    "revise",
    "Post a new version of your pitch; status then shows the change in scores",
    OptionSpec("id", "the pitch number", kind="int"),
    OptionSpec("text", "the new version", kind="text", max_length=TEXT_OPTION_LIMIT),
)
async def revise(ctx: Context, cmd: Command) -> Response:
    rules = rules_of(ctx)
    number = pitch_id(ctx, cmd)
    text = pitch_text(ctx, rules, cmd.opt("text"))
    async with ctx.db.begin() as conn:
        pitch = await _own_live_pitch(ctx, conn, number, "revised")
        kind = rules.find_kind(pitch.kind) or rules.kind(rules.default_kind)
        analysis = analyse(text, rules, kind, focus_keywords(ctx.pack))
        version = await store.add_version(conn, ctx.community_id, pitch, text, analysis, ctx.now())
    before = Analysis(
        kind.id, 0, 0.0, analysis.target, (), pitch.missing, pitch.flags, written=kind.written
    )
    author = feedback.name(ctx.profile.display_name, ctx.member_id)
    post = Post(
        Target(ctx.community_id, channel_id=pitch.channel_id, thread=f"pitch:{number}:root"),
        pitch_post(ctx, number, version, kind, author, text),
        key=f"pitch:{number}:v{version}",
    )
    lead = ctx.msg(
        "pitch_revised",
        version=version,
        previous=version - 1,
        changes=feedback.changes(ctx, rules, before, analysis),
    )
    reply = _feedback(ctx, rules, kind, analysis)
    return Response(
        title=ctx.msg("pitch_revised_title", id=number, version=version),
        text=f"{lead}\n\n**{reply.title}**\n{reply.text}",
        fields=reply.fields,
        data=reply.data | {"revised": {"id": number, "version": version}},
        also=(post,),
    )


@registry.sub(
    "pitch-review",
    "delete",
    "Withdraw one of your pitches and erase its text",
    OptionSpec("id", "the pitch number", kind="int"),
)
async def delete(ctx: Context, cmd: Command) -> Response:
    number = pitch_id(ctx, cmd)
    async with ctx.db.begin() as conn:
        pitch = await _own_live_pitch(ctx, conn, number, "deleted")
        await store.delete(conn, ctx.community_id, number, ctx.now())
    note = Post(
        Target(ctx.community_id, channel_id=pitch.channel_id, thread=f"pitch:{number}:root"),
        Response(text=ctx.msg("pitch_withdrawn", id=number), ephemeral=False),
        key=f"pitch:{number}:deleted",
    )
    return Response(
        text=ctx.msg("pitch_deleted", id=number), data={"deleted": {"id": number}}, also=(note,)
    )
