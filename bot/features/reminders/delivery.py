"""What a due reminder sends: the text, to the member's DMs or to a channel,
with snooze buttons. Built from the job alone (no database read), so the
dispatcher's hot loop stays a claim, a send and a mark."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.features.reminders.store import KIND
from bot.features.reminders.when import local
from bot.responses import Button, Moment, Post, Response, Target
from bot.scheduling.jobs import Job, job_kind
from bot.scheduling.recurrence import next_after

if TYPE_CHECKING:
    from bot.core import Rounds

LATE_AFTER = timedelta(minutes=2)  # the dispatcher's own measure of "late"
SNOOZE_BUTTONS = ("1h", "1d")


@job_kind(KIND)
async def reminder_due(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    msg = rounds.content.msg
    late = now - job.due_at > LATE_AFTER
    lines = [str(job.payload.get("text", ""))]
    if late:
        lines.append(msg("remind_due_late", due=_moment(job.due_at, job.timezone)))
    if job.recurrence:
        nxt = next_after(job.recurrence, job.timezone, max(now, job.due_at))
        if nxt is not None:
            lines.append(msg("remind_due_next", next=_moment(nxt, job.timezone)))
    data = {"reminder": {"id": job.id, "late": late}}
    key = job.delivery_key()
    channel = job.payload.get("channel")
    if channel:
        lines.append(msg("remind_due_by", by=job.payload.get("by", job.member_id)))
        target = Target(job.community_id, channel_id=str(channel))
        message = Response(
            title=msg("remind_due_title"), text="\n".join(lines), ephemeral=False, data=data
        )
        return [Post(target, message, key)]
    buttons = [
        Button(msg("remind_button_snooze", label=label), f"remind snooze {job.id} {label}")
        for label in job.payload.get("snooze", SNOOZE_BUTTONS)
    ]
    if job.recurrence:
        buttons.append(Button(msg("remind_button_stop"), f"remind cancel {job.id}", "danger"))
    message = Response(
        title=msg("remind_due_title"),
        text="\n".join(lines),
        buttons=tuple(buttons),
        dm=True,
        data=data,
    )
    return [Post(Target(job.community_id, member_id=job.member_id), message, key)]


@lru_cache(maxsize=4096)
def _moment(when: datetime, zone: str) -> str:
    """A time in a delivered reminder, for each reader in their own zone (a channel
    has many), as text. Reminders due together share it: "9am" is one instant."""
    return str(Moment(when, "datetime", local(when, zone)))
