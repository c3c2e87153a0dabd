"""Compatibility of a mentor and a mentee, from the weighted criteria in the
pack's `mentoring` section. Each criterion scores 0 to 1; a pair's score is the
weighted sum, kept as whole hundredths ("points") so sums are exact.

`score_pair` scores one pair and says why (for explanations); `score_matrix`
scores every mentor against every mentee at once with numpy, with the same
arithmetic in the same order, so both give identical points."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

from bot.background import NON_US_IMG, VISAS
from bot.content import Pack
from bot.features.mentoring.content import MentoringSection

IMG = "img"
EXPERIENCED = "experienced"
NO_IMG = "none"
NEAR_PEER = "near-peer"
IMG_PROCESS = "img-process"


@dataclass(frozen=True)
class Person:
    """One side of a sign-up as the matcher sees it."""

    member_id: str
    name: str
    pack: str
    kinds: frozenset[str] = frozenset()
    focus: frozenset[str] = frozenset()
    stage: str | None = None
    img: str = NO_IMG
    timezone: str = "UTC"
    languages: frozenset[str] = frozenset()
    capacity: int = 1
    goal: str = ""
    background: str | None = None  # us-grad | us-img | non-us-img
    visa: str | None = None  # a mentee's path: j1 | h1b | undecided
    visa_important: bool = False  # a mentee marked the visa as important
    visa_help: frozenset[str] = frozenset()  # a mentor has guided these visa questions
    sponsors: frozenset[str] = frozenset()  # a mentor's program sponsors these visas

    @property
    def needs_visa(self) -> bool:
        """A mentee for whom visa experience counts: they marked it important, or
        they are a non-US IMG asking for process mentoring."""
        return self.visa_important or (IMG_PROCESS in self.kinds and self.background == NON_US_IMG)


@dataclass(frozen=True)
class Breakdown:
    """Why a pair scores what it does."""

    points: int
    shared_focus: tuple[str, ...] = ()
    shared_kinds: tuple[str, ...] = ()
    gap: float | None = None
    near_peer_fit: bool = False
    img: str = ""  # "both" | "experienced" | ""
    hours: float = 0.0
    shared_languages: tuple[str, ...] = field(default=())
    visa: str = ""  # "help" | "sponsor" | "other" | "": the mentor's visa credit
    visa_paths: tuple[str, ...] = ()  # the visas that credit is about


@lru_cache(maxsize=1024)
def _offset(tz: str, hour_key: int) -> float:
    now = datetime.fromtimestamp(hour_key * 3600, tz=ZoneInfo("UTC"))
    off = now.astimezone(ZoneInfo(tz)).utcoffset()
    return off.total_seconds() / 3600 if off else 0.0


def offset_hours(tz: str, now: datetime) -> float:
    """The zone's UTC offset in hours at `now` (cached per hour)."""
    return _offset(tz, int(now.timestamp() // 3600))


def hours_apart(a: float, b: float) -> float:
    d = abs(a - b) % 24
    return min(d, 24 - d)


def _years(sec: MentoringSection) -> dict[str, float]:
    return {s.id: s.year for s in sec.stages}


def score_pair(mentor: Person, mentee: Person, sec: MentoringSection, now: datetime) -> Breakdown:
    sc, w = sec.scoring, sec.scoring.weights
    shared_focus = tuple(sorted(mentor.focus & mentee.focus))
    c_focus = len(shared_focus) / len(mentee.focus) if mentee.focus else 0.0
    years = _years(sec)
    gap: float | None = None
    c_stage, near_fit = 0.0, False
    if mentor.stage in years and mentee.stage in years:
        gap = years[mentor.stage] - years[mentee.stage]
        if NEAR_PEER in mentee.kinds:
            near_fit = sc.near_peer_years.min <= gap <= sc.near_peer_years.max
            c_stage = 1.0 if near_fit else (0.5 if gap > sc.near_peer_years.max else 0.0)
        else:
            c_stage = 1.0 if gap >= sc.mentor_ahead_years else 0.0
    # Near-peer is a distance on the stage ladder, not a label: a mentor offering it
    # is a near-peer only of mentees the pack's near_peer_years away.
    kinds = mentor.kinds if near_fit else mentor.kinds - {NEAR_PEER}
    shared_kinds = tuple(sorted(kinds & mentee.kinds))
    c_kind = len(shared_kinds) / len(mentee.kinds) if mentee.kinds else 0.0
    img = ""
    c_img = 0.0
    if mentee.img == IMG:
        if mentor.img == IMG:
            img, c_img = "both", 1.0
        elif mentor.img == EXPERIENCED:
            img, c_img = EXPERIENCED, sc.img_experience_credit
    visa: str = ""
    paths: tuple[str, ...] = ()
    if mentee.needs_visa:
        visa, paths, c_visa = visa_credit(mentor, mentee, sc.visa_other_credit)
        c_img = (1 - sc.visa_share) * c_img + sc.visa_share * c_visa
    hours = hours_apart(offset_hours(mentor.timezone, now), offset_hours(mentee.timezone, now))
    if hours <= sc.timezone_full_hours:
        c_tz = 1.0
    elif hours >= sc.timezone_zero_hours:
        c_tz = 0.0
    else:
        c_tz = (sc.timezone_zero_hours - hours) / (sc.timezone_zero_hours - sc.timezone_full_hours)
    shared_lang = tuple(sorted(mentor.languages & mentee.languages))
    c_lang = 1.0 if shared_lang else 0.0
    total = (
        w.focus * c_focus
        + w.kind * c_kind
        + w.stage * c_stage
        + w.img * c_img
        + w.timezone * c_tz
        + w.language * c_lang
    )
    return Breakdown(
        round(total * 100),
        shared_focus,
        shared_kinds,
        gap,
        near_fit,
        img,
        hours,
        shared_lang,
        visa,
        paths,
    )


def visa_credit(mentor: Person, mentee: Person, other: float) -> tuple[str, tuple[str, ...], float]:
    """What the mentor brings to the mentee's visa path: guided it (1), their
    program sponsors it (1), other visa experience (`other`); a mentee without a
    path takes any visa experience as full credit."""
    path = mentee.visa if mentee.visa in VISAS else None
    if path is None:
        if mentor.visa_help:
            return "help", tuple(sorted(mentor.visa_help)), 1.0
        if mentor.sponsors:
            return "sponsor", tuple(sorted(mentor.sponsors)), 1.0
        return "", (), 0.0
    if path in mentor.visa_help:
        return "help", (path,), 1.0
    if path in mentor.sponsors:
        return "sponsor", (path,), 1.0
    if mentor.visa_help or mentor.sponsors:
        return "other", tuple(sorted(mentor.visa_help | mentor.sponsors)), other
    return "", (), 0.0


def min_points(sec: MentoringSection) -> int:
    return round(sec.scoring.min_score * 100)


def _indicator(sets: Sequence[frozenset[str]], vocab: dict[str, int]) -> np.ndarray:
    out = np.zeros((len(sets), max(len(vocab), 1)), dtype=np.float64)
    for i, items in enumerate(sets):
        for item in items:
            out[i, vocab[item]] = 1.0
    return out


def _vocab(*groups: Sequence[frozenset[str]]) -> dict[str, int]:
    names = sorted({x for group in groups for items in group for x in items})
    return {name: i for i, name in enumerate(names)}


def score_matrix(
    mentors: Sequence[Person], mentees: Sequence[Person], sec: MentoringSection, now: datetime
) -> np.ndarray:
    """Points of every (mentor, mentee) pair: an int32 array of len(mentors) rows."""
    sc, w = sec.scoring, sec.scoring.weights
    m, n = len(mentors), len(mentees)

    def shared(attr: Callable[[Person], frozenset[str]]) -> np.ndarray:
        vocab = _vocab([attr(p) for p in mentors], [attr(p) for p in mentees])
        a = _indicator([attr(p) for p in mentors], vocab)
        b = _indicator([attr(p) for p in mentees], vocab)
        return np.asarray(a @ b.T)  # exact small integers

    def share(counts: np.ndarray, attr: Callable[[Person], frozenset[str]]) -> np.ndarray:
        sizes = np.array([len(attr(p)) for p in mentees], dtype=np.float64)
        safe = np.where(sizes > 0, sizes, 1.0)
        return np.where(sizes > 0, counts / safe, 0.0)

    c_focus = share(shared(lambda p: p.focus), lambda p: p.focus)
    total = w.focus * c_focus
    del c_focus
    years = _years(sec)
    my = np.array([years.get(p.stage or "", np.nan) for p in mentors], dtype=np.float64)
    ey = np.array([years.get(p.stage or "", np.nan) for p in mentees], dtype=np.float64)
    near = np.array([NEAR_PEER in p.kinds for p in mentees])
    gap = my[:, None] - ey[None, :]
    lo, hi = float(sc.near_peer_years.min), float(sc.near_peer_years.max)
    with np.errstate(invalid="ignore"):
        in_range = (gap >= lo) & (gap <= hi)
        near_score = np.where(in_range, 1.0, np.where(gap > hi, 0.5, 0.0))
        other_score = np.where(gap >= sc.mentor_ahead_years, 1.0, 0.0)
    c_stage = np.where(near[None, :], near_score, other_score)
    c_stage[np.isnan(gap)] = 0.0
    del gap, near_score, other_score

    # a near-peer offer counts only where the stage ladder puts the pair near_peer_years apart
    offers_near = np.array([NEAR_PEER in p.kinds for p in mentors])
    unfit_near = offers_near[:, None] & near[None, :] & ~in_range
    del in_range
    c_kind = share(shared(lambda p: p.kinds) - unfit_near, lambda p: p.kinds)
    del unfit_near
    total += w.kind * c_kind
    del c_kind
    total += w.stage * c_stage
    del c_stage

    mentee_img = np.array([p.img == IMG for p in mentees])
    mentor_credit = np.array(
        [
            1.0 if p.img == IMG else (sc.img_experience_credit if p.img == EXPERIENCED else 0.0)
            for p in mentors
        ]
    )
    c_img = np.where(mentee_img[None, :], mentor_credit[:, None], 0.0)
    c_img = _with_visa(c_img, mentors, mentees, sc.visa_share, sc.visa_other_credit)
    total += w.img * c_img
    del c_img

    mo = np.array([offset_hours(p.timezone, now) for p in mentors], dtype=np.float64)
    eo = np.array([offset_hours(p.timezone, now) for p in mentees], dtype=np.float64)
    d = np.abs(mo[:, None] - eo[None, :]) % 24
    hours = np.minimum(d, 24 - d)
    del d
    full, zero = sc.timezone_full_hours, sc.timezone_zero_hours
    c_tz = np.where(
        hours <= full, 1.0, np.where(hours >= zero, 0.0, (zero - hours) / (zero - full))
    )
    del hours
    total += w.timezone * c_tz
    del c_tz

    c_lang = np.where(shared(lambda p: p.languages) > 0, 1.0, 0.0)
    total += w.language * c_lang
    del c_lang

    total *= 100
    points = np.rint(total).astype(np.int32)
    assert points.shape == (m, n)
    return points


def _with_visa(
    c_img: np.ndarray,
    mentors: Sequence[Person],
    mentees: Sequence[Person],
    share: float,
    other: float,
) -> np.ndarray:
    """`c_img` with the visa share blended in for mentees who need visa help,
    column by column as `visa_credit` does it for one pair."""
    needs = np.array([p.needs_visa for p in mentees])
    if not needs.any():
        return c_img
    any_visa = np.array([bool(p.visa_help or p.sponsors) for p in mentors])
    credit: dict[str | None, np.ndarray] = {None: np.where(any_visa, 1.0, 0.0)}
    for visa in VISAS:
        full = np.array([visa in p.visa_help or visa in p.sponsors for p in mentors])
        credit[visa] = np.where(full, 1.0, np.where(any_visa, other, 0.0))
    wanted = [p.visa if p.visa in VISAS else None for p in mentees]
    c_visa = np.zeros_like(c_img)
    for path, col in credit.items():
        cols = np.array([q == path for q in wanted]) & needs
        c_visa[:, cols] = col[:, None]
    blended = (1 - share) * c_img + share * c_visa
    return np.where(needs[None, :], blended, c_img)


def explain(
    b: Breakdown,
    pack: Pack,
    sec: MentoringSection,
    msg: Callable[..., str],
) -> str:
    """A plain sentence of what the pair shares: "both IMGs; interventional oncology; 1 h apart"."""
    parts: list[str] = []
    if b.visa:
        visas = "/".join(msg(f"mentoring_visa_{v}") for v in b.visa_paths)
        parts.append(msg(f"mentoring_why_visa_{b.visa}", visas=visas))
    if b.img == "both":
        parts.append(msg("mentoring_why_both_img"))
    elif b.img == EXPERIENCED:
        parts.append(msg("mentoring_why_img_experience"))
    labels = [f.label for f in (pack.focus(i) for i in b.shared_focus) if f]
    if labels:
        parts.append(", ".join(labels).lower())
    kinds = [k.label for k in (sec.kind(i) for i in b.shared_kinds) if k and k.id != NEAR_PEER]
    if kinds:
        parts.append(msg("mentoring_why_kinds", kinds=", ".join(kinds).lower()))
    one = "_one" if b.gap == 1 else ""
    if b.near_peer_fit and b.gap is not None:
        parts.append(msg("mentoring_why_near_peer" + one, years=_num(b.gap)))
    elif b.gap is not None and b.gap >= sec.scoring.mentor_ahead_years:
        parts.append(msg("mentoring_why_ahead" + one, years=_num(b.gap)))
    if b.hours < 0.5:
        parts.append(msg("mentoring_why_same_zone"))
    else:
        parts.append(msg("mentoring_why_hours", hours=_num(b.hours)))
    notable = [lang for lang in b.shared_languages if lang != sec.common_language]
    if notable:
        parts.append(msg("mentoring_why_language", languages=", ".join(notable).title()))
    return "; ".join(parts)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"
