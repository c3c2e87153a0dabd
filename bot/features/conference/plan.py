"""What an attendee receives and when, all in the conference's own zone: the
preparation steps (from the pack's lead time), a 3-2-1 prompt each morning, a
summary each evening, and the after-meeting summary. Pure: tested without a
database; the commands put the result in the jobs table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from bot.features.conference.content import ConferenceSection, PrepStep
from bot.features.conference.dates import at_local
from bot.features.conference.store import Conference

PREP, MORNING, EVENING, AFTER = (
    "conference.prep",
    "conference.morning",
    "conference.evening",
    "conference.after",
)


@dataclass(frozen=True)
class Item:
    kind: str
    suffix: str  # makes the job key, with the conference and the member
    due: datetime
    payload: dict[str, Any] = field(default_factory=dict)


def key_prefix(conference_id: int, member_id: str) -> str:
    return f"conf:{conference_id}:{member_id}:"


def prep_times(
    conf: Conference, section: ConferenceSection, lead_weeks: int
) -> list[tuple[PrepStep, datetime]]:
    """Each step at its `days_before`, never earlier than the plan's start (the
    lead time); a step without `days_before` goes out when the plan starts."""
    lead_days = lead_weeks * 7
    if lead_days <= 0:
        return []
    out = []
    for step in section.steps:
        days = lead_days if step.days_before is None else min(step.days_before, lead_days)
        day = conf.start - timedelta(days=days)
        out.append((step, at_local(day, time(section.prep_hour), conf.tz)))
    return sorted(out, key=lambda pair: pair[1])


def plan(
    conf: Conference, section: ConferenceSection, lead_weeks: int, now: datetime
) -> tuple[list[Item], list[PrepStep]]:
    """(items still ahead, preparation steps whose time has already passed)."""
    items: list[Item] = []
    missed: list[PrepStep] = []
    for step, due in prep_times(conf, section, lead_weeks):
        if due > now:
            items.append(Item(PREP, f"prep:{step.id}", due, {"step": step.id}))
        else:
            missed.append(step)
    for n in range(conf.days):
        day = conf.start + timedelta(days=n)
        payload = {"day": day.isoformat()}
        for kind, at in ((MORNING, section.morning), (EVENING, section.evening)):
            due = at_local(day, at, conf.tz)
            if due > now:
                items.append(Item(kind, f"{kind.split('.')[1]}:{day.isoformat()}", due, payload))
    after_day = conf.end + timedelta(days=section.after_summary_days)
    after = at_local(after_day, section.after_time, conf.tz)
    if after > now:
        items.append(Item(AFTER, "after", after, {}))
    for item in items:
        item.payload["conference"] = conf.id
    return sorted(items, key=lambda i: i.due), missed
