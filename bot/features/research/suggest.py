"""Research's suggestion for the check-in form: "move project #N one step",
once the member asked for it (from the stall nudge or /research commit) and
until the project moves. The suggester's value is that project's number."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.sql.elements import ColumnElement

from bot.context import Context
from bot.features.groups.suggestions import Suggester, commitment_suggester
from bot.features.research.tables import research_projects as P
from bot.storage.types import UTCDateTime

WINDOW = timedelta(days=14)  # an offer taken up counts for the next check-in or two


def asked_for(community: ColumnElement[str], member: ColumnElement[str]) -> ColumnElement[int]:
    """The latest project the member asked to move, still unmoved since the ask."""
    return (
        select(func.max(P.c.id))
        .where(
            P.c.community_id == community,
            P.c.member_id == member,
            P.c.commit_at.is_not(None),
            P.c.commit_at >= bindparam("research_since", type_=UTCDateTime()),
        )
        .scalar_subquery()
    )


def _params(ctx: Context) -> dict[str, Any]:
    return {"research_since": (ctx.now() - WINDOW).replace(second=0, microsecond=0)}


commitment_suggester(
    Suggester(
        name="research",
        count=asked_for,
        params=_params,
        text=lambda ctx, n: ctx.msg("research_commitment", id=n),
    )
)
