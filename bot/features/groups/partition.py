"""/group form: split members who asked for a group into groups of min-max size,
keeping UTC offsets close and mixing training stages. Pure and deterministic:
the same people always give the same plan, so a preview can be committed."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

from bot.features.groups.content import Forming


@dataclass(frozen=True)
class Candidate:
    member_id: str
    offset_minutes: int  # UTC offset of the member's zone now
    timezone: str
    stage: str | None = None


@dataclass(frozen=True)
class OpenGroup:
    """An existing group with room, for people too few to form a group of their own."""

    group_id: int
    name: str
    offset_minutes: int
    size: int


@dataclass(frozen=True)
class Plan:
    groups: tuple[tuple[Candidate, ...], ...] = ()
    additions: tuple[tuple[Candidate, OpenGroup], ...] = ()
    waiting: tuple[Candidate, ...] = ()
    token: str = field(default="", compare=False)

    @property
    def empty(self) -> bool:
        return not (self.groups or self.additions)


def sizes(n: int, min_size: int, max_size: int) -> list[int]:
    """Group sizes for n people, as equal as possible, all within [min, max]
    (always possible for n >= min when max >= 2 * min - 1)."""
    if n < min_size:
        return []
    k = math.ceil(n / max_size)
    base, extra = divmod(n, k)
    return [base + 1] * extra + [base] * (k - extra)


def group_zone(members: tuple[Candidate, ...] | list[Candidate]) -> str:
    """The zone of the middle member by offset: the group's clock."""
    ordered = sorted(members, key=lambda c: (c.offset_minutes, c.member_id))
    return ordered[len(ordered) // 2].timezone


def cost(members: list[Candidate], forming: Forming) -> float:
    if not members:
        return 0.0
    offsets = [c.offset_minutes for c in members]
    spread_hours = (max(offsets) - min(offsets)) / 60
    staged = [c.stage for c in members if c.stage]
    duplicates = len(staged) - len(set(staged))
    return forming.zone_weight * spread_hours + forming.stage_weight * duplicates


def plan(candidates: list[Candidate], open_groups: list[OpenGroup], forming: Forming) -> Plan:
    people = sorted(candidates, key=lambda c: (c.offset_minutes, c.member_id))
    if len(people) < forming.min_size:
        return _place_few(people, open_groups, forming)
    chunks: list[list[Candidate]] = []
    i = 0
    for size in sizes(len(people), forming.min_size, forming.max_size):
        chunks.append(people[i : i + size])
        i += size
    _improve(chunks, forming)
    groups = tuple(tuple(sorted(g, key=lambda c: (c.offset_minutes, c.member_id))) for g in chunks)
    return _sealed(Plan(groups=groups))


def _place_few(people: list[Candidate], open_groups: list[OpenGroup], forming: Forming) -> Plan:
    room = {g.group_id: forming.max_size - g.size for g in open_groups}
    additions, waiting = [], []
    for person in people:
        fits = [g for g in open_groups if room[g.group_id] > 0]
        if not fits:
            waiting.append(person)
            continue
        best = min(
            fits,
            key=lambda g: (abs(g.offset_minutes - person.offset_minutes), g.size, g.group_id),
        )
        room[best.group_id] -= 1
        additions.append((person, best))
    return _sealed(Plan(additions=tuple(additions), waiting=tuple(waiting)))


def _improve(chunks: list[list[Candidate]], forming: Forming, max_passes: int = 50) -> None:
    """Move or swap members between nearby groups while that lowers the total cost
    (zone spread and shared stages), sizes staying within bounds; first improvement
    wins, in a fixed order, so the result is deterministic."""
    for _ in range(max_passes):
        improved = False
        for i in range(len(chunks)):
            for j in range(i + 1, min(len(chunks), i + 3)):
                a, b = chunks[i], chunks[j]
                improved |= _move(a, b, forming) | _move(b, a, forming)
                for x in range(len(a)):
                    for y in range(len(b)):
                        before = cost(a, forming) + cost(b, forming)
                        a[x], b[y] = b[y], a[x]
                        if cost(a, forming) + cost(b, forming) < before - 1e-9:
                            improved = True
                        else:
                            a[x], b[y] = b[y], a[x]
        if not improved:
            return


def _move(src: list[Candidate], dst: list[Candidate], forming: Forming) -> bool:
    """Move one member from src to dst when sizes allow and the cost drops."""
    moved = False
    x = 0
    while x < len(src):
        if len(src) <= forming.min_size or len(dst) >= forming.max_size:
            break
        before = cost(src, forming) + cost(dst, forming)
        person = src.pop(x)
        dst.append(person)
        if cost(src, forming) + cost(dst, forming) < before - 1e-9:
            moved = True
            continue
        dst.pop()
        src.insert(x, person)
        x += 1
    return moved


def _sealed(p: Plan) -> Plan:
    """Attach a token naming exactly this plan, checked again on commit."""
    parts = [",".join(c.member_id for c in g) for g in p.groups]
    parts += [f"{c.member_id}>{g.group_id}" for c, g in p.additions]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]
    return Plan(p.groups, p.additions, p.waiting, token=digest)
