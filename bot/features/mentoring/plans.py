"""A round's plan kept in the database from preview to publish, so that publish
in any process (several `rounds run` behind one database) proposes the pairs the
preview showed without solving again. A kept plan is used only when the hash of
everything the solver is given (content, pool, exclusions and earlier pairs,
seed, opening time) is the one it was made from: then it is the plan
`make_plan` would give. Anything changed since, and publish solves again."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.content import Content
from bot.features.mentoring.planning import Left, Plan, Proposal, assemble, make_plan, people
from bot.features.mentoring.store import UNPUBLISHED, Round, Signup
from bot.features.mentoring.tables import mentoring_plans as T
from bot.features.mentoring.tables import mentoring_rounds as R
from bot.storage.db import Database
from bot.storage.upsert import upsert

FORMAT = 1  # of the stored plan: a new format leaves older plans unused


def inputs_key(
    content: Content,
    community_id: str,
    rnd: Round,
    pool: Sequence[Signup],
    forbidden: set[tuple[str, str]],
) -> str:
    """The hash of every input of the round's plan, the sign-ups' names too (the
    explanations use them). It hashes the repr of plain values and of frozen
    dataclasses holding only such values: the same in every process running
    this code, and three times quicker than JSON for a pool of 6,000."""
    given = (
        FORMAT,
        content.digest,
        community_id,
        rnd.id,
        rnd.seed,
        rnd.opened_at.isoformat(),
        sorted(forbidden),
        list(pool),
    )
    return hashlib.sha256(repr(given).encode()).hexdigest()


def encode(plan: Plan) -> dict[str, Any]:
    """What a plan adds to its pool: the pairs and the unmatched, with their texts."""
    return {
        "pairs": [
            [p.mentee.member_id, p.mentor.member_id, p.points, p.fit, p.why] for p in plan.proposals
        ],
        "unmatched": [
            [u.mentee.member_id, u.reason, u.text, u.constraint, u.member_text]
            for u in plan.unmatched
        ],
    }


def decode(content: Content, pool: Sequence[Signup], data: dict[str, Any]) -> Plan:
    """The plan `encode` kept, with the people of the pool it was made from."""
    mentors, mentees = people(content, pool)
    mentor_by = {p.member_id: p for p in mentors}
    mentee_by = {p.member_id: p for p in mentees}
    proposals = [
        Proposal(mentee_by[a], mentor_by[b], points, fit, why)
        for a, b, points, fit, why in data["pairs"]
    ]
    left = [Left(mentee_by[m], *rest) for m, *rest in data["unmatched"]]
    return assemble(mentors, proposals, left)


async def round_plan(
    db: Database,
    content: Content,
    community_id: str,
    rnd: Round,
    pool: list[Signup],
    forbidden: set[tuple[str, str]],
    now: datetime,
    keep: bool = True,
) -> Plan:
    """The round's plan: the kept one if its inputs are these, else solved (and,
    with `keep`, kept for the next command). The solve holds no connection."""
    key = inputs_key(content, community_id, rnd, pool, forbidden)
    async with db.connect() as conn:
        row = (
            await conn.execute(
                select(T.c.plan).where(
                    T.c.community_id == community_id, T.c.round_id == rnd.id, T.c.inputs == key
                )
            )
        ).first()
    if row is not None:
        return decode(content, pool, row.plan)
    plan = make_plan(content, pool, forbidden, rnd.seed, rnd.opened_at, content.msg)
    if keep:
        values = {
            "community_id": community_id,
            "round_id": rnd.id,
            "inputs": key,
            "plan": encode(plan),
            "made_at": now,
        }
        async with db.begin() as conn:
            if await _unpublished(conn, community_id, rnd.id):  # not published meanwhile
                keys = ["community_id", "round_id"]
                await conn.execute(upsert(conn, T, keys, values, ["inputs", "plan", "made_at"]))
    return plan


async def _unpublished(conn: AsyncConnection, community_id: str, round_id: int) -> bool:
    status = await conn.scalar(
        select(R.c.status).where(R.c.community_id == community_id, R.c.id == round_id)
    )
    return status in UNPUBLISHED


async def drop(conn: AsyncConnection, community_id: str) -> None:
    """Forget the community's kept plans: its one unpublished round is published
    (and a plan kept while that happened, if any, goes too)."""
    await conn.execute(delete(T).where(T.c.community_id == community_id))
