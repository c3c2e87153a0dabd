"""/calendar: a member's private calendar URL by DM; /calendar reset revokes it."""

from __future__ import annotations

from bot.commands import Command
from bot.context import Context
from bot.features.calendar.feeds import Owner, token_for
from bot.registry import registry
from bot.responses import Post, Response, Target, error

registry.command("calendar", "Your reminders and deadlines in your own calendar app", default="")


async def _send(ctx: Context, *, reset: bool) -> Response:
    base = ctx.rounds.web_url
    if base is None:
        return error(ctx.msg("calendar_off"))
    async with ctx.db.begin() as conn:
        token = await token_for(
            conn, Owner(ctx.community_id, ctx.member_id), ctx.now(), reset=reset
        )
    url = f"{base}/calendar/{token}.ics"
    dm = Post(
        Target(ctx.community_id, member_id=ctx.member_id),
        Response(text=ctx.msg("calendar_link", url=url), dm=True),
    )
    return Response(text=ctx.msg("calendar_reset" if reset else "calendar_sent"), also=(dm,))


@registry.sub("calendar", "", "Send yourself your private calendar feed's address")
async def show(ctx: Context, cmd: Command) -> Response:
    return await _send(ctx, reset=False)


@registry.sub("calendar", "reset", "Revoke your calendar address and get a new one")
async def reset(ctx: Context, cmd: Command) -> Response:
    return await _send(ctx, reset=True)
