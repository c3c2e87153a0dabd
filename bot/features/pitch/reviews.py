"""Peer review: the Review button opens a rubric form; the scores are stored
(one review per reviewer per version) and the author hears about it by DM.
/pitch-review status aggregates, with the change since the previous version."""

from __future__ import annotations

from bot.commands import Command, OptionSpec
from bot.context import Context
from bot.errors import NotAllowed, NotFound, UserError
from bot.features.pitch import feedback, store
from bot.features.pitch.inputs import pitch_id, rules_of
from bot.features.pitch.rules import CRITERIA, PitchRules
from bot.registry import registry
from bot.responses import Button, Choice, Field, Form, FormField, Post, Response, Target
from bot.text import clean_text

COMMENT_LIMIT = 600


def _kind_label(rules: PitchRules, kind_id: str) -> str:
    kind = rules.find_kind(kind_id)
    return kind.label if kind else kind_id


async def _reviewable(ctx: Context, number: int) -> store.Pitch:
    async with ctx.db.connect() as conn:
        pitch = await store.get(conn, ctx.community_id, number)
    if pitch is None:
        raise NotFound(ctx.msg("pitch_not_found", id=number))
    if pitch.deleted:
        raise UserError(ctx.msg("pitch_gone", id=number, action="reviewed"))
    if pitch.author_id == ctx.member_id:
        raise NotAllowed(ctx.msg("pitch_self_review"))
    return pitch


@registry.sub(
    "pitch-review",
    "review",
    "Review someone's pitch: a short rubric form (1-5 on four criteria, plus a comment)",
    OptionSpec("id", "the pitch number", kind="int"),
)
async def review(ctx: Context, cmd: Command) -> Response:
    rules = rules_of(ctx)
    pitch = await _reviewable(ctx, pitch_id(ctx, cmd))
    async with ctx.db.connect() as conn:
        previous = await store.my_review(
            conn, ctx.community_id, pitch.id, pitch.latest_version, ctx.member_id
        )
    kind = rules.find_kind(pitch.kind) or rules.kind(rules.default_kind)
    scale = tuple(Choice(str(v), label) for v, label in sorted(rules.scale.items()))
    fields = [
        FormField(
            c.id,
            f"{c.label} (1-5)",
            kind="choice",
            choices=scale,
            default=str(previous[c.id]) if previous else "",
            placeholder=kind.rubric[c.id][:100],
        )
        for c in rules.criteria
    ]
    fields.append(
        FormField(
            "comment",
            ctx.msg("pitch_form_comment")[:45],
            kind="paragraph",
            required=False,
            max_length=COMMENT_LIMIT,
            default=previous["comment"] if previous else "",
        )
    )
    rubric = "\n".join(f"- **{c.label}**: {kind.rubric[c.id]}" for c in rules.criteria)
    intro = ctx.msg(
        "pitch_review_text",
        id=pitch.id,
        version=pitch.latest_version,
        kind=kind.label.lower(),
        author=feedback.name(pitch.author_name, pitch.author_id),
    )
    return Response(
        text=f"{intro}\n\n{pitch.text}\n\n{ctx.msg('pitch_rubric_heading')}\n{rubric}",
        form=Form(
            title=ctx.msg("pitch_form_title", id=pitch.id)[:24],
            submit=f"pitch-review rate {pitch.id} {pitch.latest_version}",
            fields=tuple(fields),
            submit_label=ctx.msg("pitch_form_submit"),
        ),
        data={"review_form": {"id": pitch.id, "version": pitch.latest_version}},
    )


def _scores(ctx: Context, rules: PitchRules, cmd: Command) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in rules.criteria:
        given = cmd.opt(c.id).strip()
        value = given.split(" ", 1)[0].split("-", 1)[0].strip()
        if not value.isdigit() or not 1 <= int(value) <= 5:
            raise UserError(ctx.msg("pitch_bad_score", criterion=c.label, given=given[:20]))
        out[c.id] = int(value)
    return out


@registry.sub(
    "pitch-review",
    "rate",
    "Save a review (the review form's submit)",
    OptionSpec("id", "the pitch number", kind="int"),
    OptionSpec("version", "the version reviewed", kind="int"),
    *(OptionSpec(c, f"{c} score 1-5", required=False) for c in CRITERIA),
    OptionSpec("comment", "a comment", kind="text", required=False, max_length=COMMENT_LIMIT),
    hidden=True,
)
async def rate(ctx: Context, cmd: Command) -> Response:
    rules = rules_of(ctx)
    pitch = await _reviewable(ctx, pitch_id(ctx, cmd))
    version = pitch_id(ctx, cmd, "version") if cmd.opt("version").isdigit() else 0
    if not 1 <= version <= pitch.latest_version:
        raise NotFound(ctx.msg("pitch_no_version", id=pitch.id, version=cmd.opt("version")[:12]))
    scores = _scores(ctx, rules, cmd)
    comment = clean_text(
        cmd.opt("comment"),
        field=ctx.msg("pitch_comment_field"),
        max_length=COMMENT_LIMIT,
        required=False,
    )
    now = ctx.now()
    async with ctx.db.begin() as conn:
        review_id, updated = await store.save_review(
            conn, ctx.community_id, pitch.id, version, ctx.member_id, scores, comment, now
        )
        given = await store.reviews_given(conn, ctx.community_id, ctx.member_id)
    labels: dict[str, str] = {c.id: c.label.lower() for c in rules.criteria}
    shown = ", ".join(f"{labels[c]} {v}" for c, v in scores.items())
    dm_text = ctx.msg(
        "pitch_review_dm",
        reviewer=feedback.name(ctx.profile.display_name, ctx.member_id),
        scores=shown,
    )
    if comment:
        dm_text += f"\n> {comment}"
    dm_text += "\n" + ctx.msg("pitch_review_dm_footer", id=pitch.id)
    dm = Post(
        Target(ctx.community_id, member_id=pitch.author_id),
        Response(
            title=ctx.msg(
                "pitch_review_dm_updated_title" if updated else "pitch_review_dm_title",
                id=pitch.id,
                version=version,
            ),
            text=dm_text,
            ephemeral=False,
            data={"review": {"id": pitch.id, "version": version, "scores": scores}},
        ),
        key=f"pitch:{pitch.id}:review:{review_id}:{int(now.timestamp())}",
    )
    key = "pitch_review_updated" if updated else "pitch_review_saved"
    return Response(
        text=ctx.msg(key, id=pitch.id, version=version, given=given),
        buttons=(Button("Next pitch to review", "pitch-review queue"),),
        data={
            "review": {
                "id": pitch.id,
                "version": version,
                "scores": scores,
                "updated": updated,
                "reviews_given": given,
            }
        },
        also=(dm,),
    )


