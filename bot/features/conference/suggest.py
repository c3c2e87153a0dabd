"""Conference mode's suggestion for the accountability check-in form: "send N
post-conference follow-ups", while contacts met at a recent conference have not
had their follow-up email logged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Date, and_, bindparam, exists, func, select
from sqlalchemy.sql.elements import ColumnElement

from bot.context import Context
from bot.features.conference.content import conference_rules
from bot.features.conference.dates import today_in
from bot.features.conference.tables import conference_attendees, conference_contacts, conferences
from bot.features.contacts.tables import contact_events
from bot.features.groups.suggestions import Suggester, commitment_suggester


def pending_follow_ups(
    community: ColumnElement[str], member: ColumnElement[str]
) -> ColumnElement[int]:
    """Contacts the member met at a conference they attend that ended within the
    pack's window (or is running), with no email logged since the meeting."""
    cc, ev = conference_contacts, contact_events
    emailed = exists().where(
        ev.c.community_id == community,
        ev.c.contact_id == cc.c.contact_id,
        ev.c.kind == "emailed",
        ev.c.at >= cc.c.met_at,
    )
    attended = exists().where(
        conference_attendees.c.conference_id == cc.c.conference_id,
        conference_attendees.c.member_id == member,
    )
    return (
        select(func.count())
        .select_from(cc.join(conferences, conferences.c.id == cc.c.conference_id))
        .where(
            and_(
                cc.c.community_id == community,
                cc.c.member_id == member,
                cc.c.met_at.is_not(None),
                conferences.c.community_id == community,
                conferences.c.end_date >= bindparam("conference_since", type_=Date()),
                attended,
                ~emailed,
            )
        )
        .scalar_subquery()
    )


def _params(ctx: Context) -> dict[str, Any]:
    weeks = conference_rules(ctx.pack).suggest_weeks_after
    return {"conference_since": today_in(ctx.now(), "UTC") - timedelta(weeks=weeks, days=1)}


commitment_suggester(
    Suggester(
        name="conference",
        count=pending_follow_ups,
        params=_params,
        text=lambda ctx, n: ctx.msg("conf_commitment", n=n),
    )
)
