"""/dashboard: an organiser asks for a one-time sign-in link, sent by DM."""

from __future__ import annotations

from bot.commands import Command
from bot.context import Context
from bot.features.dashboard.signin import issue_link
from bot.registry import registry
from bot.responses import Post, Response, Target, error

registry.command("dashboard", "Open this community's web dashboard (organisers only)", default="")


@registry.sub(
    "dashboard", "", "Send yourself a one-time sign-in link to the dashboard", organiser_only=True
)
async def dashboard(ctx: Context, cmd: Command) -> Response:
    base = ctx.rounds.web_url
    if base is None:
        return error(ctx.msg("dashboard_off"))
    vouched = not ctx.profile.is_organiser  # the platform's word, not Rounds' record
    token = await issue_link(ctx.db, ctx.community_id, ctx.member_id, ctx.now(), vouched)
    link = Response(text=ctx.msg("dashboard_link", url=f"{base}/signin/{token}"), dm=True)
    dm = Post(Target(ctx.community_id, member_id=ctx.member_id), link)
    sent = ctx.msg("dashboard_sent_vouched" if vouched else "dashboard_sent")
    return Response(text=sent, also=(dm,))
