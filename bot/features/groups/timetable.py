"""Put a group's weekly prompt, nudge and digest (and the community's organiser
report) in the scheduling engine, as recurrences in the group's own zone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.groups.content import DAYS, Timing
from bot.features.groups.cycle import Cycle
from bot.scheduling.jobs import NewJob, cancel, schedule, schedule_many

KINDS = ("prompt", "nudge", "digest")
REPORT_KEY = "groups:report"


def group_key(group_id: int, kind: str = "") -> str:
    return f"group:{group_id}:{kind}"


def group_jobs(group_id: int, cycle: Cycle, now: datetime) -> list[NewJob]:
    """The group's three weekly jobs; keyed, so scheduling them again replaces them."""
    first = cycle.next_times(now)
    return [
        NewJob(
            f"group.{kind}",
            first[kind],
            payload={"group_id": group_id},
            recurrence=recurrence,
            timezone=cycle.timezone,
            key=group_key(group_id, kind),
        )
        for kind, recurrence in cycle.recurrences().items()
    ]


async def schedule_group(
    conn: AsyncConnection, community_id: str, group_id: int, cycle: Cycle, now: datetime
) -> None:
    """(Re)schedule the group's three weekly jobs."""
    await schedule_many(conn, community_id, group_jobs(group_id, cycle, now), now)


async def cancel_group(conn: AsyncConnection, community_id: str, group_id: int) -> None:
    await cancel(conn, community_id, key_prefix=group_key(group_id))


async def schedule_report(
    conn: AsyncConnection, community_id: str, timing: Timing, timezone: str, now: datetime
) -> None:
    """The weekly organiser report, in the community's zone."""
    hour, minute = (int(x) for x in timing.report_time.split(":"))
    day = DAYS.index(timing.report_day)
    cycle = Cycle(day, hour, minute, timezone, 1, 0)
    recurrence = cycle.recurrences()["prompt"]
    await schedule(
        conn,
        community_id=community_id,
        kind="groups.report",
        due_at=cycle.next_times(now)["prompt"],
        now=now,
        recurrence=recurrence,
        timezone=timezone,
        key=REPORT_KEY,
    )
