"""Visa-aware matching: a mentee who marks the visa as important (or a non-US
IMG asking for process mentoring) is scored on mentors' visa experience, the
solver gives the only visa-experienced mentor to them, and the explanation
says why; the vectorised scores equal the pair-by-pair ones."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bot.content import Content
from bot.features.mentoring.content import MentoringSection
from bot.features.mentoring.matching import LOW_FIT, Unmatched, match
from bot.features.mentoring.reasons import explain_unmatched
from bot.features.mentoring.scoring import IMG, Person, explain, score_matrix, score_pair
from tests.unit.test_mentoring_matching import NOW, mentee, mentor


@pytest.fixture
def sec(content: Content) -> MentoringSection:
    return content.packs["ir"].section("mentoring", MentoringSection)


# Vic is the only mentor who has guided J-1 applicants; without the visa Vic fits
# Bo better (Vic also offers career mentoring, which Bo seeks).
VIC = mentor("vic", kinds=frozenset({"research", "career"}), visa_help=frozenset({"j1"}))
NED = mentor("ned")
ADA = mentee(
    "ada",
    stage="graduate",
    img=IMG,
    background="non-us-img",
    visa="j1",
    visa_important=True,
)
BO = mentee("bo", stage="graduate", kinds=frozenset({"research", "career", "sponsor"}))


def _pairs(mentees: list[Person], sec: MentoringSection) -> set[tuple[str, str]]:
    result = match([VIC, NED], mentees, sec, NOW, seed=7)
    return {(p.mentee_id, p.mentor_id) for p in result.pairs}


def test_the_only_visa_mentor_goes_to_the_mentee_who_marked_the_visa_important(
    sec: MentoringSection, content: Content
) -> None:
    assert _pairs([ADA, BO], sec) == {("ada", "vic"), ("bo", "ned")}
    # Unmarked, the same mentee loses Vic to Bo: the visa is what decided it.
    plain = replace(ADA, visa_important=False)
    assert _pairs([plain, BO], sec) == {("ada", "ned"), ("bo", "vic")}
    why = explain(score_pair(VIC, ADA, sec, NOW), content.packs["ir"], sec, content.msg)
    assert why.startswith("mentor has guided J-1 visa questions")
    assert "visa" not in explain(
        score_pair(NED, ADA, sec, NOW), content.packs["ir"], sec, content.msg
    )


def test_process_mentoring_for_a_non_us_img_counts_the_visa_too(sec: MentoringSection) -> None:
    asking = replace(ADA, visa_important=False, kinds=frozenset({"research", "img-process"}))
    assert asking.needs_visa
    assert not replace(asking, background="us-img").needs_visa  # US citizens need no visa
    sponsor = replace(NED, member_id="sam", sponsors=frozenset({"j1"}))
    other = replace(NED, member_id="hal", visa_help=frozenset({"h1b"}))
    points = {
        m.member_id: score_pair(m, asking, sec, NOW).points for m in (VIC, sponsor, other, NED)
    }
    assert points["sam"] == points["ned"] + 150  # a sponsoring program: the full visa share
    assert points["hal"] == points["ned"] + 75  # the other visa: half of it
    assert points["vic"] == points["sam"]  # guided J-1: the same credit as sponsoring it


def test_the_matrix_scores_visa_pairs_as_the_pair_scorer_does(sec: MentoringSection) -> None:
    rng = np.random.default_rng(3)
    visas = [frozenset(), frozenset({"j1"}), frozenset({"h1b"}), frozenset({"j1", "h1b"})]
    mentors = [
        mentor(
            f"m{i}",
            img=["none", "experienced", IMG][i % 3],
            visa_help=visas[int(rng.integers(4))],
            sponsors=visas[int(rng.integers(4))],
        )
        for i in range(12)
    ]
    mentees = [
        mentee(
            f"e{j}",
            stage="ms3",
            img=IMG if j % 2 else "none",
            background="non-us-img",
            visa=[None, "j1", "h1b", "undecided"][j % 4],
            visa_important=j % 3 == 0,
            kinds=frozenset({"research", "img-process"} if j % 5 else {"career"}),
        )
        for j in range(15)
    ]
    matrix = score_matrix(mentors, mentees, sec, NOW)
    pairwise = np.array([[score_pair(m, e, sec, NOW).points for e in mentees] for m in mentors])
    assert (matrix == pairwise).all()


def test_an_unmatched_mentee_is_told_no_mentor_knows_visas(
    sec: MentoringSection, content: Content
) -> None:
    alone = replace(ADA, kinds=frozenset({"img-process"}))
    mentor = replace(NED, kinds=frozenset({"career"}))
    whys = explain_unmatched(
        [Unmatched("ada", LOW_FIT)],
        {"ada": alone},
        [mentor],
        set(),
        content.packs["ir"],
        sec,
        NOW,
        content.msg,
    )
    assert whys["ada"].constraint == "visa"
    assert (
        "no mentor in the Interventional radiology pack has guided a J-1" in whys["ada"].organiser
    )
