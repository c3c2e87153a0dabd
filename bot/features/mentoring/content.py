"""The `mentoring` section of a content pack: kinds of mentoring, training
stages with their years (for the stage gap), the weighted criteria the matcher
scores with, suggested first questions and follow-up timings."""

from __future__ import annotations

from pydantic import Field, model_validator

from bot.content import KEBAB, Range, Strict, section


class Kind(Strict):
    id: str = Field(pattern=KEBAB, max_length=40)
    label: str = Field(min_length=1, max_length=45)
    description: str = Field(min_length=1, max_length=200)


class MentoringStage(Strict):
    """A training stage; `year` counts years of training from the first year of
    medical school, so the gap between a mentor and a mentee is a subtraction."""

    id: str = Field(pattern=KEBAB, max_length=40)
    label: str = Field(min_length=1, max_length=45)
    year: float = Field(ge=0, le=40)


class Weights(Strict):
    """How much each criterion counts; each criterion scores 0 to 1 for a pair."""

    focus: float = Field(ge=0, le=100)
    kind: float = Field(ge=0, le=100)
    stage: float = Field(ge=0, le=100)
    img: float = Field(ge=0, le=100)
    timezone: float = Field(ge=0, le=100)
    language: float = Field(ge=0, le=100)


class Scoring(Strict):
    weights: Weights
    min_score: float = Field(ge=0, le=100)
    near_peer_years: Range
    mentor_ahead_years: float = Field(ge=0, le=20)
    timezone_full_hours: float = Field(ge=0, le=12)
    timezone_zero_hours: float = Field(ge=0, le=12)
    img_experience_credit: float = Field(ge=0, le=1)
    # For a mentee who needs visa help (marked it important, or a non-US IMG asking
    # for process mentoring), this share of the IMG criterion is the mentor's visa
    # experience; `visa_other_credit` is what experience with another visa earns.
    visa_share: float = Field(default=0.5, ge=0, le=1)
    visa_other_credit: float = Field(default=0.5, ge=0, le=1)

    @model_validator(mode="after")
    def _hours(self) -> Scoring:
        if self.timezone_full_hours >= self.timezone_zero_hours:
            raise ValueError("timezone_full_hours must be less than timezone_zero_hours")
        return self


class Question(Strict):
    text: str = Field(min_length=1, max_length=200)
    kinds: list[str] = Field(default_factory=list)  # empty: good for any pair


class FollowUp(Strict):
    answer_nudge_days: int = Field(ge=1, le=30)  # one reminder to accept or decline
    meet_check_days: int = Field(ge=1, le=90)  # "did you meet?", from both accepting
    not_yet_recheck_days: int = Field(ge=1, le=60)


@section("mentoring")
class MentoringSection(Strict):
    kinds: list[Kind] = Field(min_length=1, max_length=10)
    stages: list[MentoringStage] = Field(min_length=1, max_length=25)
    capacity: Range
    max_focus: int = Field(ge=1, le=25)
    max_languages: int = Field(ge=1, le=10)
    common_language: str = Field(min_length=1, max_length=30)
    scoring: Scoring
    first_questions: list[Question] = Field(min_length=1, max_length=30)
    questions_per_pair: int = Field(ge=1, le=10)
    follow_up: FollowUp

    @model_validator(mode="after")
    def _refs(self) -> MentoringSection:
        for name in ("kinds", "stages"):
            ids = [item.id for item in getattr(self, name)]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"{name}: duplicate ids {dupes}")
        known = {k.id for k in self.kinds}
        for i, q in enumerate(self.first_questions):
            unknown = sorted(set(q.kinds) - known)
            if unknown:
                raise ValueError(f"first_questions.{i}: unknown kinds {unknown}")
        if "near-peer" not in known:
            raise ValueError("kinds: the matcher needs a 'near-peer' kind")
        if self.capacity.min < 1:
            raise ValueError("capacity.min must be at least 1")
        return self

    def kind(self, kind_id: str) -> Kind | None:
        return next((k for k in self.kinds if k.id == kind_id), None)

    def stage(self, stage_id: str | None) -> MentoringStage | None:
        return next((s for s in self.stages if s.id == stage_id), None)
