"""The dashboard's pages: what each loads from the core and the actions it
offers. Every number comes from bot.features.dashboard; a page adds its chart.
Actions run the same core commands (and checks) as the slash commands."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.web.chart import bar_chart, line_chart
from bot.core import Rounds
from bot.delivery import send_also
from bot.features.dashboard.accountability import accountability
from bot.features.dashboard.conferences import conference_numbers, research_numbers
from bot.features.dashboard.mentoring import FUNNEL, mentoring_numbers
from bot.features.dashboard.signin import Session
from bot.features.dashboard.tables import NumberTable
from bot.members import load_membership
from bot.responses import Response, plain_moments

Action = Callable[[Rounds, Session, Mapping[str, str]], Awaitable[Response]]


@dataclass(frozen=True)
class Shown:
    tables: tuple[NumberTable, ...]
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    template: str
    load: Callable[[Rounds, Session], Awaitable[Shown]]
    actions: Mapping[str, Action] = field(default_factory=dict)


async def community_name(rounds: Rounds, community_id: str) -> str:
    async with rounds.db.connect() as conn:
        community, _ = await load_membership(conn, community_id, "")
    return community.name if community and community.name else community_id


def as_text(response: Response) -> str:
    """A command's answer as plain lines for a page (times as the core wrote them)."""
    lines = [plain_moments(response.title or ""), plain_moments(response.text)]
    lines += [f"{plain_moments(f.name)}: {plain_moments(f.value)}" for f in response.fields]
    return "\n".join(line for line in lines if line).replace("**", "")


async def run_command(
    rounds: Rounds, session: Session, name: str, sub: str, options: Mapping[str, str]
) -> Response:
    """Run a core command as the signed-in organiser and deliver its other posts
    (a published round's introductions) through the community's platform."""
    actor = session.actor()
    reply = await rounds.run(actor, name, sub, options)
    return await send_also(rounds.outbox, rounds.content, reply, actor.member_id)


async def _accountability(rounds: Rounds, session: Session) -> Shown:
    async with rounds.db.connect() as conn:
        numbers = await accountability(
            conn, rounds.content, session.community_id, rounds.clock.now()
        )
    chart = line_chart(
        "Members checked in per week",
        [w.strftime("%d %b") for w, _, _ in numbers.weeks],
        [n for _, n, _ in numbers.weeks],
    )
    return Shown(numbers.tables(), {"chart": chart})


async def _mentoring(rounds: Rounds, session: Session) -> Shown:
    async with rounds.db.connect() as conn:
        numbers = await mentoring_numbers(conn, session.community_id)
    labels = [f.replace("_", " ") for f in FUNNEL]
    chart = bar_chart("The latest round's funnel", labels, list(numbers.latest_funnel))
    return Shown(
        numbers.tables(),
        {"chart": chart, "current": numbers.current, "rounds": [r[0] for r in numbers.funnel.rows]},
    )


def _round_action(action: str) -> Action:
    async def run(rounds: Rounds, session: Session, form: Mapping[str, str]) -> Response:
        return await run_command(rounds, session, "mentor", "round", {"action": action})

    return run


async def _events(rounds: Rounds, session: Session) -> Shown:
    table = await conference_numbers(rounds, session.actor())
    chart = bar_chart(
        "People met per conference",
        [str(r[0]) for r in table.rows],
        [int(r[4]) for r in table.rows],
    )
    research = await research_numbers(rounds, session.actor())
    return Shown((table, research), {"chart": chart if table.rows else ""})


PAGES: dict[str, Page] = {
    p.name: p
    for p in (
        Page("accountability", "Accountability", "accountability.html", _accountability),
        Page(
            "mentoring",
            "Mentoring",
            "mentoring.html",
            _mentoring,
            {a: _round_action(a) for a in ("open", "close", "preview", "publish")},
        ),
        Page("events", "Conferences and research", "events.html", _events),
    )
}
