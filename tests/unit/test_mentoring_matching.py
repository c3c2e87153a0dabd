"""The matching solver on small hand-made pools with known best answers, and
against independent methods (a MILP, a dense assignment) on random pools."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import LinearConstraint, linear_sum_assignment, milp

from bench.matching import pool
from bot.content import Content
from bot.features.mentoring.content import MentoringSection
from bot.features.mentoring.matching import ALL_EXCLUDED, FULL, LOW_FIT, NO_MENTORS, match
from bot.features.mentoring.scoring import (
    IMG,
    Person,
    explain,
    min_points,
    score_matrix,
    score_pair,
)

NOW = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
IO, VENOUS = "interventional-oncology", "venous-disease"


@pytest.fixture
def sec(content: Content) -> MentoringSection:
    return content.packs["ir"].section("mentoring", MentoringSection)


def mentor(name: str, cap: int = 1, **kw: object) -> Person:
    base: dict[str, object] = dict(
        pack="ir",
        kinds=frozenset({"research"}),
        focus=frozenset({IO}),
        stage="attending",
        timezone="America/New_York",
        languages=frozenset({"english"}),
    )
    base.update(kw)
    return Person(member_id=name, name=name.title(), capacity=cap, **base)  # type: ignore[arg-type]


def mentee(name: str, **kw: object) -> Person:
    base: dict[str, object] = dict(
        pack="ir",
        kinds=frozenset({"research"}),
        focus=frozenset({IO}),
        stage="ms3",
        timezone="America/New_York",
        languages=frozenset({"english"}),
    )
    base.update(kw)
    return Person(member_id=name, name=name.title(), **base)  # type: ignore[arg-type]


def pairs(result: object) -> set[tuple[str, str]]:
    return {(p.mentee_id, p.mentor_id) for p in result.pairs}  # type: ignore[attr-defined]


def test_hand_scores(sec: MentoringSection) -> None:
    """The weights in the ir pack: focus 3, kind 4, stage 2, img 3, zone 2, language 1."""
    ana, ben = (
        mentor("ana"),
        mentor("ben", focus=frozenset({VENOUS}), timezone="America/Los_Angeles"),
    )
    m1, m2 = mentee("m1"), mentee("m2", focus=frozenset({IO, VENOUS}))
    assert score_pair(ana, m1, sec, NOW).points == 1200
    assert score_pair(ana, m2, sec, NOW).points == 1050
    # 3 h apart: (9 - 3) / (9 - 2) of the zone weight
    assert score_pair(ben, m2, sec, NOW).points == 1021
    assert score_pair(ben, m1, sec, NOW).points == 871


def test_capacity_binds(sec: MentoringSection) -> None:
    ben = mentor("ben", focus=frozenset({VENOUS}), timezone="America/Los_Angeles")
    m1, m2 = mentee("m1"), mentee("m2", focus=frozenset({IO, VENOUS}))
    # Ana fits both best; with one slot she takes m1 (2221 in all beats 1921).
    one = match([mentor("ana", 1), ben], [m1, m2], sec, NOW)
    assert pairs(one) == {("m1", "ana"), ("m2", "ben")}
    assert one.total_points == 1200 + 1021
    # With two slots she takes both.
    two = match([mentor("ana", 2), ben], [m1, m2], sec, NOW)
    assert pairs(two) == {("m1", "ana"), ("m2", "ana")}
    # A third mentee when every slot is taken is reported, with why.
    three = match([mentor("ana", 1), ben], [m1, m2, mentee("m3")], sec, NOW)
    assert len(three.pairs) == 2
    (left,) = three.unmatched
    assert left.reason == FULL and left.candidates == 2


def test_previous_pair_is_not_repeated(sec: MentoringSection) -> None:
    ben = mentor("ben", focus=frozenset({VENOUS}), timezone="America/Los_Angeles")
    m1, m2 = mentee("m1"), mentee("m2", focus=frozenset({IO, VENOUS}))
    result = match([mentor("ana"), ben], [m1, m2], sec, NOW, forbidden={("ana", "m1")})
    assert pairs(result) == {("m1", "ben"), ("m2", "ana")}
    assert result.total_points == 871 + 1050


def test_mentee_without_a_compatible_mentor_is_reported(sec: MentoringSection) -> None:
    ana = mentor("ana", 3)
    uro = mentee("uro", pack="urology")
    shut = mentee("shut")
    far = mentee(
        "far",
        kinds=frozenset({"sponsor"}),
        focus=frozenset({VENOUS}),
        stage=None,
        timezone="Asia/Tokyo",
        languages=frozenset({"tagalog"}),
    )
    assert score_pair(ana, far, sec, NOW).points < min_points(sec)
    ok = mentee("ok")
    result = match([ana], [uro, shut, far, ok], sec, NOW, forbidden={("ana", "shut")})
    assert pairs(result) == {("ok", "ana")}
    reasons = {u.mentee_id: u.reason for u in result.unmatched}
    assert reasons == {"uro": NO_MENTORS, "shut": ALL_EXCLUDED, "far": LOW_FIT}


def test_a_member_is_never_their_own_mentor(sec: MentoringSection) -> None:
    result = match([mentor("sam")], [mentee("sam")], sec, NOW)
    assert not result.pairs and result.unmatched[0].reason == ALL_EXCLUDED


def test_more_mentees_matched_before_a_higher_total(sec: MentoringSection) -> None:
    """x-A alone scores 1200; y-A with x-B only 800, but matches both: that wins."""
    a = mentor("a")
    b = mentor("b", kinds=frozenset({"career"}), focus=frozenset(), timezone="Asia/Tokyo")
    x = mentee("x")
    y = mentee("y", kinds=frozenset({"sponsor"}), focus=frozenset({VENOUS}))
    assert score_pair(a, x, sec, NOW).points == 1200
    assert score_pair(a, y, sec, NOW).points + score_pair(b, x, sec, NOW).points == 800
    result = match([a, b], [x, y], sec, NOW, forbidden={("b", "y")})
    assert pairs(result) == {("x", "b"), ("y", "a")}


def test_same_input_and_seed_same_result_and_seed_breaks_ties(sec: MentoringSection) -> None:
    mentors = [mentor(f"t{i}") for i in range(4)]  # identical: every answer ties
    mentees = [mentee(f"e{i}") for i in range(4)]
    runs = {s: pairs(match(mentors, mentees, sec, NOW, seed=s)) for s in range(6)}
    again = {s: pairs(match(list(reversed(mentors)), mentees, sec, NOW, seed=s)) for s in range(6)}
    assert runs == again
    assert len({frozenset(v) for v in runs.values()}) > 1


def test_explanation_is_plain(sec: MentoringSection, content: Content) -> None:
    ana = mentor("ana", img=IMG, timezone="America/Chicago")
    amir = mentee("amir", img=IMG)
    why = explain(score_pair(ana, amir, sec, NOW), content.packs["ir"], sec, content.msg)
    assert (
        why == "both IMGs; interventional oncology; research mentoring; 10 years ahead; 1 h apart"
    )
    tutor = mentor(
        "tutor",
        stage="pgy3",
        kinds=frozenset({"near-peer"}),
        languages=frozenset({"english", "urdu"}),
    )
    student = mentee("student", kinds=frozenset({"near-peer"}), languages=frozenset({"urdu"}))
    why = explain(score_pair(tutor, student, sec, NOW), content.packs["ir"], sec, content.msg)
    assert "near-peer 4 years ahead" in why and "both speak Urdu" in why


def test_matrix_and_pair_scores_agree(sec: MentoringSection) -> None:
    mentors, mentees = _random_pool(sec, 40, 120, seed=3)
    matrix = score_matrix(mentors, mentees, sec, NOW)
    for i, m in enumerate(mentors):
        for j, e in enumerate(mentees):
            assert matrix[i, j] == score_pair(m, e, sec, NOW).points


def _random_pool(
    sec: MentoringSection, n_mentors: int, n_mentees: int, seed: int
) -> tuple[list[Person], list[Person]]:
    focus = [IO, VENOUS, "area-a", "area-b", "area-c"]
    return pool(n_mentees, n_mentors, 1, seed, sec, focus)


def _independent(
    mentors: list[Person],
    mentees: list[Person],
    sec: MentoringSection,
    forbidden: set[tuple[str, str]],
) -> tuple[int, int]:
    """(pairs, points) of the best assignment by a MILP over pair variables,
    scored one pair at a time: an independent check of the solver."""
    edges = []
    for i, m in enumerate(mentors):
        for j, e in enumerate(mentees):
            pts = score_pair(m, e, sec, NOW).points
            banned = (m.member_id, e.member_id) in forbidden or m.member_id == e.member_id
            if not banned and pts >= min_points(sec):
                edges.append((i, j, pts))
    if not edges:
        return 0, 0
    pts = np.array([p for _, _, p in edges], dtype=float)
    big = pts.max() * len(mentees) + 1
    a_mentee = np.zeros((len(mentees), len(edges)))
    a_mentor = np.zeros((len(mentors), len(edges)))
    for k, (i, j, _) in enumerate(edges):
        a_mentee[j, k] = 1
        a_mentor[i, k] = 1
    caps = np.array([m.capacity for m in mentors], dtype=float)
    res = milp(
        c=-(pts + big),
        constraints=[LinearConstraint(a_mentee, 0, 1), LinearConstraint(a_mentor, 0, caps)],
        integrality=np.ones(len(edges)),
        bounds=(0, 1),
    )
    assert res.success
    chosen = [k for k in range(len(edges)) if res.x[k] > 0.5]
    return len(chosen), int(sum(edges[k][2] for k in chosen))


def test_optimal_against_a_milp_and_a_dense_assignment_300_by_60(sec: MentoringSection) -> None:
    mentors, mentees = _random_pool(sec, 60, 300, seed=11)
    rnd = random.Random(5)
    forbidden = {(rnd.choice(mentors).member_id, rnd.choice(mentees).member_id) for _ in range(200)}
    result = match(mentors, mentees, sec, NOW, forbidden=forbidden, seed=2)
    assert (len(result.pairs), result.total_points) == _independent(
        mentors, mentees, sec, forbidden
    )
    # capacities respected, nobody twice
    per_mentor: dict[str, int] = {}
    for p in result.pairs:
        per_mentor[p.mentor_id] = per_mentor.get(p.mentor_id, 0) + 1
    caps = {m.member_id: m.capacity for m in mentors}
    assert all(n <= caps[m] for m, n in per_mentor.items())
    assert len({p.mentee_id for p in result.pairs}) == len(result.pairs)
    # the dense method: every mentor slot a column, scored pair by pair
    slots = [m for m in mentors for _ in range(m.capacity)]
    dense = np.zeros((len(mentees), len(slots)))
    for j, e in enumerate(mentees):
        for k, m in enumerate(slots):
            pts = score_pair(m, e, sec, NOW).points
            if (m.member_id, e.member_id) not in forbidden and pts >= min_points(sec):
                dense[j, k] = pts + 10**7
    r, c = linear_sum_assignment(dense, maximize=True)
    kept = dense[r, c][dense[r, c] > 0]
    assert len(kept) == len(result.pairs)
    assert int(kept.sum() - 10**7 * len(kept)) == result.total_points


@settings(max_examples=40, deadline=None)
@given(
    n_mentors=st.integers(1, 6),
    n_mentees=st.integers(1, 12),
    seed=st.integers(0, 10_000),
    banned=st.sets(st.tuples(st.integers(0, 5), st.integers(0, 11)), max_size=10),
)
def test_optimal_on_random_small_pools(
    content: Content, n_mentors: int, n_mentees: int, seed: int, banned: set[tuple[int, int]]
) -> None:
    sec = content.packs["ir"].section("mentoring", MentoringSection)
    mentors, mentees = _random_pool(sec, n_mentors, n_mentees, seed)
    forbidden = {
        (mentors[i].member_id, mentees[j].member_id)
        for i, j in banned
        if i < n_mentors and j < n_mentees
    }
    result = match(mentors, mentees, sec, NOW, forbidden=forbidden, seed=seed)
    assert (len(result.pairs), result.total_points) == _independent(
        mentors, mentees, sec, forbidden
    )
