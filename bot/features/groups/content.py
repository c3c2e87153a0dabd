"""The `checkin` section of a content pack: questions, statuses, the weekly
timing defaults, the streak grace rule, group forming weights and example
commitments. Validated at start-up, so handlers can trust it."""

from __future__ import annotations

import re
from datetime import date

from pydantic import Field, field_validator, model_validator

from bot.content import KEBAB, Strict, section

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class Questions(Strict):
    """Form title (Slack: 24 chars) and labels (Discord: 45 chars)."""

    form_title: str = Field(min_length=1, max_length=24)
    status_choice: str = Field(min_length=1, max_length=30)  # prefix, e.g. "Last week #{n}"
    status_lines: str = Field(min_length=1, max_length=45)
    status_placeholder: str = Field(min_length=1, max_length=100)
    win: str = Field(min_length=1, max_length=45)
    win_placeholder: str = Field(default="", max_length=100)
    blocker: str = Field(min_length=1, max_length=45)
    blocker_placeholder: str = Field(default="", max_length=100)
    next: str = Field(min_length=1, max_length=45)  # may name the week: {week}

    @field_validator("next")
    @classmethod
    def _week_only(cls, v: str) -> str:
        if len(v.format(week="30 Sep")) > 45:
            raise ValueError("must be at most 45 characters with the week filled in")
        return v

    def next_label(self, week: date) -> str:
        """The commitments question, naming the week the check-in is for."""
        return self.next.format(week=f"{week.day} {week:%b}")


class Status(Strict):
    id: str = Field(pattern=KEBAB, max_length=20)
    label: str = Field(min_length=1, max_length=25)
    aliases: list[str] = Field(default_factory=list)
    kept: bool = False  # counts as a commitment kept in digests and stats

    @field_validator("aliases")
    @classmethod
    def _lower(cls, v: list[str]) -> list[str]:
        if any(a != a.lower().strip() or not a for a in v):
            raise ValueError("aliases must be lowercase words")
        return v


class Timing(Strict):
    """Defaults for a new group, in the group's own zone."""

    prompt_day: str = Field(pattern="^(" + "|".join(DAYS) + ")$")
    prompt_time: str = Field(pattern=_HHMM)
    deadline_days_after_prompt: int = Field(ge=0, le=6)
    deadline_time: str = Field(pattern=_HHMM)
    nudge_hours_before_deadline: int = Field(ge=1, le=144)
    report_day: str = Field(pattern="^(" + "|".join(DAYS) + ")$")
    report_time: str = Field(pattern=_HHMM)

    @property
    def deadline_minutes(self) -> int:
        """Minutes from the prompt to the deadline (wall clock)."""
        ph, pm = (int(x) for x in self.prompt_time.split(":"))
        dh, dm = (int(x) for x in self.deadline_time.split(":"))
        return self.deadline_days_after_prompt * 1440 + (dh * 60 + dm) - (ph * 60 + pm)

    @model_validator(mode="after")
    def _order(self) -> Timing:
        span = self.deadline_minutes
        if not 0 < span < 7 * 1440:
            raise ValueError("the deadline must fall after the prompt and within the week")
        if self.nudge_hours_before_deadline * 60 >= span:
            raise ValueError(
                f"nudge_hours_before_deadline ({self.nudge_hours_before_deadline}) puts the "
                "nudge before the prompt"
            )
        return self


class Streaks(Strict):
    grace_skipped_weeks: int = Field(ge=0, le=8)  # weeks in a row skipped with notice that keep it
    max_skip_weeks: int = Field(ge=1, le=12)  # the most one /checkin skip may cover
    history_weeks: int = Field(ge=1, le=26)  # weeks /checkin history shows


class Forming(Strict):
    """How /group form partitions members: sizes and what it trades off."""

    min_size: int = Field(ge=3, le=10)
    max_size: int = Field(ge=3, le=12)
    zone_weight: float = Field(ge=0)  # cost of one hour of UTC-offset spread in a group
    stage_weight: float = Field(ge=0)  # cost of each member sharing a stage with another
    name_prefix: str = Field(pattern=KEBAB, max_length=20)

    @model_validator(mode="after")
    def _sizes(self) -> Forming:
        if self.max_size < 2 * self.min_size - 1:
            raise ValueError("max_size must be at least 2 * min_size - 1 so any count can be split")
        return self


class Limits(Strict):
    answer_max_length: int = Field(ge=20, le=1000)
    commitment_max_length: int = Field(ge=20, le=300)
    max_commitments: int = Field(ge=1, le=5)


@section("checkin")
class CheckinSection(Strict):
    questions: Questions
    statuses: list[Status] = Field(min_length=2, max_length=5)
    timing: Timing
    streaks: Streaks
    forming: Forming
    limits: Limits
    example_commitments: list[str] = Field(min_length=3, max_length=30)

    @field_validator("example_commitments")
    @classmethod
    def _short(cls, v: list[str]) -> list[str]:
        long = [c for c in v if len(c) > 100]
        if long:
            raise ValueError(f"examples must be at most 100 characters: {long[0][:40]}...")
        return v

    @model_validator(mode="after")
    def _statuses(self) -> CheckinSection:
        seen: dict[str, str] = {}
        for s in self.statuses:
            for word in (s.id, s.label.lower(), *s.aliases):
                if seen.get(word, s.id) != s.id:
                    raise ValueError(f"status word '{word}' names both {seen[word]} and {s.id}")
                seen[word] = s.id
        if not any(s.kept for s in self.statuses):
            raise ValueError("at least one status must have kept: true")
        return self

    def examples(self, week: date, n: int = 3) -> list[str]:
        """`n` example commitments for a week; week after week they walk through the
        whole list, so every example gets its turn."""
        items = self.example_commitments
        start = (week.toordinal() // 7 * n) % len(items)
        return [items[(start + i) % len(items)] for i in range(min(n, len(items)))]

    def status(self, word: str) -> Status | None:
        """The status a member's word names (id, label or alias; case-insensitive)."""
        w = re.sub(r"\s+", " ", word.strip().lower()).replace("_", "-")
        for s in self.statuses:
            if w in (s.id, s.label.lower(), *s.aliases):
                return s
        return None
