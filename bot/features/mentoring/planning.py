"""A round's plan: the pool as Person records, the solver's result, and for each
proposed pair its fit and plain explanation; for each unmatched mentee, why."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.content import Content
from bot.features.mentoring.content import MentoringSection
from bot.features.mentoring.introductions import Msg, fit_percent
from bot.features.mentoring.matching import match
from bot.features.mentoring.scoring import Person, explain, score_pair
from bot.features.mentoring.store import MENTEE, MENTOR, Signup


@dataclass(frozen=True)
class Proposal:
    mentee: Person
    mentor: Person
    points: int
    fit: float  # percent of the best possible score
    why: str


@dataclass(frozen=True)
class Left:
    mentee: Person
    reason: str  # a code from bot.features.mentoring.matching
    text: str


@dataclass(frozen=True)
class Plan:
    proposals: list[Proposal]
    unmatched: list[Left]
    mentors: int
    slots: int

    def spread(self) -> dict[str, float]:
        fits = sorted(p.fit for p in self.proposals)
        if not fits:
            return {}
        q = statistics.quantiles(fits, n=4, method="inclusive") if len(fits) > 1 else fits * 3
        return {"min": fits[0], "q1": q[0], "median": q[1], "q3": q[2], "max": fits[-1]}

    def to_data(self) -> dict[str, Any]:
        return {
            "pairs": [
                {
                    "mentee": p.mentee.member_id,
                    "mentor": p.mentor.member_id,
                    "points": p.points,
                    "fit": p.fit,
                    "why": p.why,
                }
                for p in self.proposals
            ],
            "unmatched": [
                {"mentee": u.mentee.member_id, "reason": u.reason, "why": u.text}
                for u in self.unmatched
            ],
            "spread": self.spread(),
            "mentors": self.mentors,
            "slots": self.slots,
        }


def sections(content: Content, packs: set[str]) -> dict[str, MentoringSection]:
    return {p: content.packs[p].section("mentoring", MentoringSection) for p in packs}


def make_plan(
    content: Content,
    signups: Sequence[Signup],
    forbidden: set[tuple[str, str]],
    seed: int,
    at: datetime,
    msg: Msg,
    remaining: dict[str, int] | None = None,
) -> Plan:
    """Match the pool. `at` fixes the time-zone offsets (the round's opening),
    so the same pool and seed always give the same plan. `remaining` overrides
    mentors' capacities (a re-match inside a published round)."""
    usable = [s for s in signups if s.active and s.pack in content.packs]
    mentors = [s.person() for s in usable if s.role == MENTOR]
    if remaining is not None:
        mentors = [replace(m, capacity=remaining.get(m.member_id, m.capacity)) for m in mentors]
    mentees = [s.person() for s in usable if s.role == MENTEE]
    secs = sections(content, {p.pack for p in mentees})
    result = match(mentors, mentees, secs, at, forbidden=forbidden, seed=seed)
    by_id = {p.member_id: p for p in mentees}
    mentor_by_id = {p.member_id: p for p in mentors}
    proposals = []
    for m in result.pairs:
        mentee, mentor = by_id[m.mentee_id], mentor_by_id[m.mentor_id]
        pack = content.packs[mentee.pack]
        sec = secs[mentee.pack]
        breakdown = score_pair(mentor, mentee, sec, at)
        assert breakdown.points == m.points
        why = explain(breakdown, pack, sec, msg)
        proposals.append(Proposal(mentee, mentor, m.points, fit_percent(m.points, sec), why))
    proposals.sort(key=lambda p: (-p.points, p.mentee.member_id))
    left = []
    for u in result.unmatched:
        mentee = by_id[u.mentee_id]
        pack_name = content.packs[mentee.pack].name
        key = f"mentoring_unmatched_{u.reason.replace('-', '_')}"
        text = msg(key, pack=pack_name, n=u.candidates)
        left.append(Left(mentee, u.reason, text))
    slots = sum(m.capacity for m in mentors)
    return Plan(proposals, left, len(mentors), slots)
