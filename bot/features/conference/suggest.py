"""Conference mode's suggestion for the accountability check-in form: "send N
post-conference follow-ups", while contacts met at a recent conference have not
had their follow-up email logged."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.context import Context
from bot.features.conference import store
from bot.features.conference.content import conference_rules
from bot.features.conference.dates import today_in
from bot.features.groups.suggestions import commitment_suggester


async def pending_follow_ups(conn: AsyncConnection, ctx: Context) -> int:
    """Contacts met at a conference that ended within the pack's window (or is
    running) and have no email logged since."""
    weeks = conference_rules(ctx.pack).suggest_weeks_after
    since = today_in(ctx.now(), "UTC") - timedelta(weeks=weeks, days=1)
    recent = await store.recent_for_member(conn, ctx.community_id, ctx.member_id, since)
    met = [t for conf, entries in recent for t in entries if t.met]
    emailed = await store.first_emails(conn, ctx.community_id, met)
    return sum(1 for t in met if t.contact_id not in emailed)


@commitment_suggester
async def follow_up_commitment(conn: AsyncConnection, ctx: Context) -> list[str]:
    n = await pending_follow_ups(conn, ctx)
    return [ctx.msg("conf_commitment", n=n)] if n else []
