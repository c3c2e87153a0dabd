"""The `conference` section of a pack: the preparation steps and when they go
out, the daily 3-2-1 and its times, and the words members use. The plan's lead
time is the pack's `cadences.conference_prep_weeks` (pack.yaml), read here."""

from __future__ import annotations

from datetime import time

from pydantic import Field, field_validator, model_validator

from bot.content import KEBAB, Pack, Strict, section

_HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


def _clock(hhmm: str) -> time:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return time(hour, minute)


class PrepStep(Strict):
    id: str = Field(pattern=KEBAB, max_length=30)
    days_before: int | None = Field(default=None, ge=0, le=182)  # None: when the plan starts
    title: str = Field(min_length=1, max_length=80)
    text: str = Field(min_length=1, max_length=1000)


class Daily(Strict):
    """The daily 3-2-1: how many of each to aim for."""

    faculty: int = Field(ge=0, le=20)
    peers: int = Field(ge=0, le=20)
    deep: int = Field(ge=0, le=10)
    deep_minutes: int = Field(ge=1, le=120)


class Kinds(Strict):
    faculty: list[str] = Field(min_length=1)
    peer: list[str] = Field(min_length=1)

    @field_validator("faculty", "peer")
    @classmethod
    def _lower(cls, v: list[str]) -> list[str]:
        if any(w != w.lower().strip() or not w for w in v):
            raise ValueError("words must be lowercase and non-empty")
        return v


@section("conference")
class ConferenceSection(Strict):
    prep_hour: int = Field(ge=0, le=23)
    steps: list[PrepStep] = Field(min_length=1, max_length=10)
    daily: Daily
    morning_prompt: str = Field(pattern=_HHMM)
    evening_summary: str = Field(pattern=_HHMM)
    after_summary_days: int = Field(ge=0, le=14)
    after_summary_time: str = Field(pattern=_HHMM)
    kinds: Kinds
    deep_words: list[str] = Field(min_length=1)
    suggest_weeks_after: int = Field(ge=0, le=12)
    max_days: int = Field(ge=1, le=31)
    max_targets: int = Field(ge=1, le=200)

    @model_validator(mode="after")
    def _check(self) -> ConferenceSection:
        ids = [s.id for s in self.steps]
        if len(set(ids)) != len(ids):
            raise ValueError(f"steps: duplicate ids {ids}")
        if _clock(self.evening_summary) <= _clock(self.morning_prompt):
            raise ValueError("evening_summary must come after morning_prompt")
        return self

    @property
    def morning(self) -> time:
        return _clock(self.morning_prompt)

    @property
    def evening(self) -> time:
        return _clock(self.evening_summary)

    @property
    def after_time(self) -> time:
        return _clock(self.after_summary_time)

    def kind_of(self, word: str) -> str | None:
        """'fellow' -> 'faculty', 'resident' -> 'peer', anything else -> None."""
        w = word.strip().lower()
        if w in self.kinds.faculty:
            return "faculty"
        if w in self.kinds.peer:
            return "peer"
        return None

    def is_deep(self, word: str) -> bool:
        return word.strip().lower() in self.deep_words


def conference_rules(pack: Pack) -> ConferenceSection:
    return pack.section("conference", ConferenceSection)


def prep_weeks(pack: Pack) -> int:
    """The plan's lead time: the pack's cadences are the one source of truth."""
    return pack.cadences.conference_prep_weeks
