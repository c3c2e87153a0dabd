"""The conferences and research page's numbers, counts only: per conference,
attendees, people met, follow-ups due and sent on time; research projects and
how many moved this month. They are what `/conference report` and `/research
report` say (the page runs those commands), so the two never disagree."""

from __future__ import annotations

from sqlalchemy import select

from bot.commands import Actor
from bot.core import Rounds
from bot.features.conference.tables import conferences
from bot.features.dashboard.tables import NumberTable

RESEARCH = ("members", "projects", "moved", "finished")
HEADERS = ("conference", "start", "end", "attendees", "people_met", "follow_ups_due", "on_time")


async def conference_numbers(rounds: Rounds, actor: Actor) -> NumberTable:
    c = conferences
    async with rounds.db.connect() as conn:
        listed = (
            await conn.execute(
                select(c.c.name, c.c.start_date, c.c.end_date)
                .where(c.c.community_id == actor.community_id)
                .order_by(c.c.start_date, c.c.name)
            )
        ).all()
    rows = []
    for name, start, end in listed:
        reply = await rounds.run(actor, "conference", "report", {"name": name})
        report = reply.data.get("conference_report")
        if report is None:
            continue
        met = sum(int(r["met"]) for r in report["per_attendee"].values())
        rows.append(
            (
                name,
                start.isoformat(),
                end.isoformat(),
                len(report["attendees"]),
                met,
                int(report["follow_ups_due"]),
                int(report["follow_ups_on_time"]),
            )
        )
    return NumberTable("conferences", "Conferences", HEADERS, tuple(rows))


async def research_numbers(rounds: Rounds, actor: Actor) -> NumberTable:
    """Research here, counts only: what `/research report` says."""
    reply = await rounds.run(actor, "research", "report", {})
    report = reply.data.get("research_report", {})
    rows = tuple((key, int(report[key])) for key in RESEARCH if key in report)
    return NumberTable("research", "Research (this month, counts only)", ("measure", "count"), rows)