def _fmt(value: float) -> str:
    return f"{value:.1f}"


@registry.sub(
    "pitch-review",
    "status",
    "Your pitch's reviews: mean scores, change since the last version, comments",
    OptionSpec("id", "the pitch number (default: your latest)", kind="int", required=False),
)
async def status(ctx: Context, cmd: Command) -> Response:
    rules = rules_of(ctx)
    async with ctx.db.connect() as conn:
        given = await store.reviews_given(conn, ctx.community_id, ctx.member_id)
        mine = await store.latest_of(conn, ctx.community_id, ctx.member_id)
        number = pitch_id(ctx, cmd) if cmd.opt("id") else (mine[0] if mine else 0)
        pitch = await store.get(conn, ctx.community_id, number) if number else None
        if pitch is not None and pitch.author_id == ctx.member_id and not pitch.deleted:
            versions = await store.versions(conn, ctx.community_id, number)
            notes = await store.comments(conn, ctx.community_id, number, pitch.latest_version)
    given_field = Field(ctx.msg("pitch_reviews_given"), str(given), True)
    if not number:
        return Response(
            text=ctx.msg("pitch_status_none"),
            fields=(given_field,),
            data={"status": None, "reviews_given": given},
        )
    if pitch is None:
        raise NotFound(ctx.msg("pitch_not_found", id=number))
    if pitch.author_id != ctx.member_id:
        raise NotAllowed(ctx.msg("pitch_status_not_yours", id=number))
    if pitch.deleted:
        raise UserError(ctx.msg("pitch_gone", id=number, action="shown"))
    latest = versions[-1]
    before = versions[-2] if len(versions) > 1 else None
    delta: dict[str, float] = {}
    fields = []
    for c in rules.criteria:
        if not latest.scores:
            value = ctx.msg("pitch_status_no_score")
        elif before and before.scores:
            d = round(latest.scores[c.id] - before.scores[c.id], 2)
            delta[c.id] = d
            value = ctx.msg(
                "pitch_status_score",
                score=_fmt(latest.scores[c.id]),
                previous=before.number,
                before=_fmt(before.scores[c.id]),
                delta=f"{d:+.1f}",
            )
        else:
            value = ctx.msg("pitch_status_score_plain", score=_fmt(latest.scores[c.id]))
        fields.append(Field(c.label, value, True))
    labels: dict[str, str] = {e.id: e.label.lower() for e in rules.elements}
    flag_labels: dict[str, str] = {f.id: f.label.lower() for f in rules.flags}
    check = ", ".join(labels[m] for m in latest.missing)
    check = ("missing: " + check) if check else "all five parts"
    if latest.flags:
        check += "; flags: " + ", ".join(flag_labels[f] for f in latest.flags)
    fields.append(Field(ctx.msg("pitch_status_check"), check))
    if notes:
        fields.append(
            Field(
                ctx.msg("pitch_status_comments", version=latest.number),
                "\n".join(f"- {feedback.name(who, who)}: {text}" for who, text in notes),
            )
        )
    others = [p for p in mine if p != number]
    if others:
        fields.append(Field(ctx.msg("pitch_status_others"), ", ".join(f"#{p}" for p in others)))
    fields.append(given_field)
    key = "pitch_status_reviews" if latest.reviews else "pitch_status_no_reviews"
    return Response(
        title=ctx.msg(
            "pitch_status_title",
            id=number,
            kind=_kind_label(rules, pitch.kind),
            version=latest.number,
        ),
        text=ctx.msg(key, count=latest.reviews, version=latest.number),
        fields=tuple(fields),
        data={
            "status": {
                "id": number,
                "kind": pitch.kind,
                "version": latest.number,
                "versions": [
                    {
                        "version": v.number,
                        "reviews": v.reviews,
                        "scores": v.scores,
                        "missing": list(v.missing),
                        "flags": list(v.flags),
                    }
                    for v in versions
                ],
                "delta": delta,
            },
            "reviews_given": given,
        },
    )
