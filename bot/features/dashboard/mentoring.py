"""The mentoring page's numbers: each round's funnel (signed up, matched,
accepted, met, updates sent), why mentees went unmatched, and each mentor's
load in the latest round against the capacity they gave."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.dashboard.tables import NumberTable
from bot.features.mentoring import followups
from bot.features.mentoring import store as mentoring
from bot.features.mentoring.store import MENTEE, MENTOR
from bot.features.mentoring.tables import mentoring_rounds
from bot.scheduling.tables import jobs

FUNNEL = ("signed_up", "matched", "accepted", "met", "updates_sent")


@dataclass(frozen=True)
class Mentoring:
    funnel: NumberTable
    unmatched: NumberTable
    load: NumberTable
    current: str | None  # the status of the round not yet published, if any
    latest_funnel: tuple[int, ...]

    def tables(self) -> tuple[NumberTable, ...]:
        return (self.funnel, self.unmatched, self.load)


async def _updates_sent(conn: AsyncConnection, community_id: str, pair_ids: list[int]) -> int:
    """Pairs whose recurring "update your mentor" reminder went out at least once."""
    if not pair_ids:
        return 0
    keys = [followups.update_key(p) for p in pair_ids]
    rows = await conn.execute(
        select(jobs.c.key).where(
            jobs.c.community_id == community_id, jobs.c.key.in_(keys), jobs.c.sent_count > 0
        )
    )
    return len(set(rows.scalars()))


async def mentoring_numbers(conn: AsyncConnection, community_id: str) -> Mentoring:
    rows = await conn.execute(
        select(mentoring_rounds.c.id)
        .where(mentoring_rounds.c.community_id == community_id)
        .order_by(mentoring_rounds.c.id)
    )
    funnel, reasons, load, current = [], Counter[str](), [], None
    latest: tuple[int, ...] = (0,) * len(FUNNEL)
    for round_id in rows.scalars():
        rnd = await mentoring.get_round(conn, community_id, int(round_id))
        assert rnd is not None
        pool = rnd.pool
        if pool is None:  # still open: the live sign-ups
            pool = [s.to_json() for s in await mentoring.active_signups(conn, community_id)]
        pairs = await mentoring.round_pairs(conn, community_id, rnd.id)
        mentees = sum(1 for s in pool if s["role"] == MENTEE)
        accepted = sum(1 for p in pairs if p.status == "accepted" or p.met is not None)
        met = sum(1 for p in pairs if p.met == "yes")
        sent = await _updates_sent(conn, community_id, [p.id for p in pairs])
        latest = (mentees, len(pairs), accepted, met, sent)
        funnel.append((rnd.id, rnd.status, *latest))
        if rnd.status != "published":
            current = rnd.status
        reasons.update(str(u.get("reason", "unknown")) for u in rnd.unmatched or [])
        matched = Counter(p.mentor_id for p in pairs)
        load = [
            (s["member_id"], int(s["capacity"]), matched.get(s["member_id"], 0))
            for s in pool
            if s["role"] == MENTOR
        ]
    return Mentoring(
        NumberTable("funnel", "Each round's funnel", ("round", "status", *FUNNEL), tuple(funnel)),
        NumberTable(
            "unmatched",
            "Why mentees went unmatched (published rounds)",
            ("reason", "mentees"),
            tuple(sorted(reasons.items())),
        ),
        NumberTable(
            "load",
            "Mentor load in the latest round",
            ("mentor", "capacity", "matched"),
            tuple(sorted(load)),
        ),
        current,
        latest,
    )
