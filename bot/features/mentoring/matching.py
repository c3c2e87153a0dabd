"""The matching solver: the best assignment of mentees to mentors over the whole
pool, under each mentor's capacity.

Objective, lexicographic: first as many mentees matched as possible, then the
highest total compatibility (points from `scoring`). Hard constraints never
become edges: a different specialty pack, an exclusion by either side, a
previous pair, oneself, a score under the pack's minimum.

Method: packs are independent blocks. In a block, each mentor becomes
`capacity` identical slot rows and every mentee a column; the value of a
compatible cell is points + C, where C exceeds any block's total points, and
incompatible cells are 0. `scipy.optimize.linear_sum_assignment` (an exact
shortest-augmenting-path algorithm) then maximises the total; assignments to
incompatible cells are dropped (they are worth 0, the same as no assignment).
The seed permutes the order of mentors and mentees, which only decides between
equally good answers: the same input and seed give the same result."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from scipy.optimize import linear_sum_assignment

from bot.features.mentoring.content import MentoringSection
from bot.features.mentoring.scoring import Person, min_points, score_matrix

# Why a mentee has no mentor, from the most to the least fundamental.
NO_MENTORS = "no-mentors"  # nobody with free capacity signed up in their pack
ALL_EXCLUDED = "excluded"  # every such mentor is excluded, a previous pair or themselves
LOW_FIT = "low-fit"  # the rest score under the pack's minimum
FULL = "full"  # compatible mentors exist, but their slots went to other mentees


@dataclass(frozen=True)
class Match:
    mentee_id: str
    mentor_id: str
    points: int


@dataclass(frozen=True)
class Unmatched:
    mentee_id: str
    reason: str
    candidates: int = 0  # compatible mentors (for FULL)


@dataclass
class Result:
    pairs: list[Match] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)

    @property
    def total_points(self) -> int:
        return sum(p.points for p in self.pairs)


def match(
    mentors: Sequence[Person],
    mentees: Sequence[Person],
    sec: MentoringSection | dict[str, MentoringSection],
    now: datetime,
    *,
    forbidden: Iterable[tuple[str, str]] = (),
    seed: int = 0,
) -> Result:
    """Assign mentees to mentors. `forbidden` holds (mentor_id, mentee_id) pairs;
    `sec` is one section or one per pack id."""
    banned = set(forbidden)
    result = Result()
    packs = sorted({p.pack for p in mentees})
    for pack in packs:
        section = sec[pack] if isinstance(sec, dict) else sec
        block_mentees = sorted((p for p in mentees if p.pack == pack), key=lambda p: p.member_id)
        block_mentors = sorted(
            (p for p in mentors if p.pack == pack and p.capacity > 0), key=lambda p: p.member_id
        )
        _block(block_mentors, block_mentees, section, now, banned, seed, pack, result)
    result.pairs.sort(key=lambda p: (p.mentor_id, p.mentee_id))
    result.unmatched.sort(key=lambda u: u.mentee_id)
    return result


def _block(
    mentors: list[Person],
    mentees: list[Person],
    sec: MentoringSection,
    now: datetime,
    banned: set[tuple[str, str]],
    seed: int,
    pack: str,
    result: Result,
) -> None:
    if not mentors:
        result.unmatched.extend(Unmatched(p.member_id, NO_MENTORS) for p in mentees)
        return
    rng = np.random.default_rng([seed & 0xFFFFFFFF, zlib.crc32(pack.encode())])
    mentors = [mentors[i] for i in rng.permutation(len(mentors))]
    mentees = [mentees[i] for i in rng.permutation(len(mentees))]
    row = {p.member_id: i for i, p in enumerate(mentors)}
    col = {p.member_id: j for j, p in enumerate(mentees)}

    allowed = np.ones((len(mentors), len(mentees)), dtype=bool)
    for mentor_id, mentee_id in banned:
        i, j = row.get(mentor_id), col.get(mentee_id)
        if i is not None and j is not None:
            allowed[i, j] = False
    for member_id, i in row.items():
        j = col.get(member_id)
        if j is not None:
            allowed[i, j] = False
    candidate: np.ndarray = np.asarray(allowed.any(axis=0))

    points = score_matrix(mentors, mentees, sec, now)
    allowed &= points >= min_points(sec)
    compatible = allowed.sum(axis=0)
    for j, p in enumerate(mentees):
        if compatible[j] == 0:
            reason = ALL_EXCLUDED if not candidate[j] else LOW_FIT
            result.unmatched.append(Unmatched(p.member_id, reason))

    cols = np.flatnonzero(compatible > 0)
    rows = np.flatnonzero(allowed.any(axis=1))
    if cols.size == 0:
        return
    sub_allowed = allowed[np.ix_(rows, cols)]
    sub_points = points[np.ix_(rows, cols)]
    del points, allowed
    caps = np.array([mentors[i].capacity for i in rows], dtype=np.int64)
    slots = np.repeat(np.arange(rows.size), caps)
    k = min(int(cols.size), int(slots.size))
    bonus = float(int(sub_points.max()) * k + 1)  # one more pair beats any points
    value = np.where(sub_allowed, sub_points.astype(np.float64) + bonus, 0.0)
    weights = value[slots]
    del value
    r, c = linear_sum_assignment(weights, maximize=True)
    del weights
    taken = set()
    for slot, j in zip(r.tolist(), c.tolist(), strict=True):
        i = int(slots[slot])
        if sub_allowed[i, j]:
            mentor, mentee = mentors[int(rows[i])], mentees[int(cols[j])]
            result.pairs.append(Match(mentee.member_id, mentor.member_id, int(sub_points[i, j])))
            taken.add(j)
    for j in range(cols.size):
        if j not in taken:
            result.unmatched.append(
                Unmatched(mentees[int(cols[j])].member_id, FULL, int(compatible[cols[j]]))
            )
