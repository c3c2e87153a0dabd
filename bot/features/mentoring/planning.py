"""A round's plan: the pool as Person records, the solver's result, and for each
proposed pair its fit and plain explanation; for each unmatched mentee, why."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from bot.content import Content
from bot.features.mentoring.content import MentoringSection
from bot.features.mentoring.introductions import Msg, fit_percent
from bot.features.mentoring.matching import match
from bot.features.mentoring.reasons import explain_unmatched
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
    text: str  # for organisers: the constraint that bound and a suggestion
    constraint: str = ""  # see bot.features.mentoring.reasons
    member_text: str = ""  # for the mentee: the same, kindly, naming nobody


@dataclass(frozen=True)
class Load:
    mentor: Person
    pairs: int

    @property
    def full(self) -> bool:
        return self.pairs >= self.mentor.capacity


@dataclass(frozen=True)
class Plan:
    proposals: list[Proposal]
    unmatched: list[Left]
    mentors: int
    slots: int
    load: list[Load] = field(default_factory=list)  # every mentor, busiest first

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
                {
                    "mentee": u.mentee.member_id,
                    "reason": u.reason,
                    "constraint": u.constraint,
                    "why": u.text,
                }
                for u in self.unmatched
            ],
            "load": {
                x.mentor.member_id: {"pairs": x.pairs, "capacity": x.mentor.capacity}
                for x in self.load
            },
            "spread": self.spread(),
            "mentors": self.mentors,
            "slots": self.slots,
        }


def sections(content: Content, packs: set[str]) -> dict[str, MentoringSection]:
    return {p: content.packs[p].section("mentoring", MentoringSection) for p in packs}


def people(
    content: Content, signups: Sequence[Signup], remaining: dict[str, int] | None = None
) -> tuple[list[Person], list[Person]]:
    """The pool's mentors and mentees as the solver sees them. `remaining`
    overrides mentors' capacities (a re-match inside a published round)."""
    usable = [s for s in signups if s.active and s.pack in content.packs]
    mentors = [s.person() for s in usable if s.role == MENTOR]
    if remaining is not None:
        mentors = [replace(m, capacity=remaining.get(m.member_id, m.capacity)) for m in mentors]
    return mentors, [s.person() for s in usable if s.role == MENTEE]


def assemble(mentors: list[Person], proposals: list[Proposal], left: list[Left]) -> Plan:
    """A plan from its pairs and unmatched mentees, in the order previews show."""
    proposals.sort(key=lambda p: (-p.points, p.mentee.member_id))
    left.sort(key=lambda u: u.mentee.member_id)
    slots = sum(m.capacity for m in mentors)
    taken = Counter(p.mentor.member_id for p in proposals)
    load = [Load(m, taken[m.member_id]) for m in mentors]
    load.sort(key=lambda x: (-x.pairs, -x.mentor.capacity, x.mentor.member_id))
    return Plan(proposals, left, len(mentors), slots, load)


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
    mentors, mentees = people(content, signups, remaining)
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
    left = []
    for pack_id in sorted({by_id[u.mentee_id].pack for u in result.unmatched}):
        block = [u for u in result.unmatched if by_id[u.mentee_id].pack == pack_id]
        whys = explain_unmatched(
            block,
            by_id,
            [m for m in mentors if m.pack == pack_id],
            forbidden,
            content.packs[pack_id],
            secs[pack_id],
            at,
            msg,
        )
        for u in block:
            w = whys[u.mentee_id]
            left.append(Left(by_id[u.mentee_id], u.reason, w.organiser, w.constraint, w.member))
    return assemble(mentors, proposals, left)
