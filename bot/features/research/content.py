"""The `research` section of a pack: kinds of scholarly work, each on a stage
ladder, authorship roles, the field's journals (its meetings are the pack's
`meetings`), abstract deadlines, the field's benchmarks and the timings of
the stall nudge and deadline reminders. Checked when content loads."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from bot.content import KEBAB, Pack, Strict, section


class ResearchStage(Strict):
    id: str = Field(pattern=KEBAB, max_length=40)
    label: str = Field(min_length=1, max_length=45)
    # How the stage reads in an application list; none: not listed yet.
    listed: str | None = Field(default=None, min_length=1, max_length=40)
    done: bool = False  # counts towards the benchmarks (accepted, published, presented)
    good_news: bool = False  # offers the "update your mentors" draft


class Ladder(Strict):
    id: str = Field(pattern=KEBAB, max_length=40)
    stages: list[str] = Field(min_length=2, max_length=20)


class ResearchKind(Strict):
    id: str = Field(pattern=KEBAB, max_length=40)
    label: str = Field(min_length=1, max_length=45)
    ladder: str = Field(pattern=KEBAB, max_length=40)
    paper: bool = False  # a journal article once published (first-author papers count these)


class Role(Strict):
    id: str = Field(pattern=KEBAB, max_length=40)
    label: str = Field(min_length=1, max_length=45)
    first: bool = False  # first or co-first author


class Journal(Strict):
    id: str = Field(pattern=KEBAB, max_length=40)
    name: str = Field(min_length=1, max_length=100)
    short: str = Field(min_length=1, max_length=20)


class AbstractDeadline(Strict):
    meeting: str = Field(pattern=KEBAB, max_length=40)  # one of the pack's meetings
    date: date
    label: str = Field(default="", max_length=80)  # e.g. "SIR 2028 abstracts"


class Benchmark(Strict):
    """A profile level: at least `items` finished scholarly items, of which
    `related` in the field, `papers` published papers and `first_author_papers`
    published as first or co-first author."""

    id: str = Field(pattern=KEBAB, max_length=40)
    label: str = Field(min_length=1, max_length=60)
    advice: str = Field(min_length=1, max_length=300)
    items: int = Field(ge=0, le=100)
    related: int = Field(default=0, ge=0, le=100)
    papers: int = Field(default=0, ge=0, le=100)
    first_author_papers: int = Field(default=0, ge=0, le=100)


@section("research")
class ResearchSection(Strict):
    stall_days: int = Field(ge=1, le=365)
    nudge_hour: int = Field(ge=0, le=23)
    deadline_reminder_days: list[int] = Field(min_length=1, max_length=6)
    max_projects: int = Field(ge=1, le=1000)
    season_days: int = Field(ge=1, le=730)  # "accepted this season" for organisers
    related_label: str = Field(min_length=1, max_length=60)  # "IR or radiology"
    stages: list[ResearchStage] = Field(min_length=2, max_length=40)
    ladders: list[Ladder] = Field(min_length=1, max_length=10)
    kinds: list[ResearchKind] = Field(min_length=1, max_length=20)
    roles: list[Role] = Field(min_length=1, max_length=10)
    journals: list[Journal] = Field(default_factory=list, max_length=40)
    abstract_deadlines: list[AbstractDeadline] = Field(default_factory=list, max_length=100)
    benchmarks: list[Benchmark] = Field(default_factory=list, max_length=6)

    @model_validator(mode="after")
    def _refs(self) -> ResearchSection:
        for name in ("stages", "ladders", "kinds", "roles", "journals", "benchmarks"):
            ids = [item.id for item in getattr(self, name)]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"{name}: duplicate ids {dupes}")
        stages = {s.id for s in self.stages}
        for ladder in self.ladders:
            unknown = [s for s in ladder.stages if s not in stages]
            if unknown:
                raise ValueError(f"ladders.{ladder.id}: unknown stages {unknown}")
            if len(set(ladder.stages)) != len(ladder.stages):
                raise ValueError(f"ladders.{ladder.id}: a stage appears twice")
        ladders = {ladder.id for ladder in self.ladders}
        for kind in self.kinds:
            if kind.ladder not in ladders:
                raise ValueError(f"kinds.{kind.id}: unknown ladder '{kind.ladder}'")
        if any(d <= 0 for d in self.deadline_reminder_days):
            raise ValueError("deadline_reminder_days: each must be at least 1")
        return self

    def cross_check(self, pack: Pack) -> list[str]:
        """Problems only the whole pack shows: deadlines name the pack's own meetings."""
        known = {m.id for m in pack.meetings}
        return [
            f"abstract_deadlines.{i}.meeting: '{d.meeting}' is not one of the pack's meetings"
            for i, d in enumerate(self.abstract_deadlines)
            if d.meeting not in known
        ]

    def kind(self, kind_id: str) -> ResearchKind | None:
        return next((k for k in self.kinds if k.id == kind_id), None)

    def stage(self, stage_id: str) -> ResearchStage:
        return next(s for s in self.stages if s.id == stage_id)

    def ladder(self, kind_id: str) -> list[str]:
        kind = self.kind(kind_id)
        wanted = kind.ladder if kind else self.ladders[0].id
        return next(lad.stages for lad in self.ladders if lad.id == wanted)

    def role(self, role_id: str) -> Role | None:
        return next((r for r in self.roles if r.id == role_id), None)


def research_rules(pack: Pack) -> ResearchSection:
    return pack.section("research", ResearchSection)
