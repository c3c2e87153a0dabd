"""The dashboard's pages: what each loads from the core and the actions it
offers. Every number comes from bot.features.dashboard; a page adds its chart."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.web.chart import line_chart
from bot.core import Rounds
from bot.features.dashboard.accountability import accountability
from bot.features.dashboard.signin import Session
from bot.features.dashboard.tables import NumberTable
from bot.members import load_membership

Action = Callable[[Rounds, Session, Mapping[str, str]], Awaitable[str]]


@dataclass(frozen=True)
class Shown:
    community: str
    tables: tuple[NumberTable, ...]
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    template: str
    load: Callable[[Rounds, str], Awaitable[Shown]]
    actions: Mapping[str, Action] = field(default_factory=dict)


async def _name(rounds: Rounds, community_id: str) -> str:
    async with rounds.db.connect() as conn:
        community, _ = await load_membership(conn, community_id, "")
    return (community.name if community and community.name else community_id) or community_id


async def _accountability(rounds: Rounds, community_id: str) -> Shown:
    async with rounds.db.connect() as conn:
        numbers = await accountability(conn, rounds.content, community_id, rounds.clock.now())
    chart = line_chart(
        "Members checked in per week",
        [w.strftime("%d %b") for w, _, _ in numbers.weeks],
        [n for _, n, _ in numbers.weeks],
    )
    return Shown(await _name(rounds, community_id), numbers.tables(), {"chart": chart})


PAGES: dict[str, Page] = {
    p.name: p
    for p in (Page("accountability", "Accountability", "accountability.html", _accountability),)
}
