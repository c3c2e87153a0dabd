"""What the conference's scheduled items send, by DM to the attendee: each
preparation step, the morning 3-2-1 prompt, the evening summary and the
after-meeting summary. Each reads the current state when it is due, so a
contact logged at 20:29 is in the 20:30 summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.content import Pack
from bot.features.conference import plan, store
from bot.features.conference.commands import count_line
from bot.features.conference.content import ConferenceSection, conference_rules
from bot.features.conference.dates import day_label, today_in
from bot.features.conference.store import Conference, Tagged
from bot.features.contacts import store as contact_store
from bot.features.contacts.rules import cadence
from bot.features.reminders.when import local
from bot.members import load_membership
from bot.responses import Button, Field, Post, Response, Target
from bot.scheduling.jobs import Job, job_kind
from bot.text import shorten

if TYPE_CHECKING:
    from bot.core import Rounds


@dataclass(frozen=True)
class _State:
    conf: Conference
    pack: Pack
    section: ConferenceSection
    tz: str  # the member's zone (contact nudges are in it)
    window: int  # days within which a follow-up is advised (the contact log's cadence)
    entries: list[Tagged]
    follow_ups: dict[int, datetime]  # contact -> live follow-up nudge
    emailed: dict[int, datetime]  # contact -> first email logged


async def _state(rounds: Rounds, job: Job) -> _State | None:
    member = job.member_id or ""
    async with rounds.db.connect() as conn:
        conf = await store.get(conn, job.community_id, int(job.payload.get("conference", 0)))
        if conf is None:
            return None
        community, profile = await load_membership(conn, job.community_id, member)
        rows = await store.tagged(conn, job.community_id, conf.id, member)
        entries = [t for _, t in rows]
        planned = await contact_store.nudges(conn, job.community_id, member)
        emailed = await store.first_emails(conn, job.community_id, entries)
    if community is None or profile is None:
        return None
    pack = rounds.content.pack(profile.pack or community.pack)
    follow = {n.contact_id: n.due_at for n in planned if n.which == "follow-up"}
    tz = profile.timezone or community.timezone
    window = cadence(pack, community.settings, "follow-up").max
    return _State(conf, pack, conference_rules(pack), tz, window, entries, follow, emailed)


def _dm(job: Job, message: Response) -> list[Post]:
    """A DM to the attendee; the data says when it was due (for scripts and tests)."""
    data = {k: dict(v, due=job.due_at.isoformat()) for k, v in message.data.items()}
    message = replace(message, data=data)
    return [Post(Target(job.community_id, member_id=job.member_id), message)]


@job_kind(plan.PREP)
async def prep_due(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    s = await _state(rounds, job)
    if s is None:
        return []
    step = next((x for x in s.section.steps if x.id == job.payload.get("step")), None)
    if step is None:  # the pack dropped this step since
        return []
    msg = rounds.content.msg
    text = (
        msg("conf_prep_intro", name=s.conf.name, start=day_label(s.conf.start)) + "\n" + step.text
    )
    targets = [t for t in s.entries if t.target]
    if targets:
        text += "\n" + msg("conf_prep_targets", n=len(targets))
    return _dm(
        job,
        Response(
            title=msg("conf_prep_title", step=step.title, name=s.conf.name),
            text=text,
            dm=True,
            data={
                "conference": {
                    "kind": "prep",
                    "step": step.id,
                    "conference": s.conf.name,
                    "days_before": (s.conf.start - today_in(now, s.conf.tz)).days,
                }
            },
        ),
    )


def _day(job: Job) -> date:
    return date.fromisoformat(str(job.payload["day"]))


@job_kind(plan.MORNING)
async def morning_due(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    s = await _state(rounds, job)
    if s is None:
        return []
    msg, d, day = rounds.content.msg, s.section.daily, _day(job)
    lines = [
        msg(
            "conf_morning",
            faculty=d.faculty,
            peers=d.peers,
            deep=d.deep,
            minutes=d.deep_minutes,
        )
    ]
    data: dict[str, object] = {"kind": "morning", "day": day.isoformat(), "conference": s.conf.name}
    if day > s.conf.start:
        before = store.counts(s.entries, day - timedelta(days=1))
        lines.append(count_line(msg, before, s.section, "yesterday"))
        data["yesterday"] = before.as_dict()
    waiting = [t.name for t in s.entries if t.target and not t.met]
    if waiting:
        lines.append(msg("conf_morning_targets", names=", ".join(waiting[:10])))
    data["goal"] = {"faculty": d.faculty, "peers": d.peers, "deep": d.deep}
    return _dm(
        job,
        Response(
            title=msg(
                "conf_morning_title", day=s.conf.day_number(day), days=s.conf.days, name=s.conf.name
            ),
            text="\n".join(lines),
            dm=True,
            data={"conference": data},
        ),
    )


@job_kind(plan.EVENING)
async def evening_due(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    s = await _state(rounds, job)
    if s is None:
        return []
    msg, day = rounds.content.msg, _day(job)
    c = store.counts(s.entries, day)
    met_today = [t for t in s.entries if t.met_day == day]
    total = sum(t.met for t in s.entries)
    lines = [count_line(msg, c, s.section), msg("conf_evening_total", total=total)]
    follow = sorted({s.follow_ups[t.contact_id] for t in met_today if t.contact_id in s.follow_ups})
    if follow:
        lines.append(msg("conf_evening_follow", when=local(follow[0], s.tz)[:15]))
    elif not met_today:
        lines.append(msg("conf_evening_none"))
    return _dm(
        job,
        Response(
            title=msg("conf_evening_title", day=s.conf.day_number(day), name=s.conf.name),
            text="\n".join(lines),
            dm=True,
            data={
                "conference": {
                    "kind": "evening",
                    "day": day.isoformat(),
                    "conference": s.conf.name,
                    "counts": c.as_dict(),
                    "met_today": [t.name for t in met_today],
                    "total": total,
                }
            },
        ),
    )


@job_kind(plan.AFTER)
async def after_due(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    s = await _state(rounds, job)
    if s is None:
        return []
    msg = rounds.content.msg
    met = [t for t in s.entries if t.met]
    missed = [t for t in s.entries if t.target and not t.met]
    fields = []
    follow_data: dict[str, dict[str, object]] = {}
    if met:
        lines = []
        for t in met:
            by_day = s.conf.follow_up_from(t.met_day) + timedelta(days=s.window)
            by = day_label(by_day)
            nudge = s.follow_ups.get(t.contact_id)
            if t.contact_id in s.emailed:
                when = msg("conf_after_sent")
            elif nudge is not None and nudge > now:
                when = msg("conf_after_due", nudge=local(nudge, s.tz)[:15], by=by)
            elif today_in(now, s.conf.tz) <= by_day:
                when = msg("conf_after_by", by=by)
            else:
                when = msg("conf_after_overdue", by=by)
            follow_data[t.name] = {
                "sent": t.contact_id in s.emailed,
                "nudge": nudge.isoformat() if nudge else None,
                "by": by_day.isoformat(),
            }
            lines.append(f"- #{t.contact_id} {shorten(t.name, 80)} · {when}")
        fields.append(
            Field(msg("conf_after_met_title", n=len(met)), shorten("\n".join(lines), 1000))
        )
    if missed:
        lines = [f"- #{t.contact_id} {shorten(t.name, 80)}" for t in missed]
        fields.append(
            Field(msg("conf_after_missed_title", n=len(missed)), shorten("\n".join(lines), 1000))
        )
    text = msg("conf_after_text", name=s.conf.name, n=len(met))
    if missed:
        text += "\n" + msg("conf_after_missed_hint", name=s.conf.name)
    return _dm(
        job,
        Response(
            title=msg("conf_after_title", name=s.conf.name),
            text=text,
            fields=tuple(fields),
            buttons=(Button(msg("conf_button_next"), "contact next", "primary"),),
            dm=True,
            data={
                "conference": {
                    "kind": "after",
                    "conference": s.conf.name,
                    "met": [t.name for t in met],
                    "follow_ups": follow_data,
                    "targets_not_met": [t.name for t in missed],
                }
            },
        ),
    )
