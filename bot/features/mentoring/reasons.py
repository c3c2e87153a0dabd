"""Why a mentee was left unmatched, in words: the constraint that bound and what
would change it (for organisers: preview, status, export), and a kind version
for the mentee's own message that never says who excluded whom."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from bot.background import VISAS
from bot.content import Pack
from bot.features.mentoring.content import MentoringSection
from bot.features.mentoring.introductions import Msg, fit_percent
from bot.features.mentoring.matching import FULL, LOW_FIT, Unmatched
from bot.features.mentoring.scoring import (
    NEAR_PEER,
    Person,
    min_points,
    score_matrix,
    score_pair,
)


@dataclass(frozen=True)
class Why:
    constraint: str  # pool | excluded | kind | stage | timezone | fit | capacity | visa
    organiser: str
    member: str


def _labels(sec: MentoringSection, kinds: frozenset[str]) -> str:
    return ", ".join(k.label for k in sec.kinds if k.id in kinds) or "-"


def _near_stages(sec: MentoringSection, mentee: Person) -> str:
    """The stages the pack's ladder puts near_peer_years ahead of the mentee."""
    me = sec.stage(mentee.stage)
    if me is None:
        return "-"
    lo, hi = sec.scoring.near_peer_years.min, sec.scoring.near_peer_years.max
    return ", ".join(s.label for s in sec.stages if lo <= s.year - me.year <= hi) or "-"


def _near(mentor: Person, mentee: Person, sec: MentoringSection) -> bool:
    """Whether the stage ladder puts the mentor near_peer_years ahead of the mentee."""
    a, b = sec.stage(mentor.stage), sec.stage(mentee.stage)
    lo, hi = sec.scoring.near_peer_years.min, sec.scoring.near_peer_years.max
    return a is not None and b is not None and lo <= a.year - b.year <= hi


def _offers(mentor: Person, mentee: Person, sec: MentoringSection) -> bool:
    """Whether the mentor offers a kind the mentee seeks (near-peer only at the right distance)."""
    kinds = mentor.kinds & mentee.kinds
    return bool(kinds - {NEAR_PEER}) or (bool(kinds) and _near(mentor, mentee, sec))


def explain_unmatched(
    unmatched: Sequence[Unmatched],
    mentees: dict[str, Person],
    mentors: Sequence[Person],
    forbidden: set[tuple[str, str]],
    pack: Pack,
    sec: MentoringSection,
    at: datetime,
    msg: Msg,
) -> dict[str, Why]:
    """One pack's unmatched mentees, each with the constraint that bound and a suggestion."""
    free = [m for m in mentors if m.capacity > 0]
    row = {m.member_id: i for i, m in enumerate(free)}
    scored = [mentees[u.mentee_id] for u in unmatched if u.reason in (LOW_FIT, FULL)]
    col = {p.member_id: j for j, p in enumerate(scored)}
    points = np.full((len(free), len(scored)), -1, dtype=np.int64)
    if scored and free:
        points = score_matrix(free, scored, sec, at).astype(np.int64)
        for mentor_id, mentee_id in forbidden:
            if mentor_id in row and mentee_id in col:
                points[row[mentor_id], col[mentee_id]] = -1
        for mentee_id, j in col.items():
            if mentee_id in row:
                points[row[mentee_id], j] = -1
    best: dict[str, Person] = {}  # the best-scoring mentor they may be paired with
    offering: dict[str, Person] = {}  # the best of those offering a kind they seek
    for j, person in enumerate(scored):
        for i in np.argsort(-points[:, j], kind="stable"):
            if points[i, j] < 0:
                break
            best.setdefault(person.member_id, free[i])
            if _offers(free[i], person, sec):
                offering[person.member_id] = free[i]
                break
    out = {}
    knows_visas = [m for m in mentors if m.visa_help or m.sponsors]
    for u in unmatched:
        mentee = mentees[u.mentee_id]
        kinds = _labels(sec, mentee.kinds)
        values = {"pack": pack.name, "kinds": kinds}
        if mentee.needs_visa and (u.reason == FULL or (u.reason == LOW_FIT and not knows_visas)):
            out[u.mentee_id] = _visa(mentee, knows_visas, msg, values)
        elif u.reason == FULL and u.mentee_id in best:
            top = best[u.mentee_id]
            if top.capacity < sec.capacity.max:
                why = msg(
                    "mentoring_unmatched_full",
                    n=u.candidates,
                    mentor=top.name,
                    cap=top.capacity,
                    more=top.capacity + 1,
                )
            else:
                why = msg("mentoring_unmatched_full_recruit", n=u.candidates, **values)
            out[u.mentee_id] = Why("capacity", why, msg("mentoring_left_full"))
        elif u.reason == LOW_FIT:
            out[u.mentee_id] = _low_fit(
                mentee, free, offering.get(u.mentee_id), sec, at, msg, values
            )
        else:
            constraint = "pool" if u.reason != "excluded" else "excluded"
            key = "no_mentors" if constraint == "pool" else "excluded"
            out[u.mentee_id] = Why(
                constraint,
                msg(f"mentoring_unmatched_{key}", **values),
                msg(f"mentoring_left_{key}", **values),
            )
    return out


def _visa(mentee: Person, knows: Sequence[Person], msg: Msg, values: dict[str, str]) -> Why:
    """A mentee who needs visa help: name the missing (or full) visa-experienced mentor."""
    path = mentee.visa if mentee.visa in VISAS else None
    visas = "/".join(msg(f"mentoring_visa_{v}") for v in ((path,) if path else VISAS))
    if knows:
        names = ", ".join(m.name for m in knows)
        why = msg("mentoring_unmatched_visa_full", visas=visas, mentors=names)
    else:
        why = msg("mentoring_unmatched_visa", visas=visas, **values)
    return Why("visa", why, msg("mentoring_left_visa"))


def _low_fit(
    mentee: Person,
    mentors: Sequence[Person],
    mentor: Person | None,
    sec: MentoringSection,
    at: datetime,
    msg: Msg,
    values: dict[str, str],
) -> Why:
    """Every allowed mentor scores under the minimum: name what is missing most.
    `mentor` is the best-scoring allowed one offering a kind the mentee seeks."""
    if mentor is None:
        near_only = mentee.kinds == {NEAR_PEER} and any(NEAR_PEER in m.kinds for m in mentors)
        if near_only:
            return Why(
                "stage",
                msg(
                    "mentoring_unmatched_stage",
                    lo=sec.scoring.near_peer_years.min,
                    hi=sec.scoring.near_peer_years.max,
                    stages=_near_stages(sec, mentee),
                ),
                msg("mentoring_left_stage"),
            )
        kind_text = msg("mentoring_unmatched_kind", **values)
        return Why("kind", kind_text, msg("mentoring_left_kind", **values))
    b = score_pair(mentor, mentee, sec, at)
    if b.hours > sec.scoring.timezone_full_hours:
        return Why(
            "timezone",
            msg(
                "mentoring_unmatched_timezone",
                mentor=mentor.name,
                hours=f"{b.hours:.0f}",
                zone=mentee.timezone,
                **values,
            ),
            msg("mentoring_left_timezone"),
        )
    return Why(
        "fit",
        msg(
            "mentoring_unmatched_low_fit",
            mentor=mentor.name,
            fit=f"{fit_percent(b.points, sec):.0f}",
            min=f"{fit_percent(min_points(sec), sec):.0f}",
        ),
        msg("mentoring_left_low_fit"),
    )
