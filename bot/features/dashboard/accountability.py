"""The accountability page's numbers: members checked in per week for the last
12 weeks, "I'd like help" counts (never the text), each group's rate and
streaks, and the members at risk (two closed weeks missed without notice)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.content import Content
from bot.features.dashboard.tables import NumberTable
from bot.features.groups import store, view
from bot.features.groups.streaks import LOOKBACK_WEEKS, missed_in_a_row, streak
from bot.features.groups.tables import checkins
from bot.members import load_membership

WEEKS = 12
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Accountability:
    weeks: tuple[tuple[date, int, int], ...]  # (Monday, members checked in, asked for help)
    groups: NumberTable
    at_risk: NumberTable

    @property
    def weekly(self) -> NumberTable:
        return NumberTable(
            "weeks",
            "Members checked in per week",
            ("week", "checked_in", "asked_for_help"),
            tuple((w.isoformat(), n, h) for w, n, h in self.weeks),
        )

    def tables(self) -> tuple[NumberTable, ...]:
        return (self.weekly, self.groups, self.at_risk)


def last_weeks(now: datetime, zone: str, count: int = WEEKS) -> list[date]:
    """The Mondays of the last `count` weeks, oldest first, the running week last."""
    local = now.astimezone(ZoneInfo(zone)).date()
    monday = local - timedelta(days=local.weekday())
    return [monday - WEEK * i for i in range(count - 1, -1, -1)]


async def weekly_counts(
    conn: AsyncConnection, community_id: str, weeks: list[date]
) -> dict[date, tuple[int, int]]:
    c = checkins
    helped = func.sum(case((c.c.wants_help.is_(True), 1), else_=0))
    query = (
        select(c.c.week, func.count(distinct(c.c.member_id)), helped)
        .where(c.c.community_id == community_id, c.c.week >= weeks[0], c.c.week <= weeks[-1])
        .group_by(c.c.week)
    )
    return {r[0]: (int(r[1]), int(r[2] or 0)) for r in await conn.execute(query)}


async def accountability(
    conn: AsyncConnection, content: Content, community_id: str, now: datetime
) -> Accountability:
    community, _ = await load_membership(conn, community_id, "")
    weeks = last_weeks(now, community.timezone if community else "UTC")
    counts = await weekly_counts(conn, community_id, weeks)
    group_rows, risk_rows = [], []
    for group, _ in await store.list_groups(conn, community_id):
        cycle = group.cycle
        current, last = cycle.week_of(now), cycle.last_closed_week(now)
        history = await store.group_weeks(
            conn, community_id, group.id, current - WEEK * LOOKBACK_WEEKS
        )
        sec = view.section(content, group)
        health = view.health(sec, group, history, now)
        runs = []
        for member, joined in sorted(history.members.items()):
            checked, skipped = history.checkins[member].keys(), history.skips[member]
            grace = sec.streaks.grace_skipped_weeks
            runs.append(streak(checked, skipped, current, cycle.is_open(current, now), grace))
            start = view.first_week(cycle, joined)
            missed = missed_in_a_row(checked, skipped, last, start) if start <= last else 0
            if missed >= 2:
                risk_rows.append((member, group.name, missed))
        rate = round(100 * health.done / health.expected) if health.expected else 0
        best = max(runs, default=0)
        mean = round(sum(runs) / len(runs), 1) if runs else 0.0
        group_rows.append(
            (group.name, len(history.members), health.done, health.expected, rate, mean, best)
        )
    return Accountability(
        tuple((w, *counts.get(w, (0, 0))) for w in weeks),
        NumberTable(
            "groups",
            "Groups: last closed week and streaks",
            (
                "group",
                "members",
                "checked_in",
                "expected",
                "rate_percent",
                "mean_streak",
                "best_streak",
            ),
            tuple(group_rows),
        ),
        NumberTable(
            "at_risk",
            "Members at risk (two or more weeks missed without notice)",
            ("member", "group", "weeks_missed"),
            tuple(sorted(risk_rows)),
        ),
    )
