"""/mentor invite: an organiser's link for mentors who are not on the platform."""

from __future__ import annotations

from datetime import timedelta

from bot.commands import Command, OptionSpec
from bot.context import Context
from bot.errors import UserError
from bot.features.invites.links import issue_invite
from bot.registry import registry
from bot.responses import Moment, Response, error

USES, DAYS = (1, 200), (1, 90)


@registry.sub(
    "mentor",
    "invite",
    "Organisers: a sign-up link for mentors who are not here (they take part by email)",
    OptionSpec(
        "uses",
        f"how many mentors may use it ({USES[0]}-{USES[1]}, default 10)",
        kind="int",
        required=False,
    ),
    OptionSpec(
        "days",
        f"how long it works ({DAYS[0]}-{DAYS[1]} days, default 14)",
        kind="int",
        required=False,
    ),
    organiser_only=True,
)
async def invite(ctx: Context, cmd: Command) -> Response:
    base = ctx.rounds.web_url
    if base is None:
        return error(ctx.msg("invite_off"))
    uses, days = int(cmd.opt("uses") or 10), int(cmd.opt("days") or 14)
    for value, (lo, hi), what in ((uses, USES, "uses"), (days, DAYS, "days")):
        if not lo <= value <= hi:
            raise UserError(ctx.msg("invite_range", what=what, lo=lo, hi=hi, given=value))
    now = ctx.now()
    token = await issue_invite(ctx.db, ctx.community_id, ctx.member_id, uses, days, now)
    until = Moment(
        now + timedelta(days=days), "date", (now + timedelta(days=days)).date().isoformat()
    )
    return Response(
        text=ctx.msg("invite_made", url=f"{base}/invite/{token}", uses=uses, until=until),
        data={"invite": {"url": f"{base}/invite/{token}", "uses": uses, "days": days}},
    )
