"""The portfolio as a whole: counts against the pack's benchmarks, and the
application-ready list (a citation, the member's position, its status) as
text and as CSV. Pure functions of the projects, so they are easy to test."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from bot.features.research.content import Benchmark, ResearchSection
from bot.features.research.store import Project

CSV_COLUMNS = ("status", "kind", "citation", "authors", "title", "venue", "year", "role", "related")


@dataclass(frozen=True)
class Tally:
    done: int  # accepted, published or presented
    related: int  # of those, in the field
    papers: int  # published papers
    first_author_papers: int
    under_review: int  # submitted and waiting, not counted yet
    in_progress: int

    def meets(self, b: Benchmark) -> bool:
        return (
            self.done >= b.items
            and self.related >= b.related
            and self.papers >= b.papers
            and self.first_author_papers >= b.first_author_papers
        )


def tally(sec: ResearchSection, projects: list[Project]) -> Tally:
    done = [p for p in projects if sec.stage(p.stage).done]
    published = [p for p in done if p.stage == "published" and _paper(sec, p)]
    first = {r.id for r in sec.roles if r.first}
    waiting = [p for p in projects if sec.stage(p.stage).listed and not sec.stage(p.stage).done]
    return Tally(
        len(done),
        sum(p.related for p in done),
        len(published),
        sum(p.role in first for p in published),
        len(waiting),
        len(projects) - len(done) - len(waiting),
    )


def _paper(sec: ResearchSection, p: Project) -> bool:
    kind = sec.kind(p.kind)
    return bool(kind and kind.paper)


def by_kind(sec: ResearchSection, projects: list[Project]) -> dict[str, Counter[str]]:
    """Per kind id: how many projects sit at each stage id."""
    out: dict[str, Counter[str]] = {}
    for p in projects:
        out.setdefault(p.kind, Counter())[p.stage] += 1
    return out


def authors(p: Project, me: str, first_roles: set[str]) -> str:
    """The author list as given, else the member placed by their role among collaborators."""
    if p.authors:
        return p.authors
    names = [c.name for c in p.collaborators]
    if p.role in first_roles or p.role == "presenting" or not names:
        people = [me, *names]
    elif p.role == "second":
        people = [names[0], me, *names[1:]]
    else:
        people = [*names, me]
    return ", ".join(people)


@dataclass(frozen=True)
class Entry:
    status: str
    kind: str
    citation: str
    authors: str
    title: str
    venue: str
    year: int
    role: str
    related: bool


def entries(sec: ResearchSection, projects: list[Project], me: str) -> list[Entry]:
    """Every project that can go on an application, finished ones first, then
    those under review (labelled so), newest first within each."""
    first = {r.id for r in sec.roles if r.first}
    out = []
    for p in projects:
        stage = sec.stage(p.stage)
        if stage.listed is None:
            continue
        names = authors(p, me, first)
        year = p.stage_at.year
        venue = p.venue or "-"
        label = "" if stage.done else f" [{stage.listed}]"
        kind = sec.kind(p.kind)
        role = sec.role(p.role)
        out.append(
            Entry(
                stage.listed,
                kind.label if kind else p.kind,
                f"{names}. {p.title.rstrip('.')}. {venue}. {year}.{label}",
                names,
                p.title,
                p.venue,
                year,
                role.label if role else p.role,
                p.related,
            )
        )
    order = {s.listed: i for i, s in enumerate(reversed(sec.stages)) if s.listed}
    done = {s.listed for s in sec.stages if s.done}
    return sorted(out, key=lambda e: (e.status not in done, order.get(e.status, 99), -e.year))


def to_csv(rows: list[Entry]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for e in rows:
        w.writerow(
            [
                e.status,
                e.kind,
                e.citation,
                e.authors,
                e.title,
                e.venue,
                e.year,
                e.role,
                "yes" if e.related else "no",
            ]
        )
    return buf.getvalue().encode("utf-8")
