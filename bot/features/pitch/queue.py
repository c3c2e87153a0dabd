"""/pitch-review queue: reciprocity. Pitches by others with the fewest reviews,
whose latest version this member has not reviewed yet."""

from __future__ import annotations

from bot.commands import Command
from bot.context import Context
from bot.features.pitch import feedback, store
from bot.features.pitch.inputs import rules_of
from bot.registry import registry
from bot.responses import Button, Field, Response


@registry.sub(
    "pitch-review",
    "queue",
    "Pitches waiting for a review (fewest reviews first) and how many you've given",
)
async def queue(ctx: Context, cmd: Command) -> Response:
    rules = rules_of(ctx)
    async with ctx.db.connect() as conn:
        items = await store.queue(conn, ctx.community_id, ctx.member_id, rules.queue_size)
        given = await store.reviews_given(conn, ctx.community_id, ctx.member_id)
    lines = []
    for item in items:
        kind = rules.find_kind(item.kind)
        lines.append(
            "- "
            + ctx.msg(
                "pitch_queue_item",
                id=item.id,
                kind=(kind.label if kind else item.kind).lower(),
                author=feedback.name(item.author_name, item.author_id),
                reviews=item.reviews,
            )
        )
    text = ctx.msg("pitch_queue_intro") + "\n" + "\n".join(lines) if items else ""
    return Response(
        title=ctx.msg("pitch_queue_title"),
        text=text or ctx.msg("pitch_queue_empty"),
        fields=(Field(ctx.msg("pitch_reviews_given"), str(given), True),),
        buttons=tuple(
            Button(f"Review #{i.id}", f"pitch-review review {i.id}", "primary") for i in items
        ),
        data={
            "queue": [
                {"id": i.id, "author": i.author_id, "kind": i.kind, "reviews": i.reviews}
                for i in items
            ],
            "reviews_given": given,
        },
    )
