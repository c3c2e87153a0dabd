"""What members and organisers see: local times, the group's post targets, the
check-in post, the digest, stats and the organiser report. Built from loaded
data; no queries here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from bot.content import Content
from bot.features.groups.content import CheckinSection
from bot.features.groups.cycle import Cycle
from bot.features.groups.store import Checkin, Group, GroupWeeks
from bot.features.groups.streaks import mark, missed_in_a_row, streak
from bot.responses import Button, Moment, Post, Response, Target

Msg = Callable[..., str]
WEEK = timedelta(days=7)
MAX_OFFER_BUTTONS = 5  # a message's row of buttons on Discord


@lru_cache(maxsize=4096)  # a group's members see the same few instants
def local(when: datetime, zone: str) -> str:
    """The instant as a Moment each reader sees in their own zone; its fallback is
    'Wed 6 Jan 21:00 JST' in the group's zone."""
    t = when.astimezone(ZoneInfo(zone))
    return str(Moment(when, "datetime", f"{t:%a} {t.day} {t:%b %H:%M %Z}"))


def week_label(week: date) -> str:
    return f"{week.day} {week:%b %Y}"


def section(content: Content, group: Group) -> CheckinSection:
    return content.pack(group.pack).section("checkin", CheckinSection)


def first_week(cycle: Cycle, joined_at: datetime) -> date:
    """The first week a member is expected to check in: the first prompt at or after joining."""
    week = cycle.week_of(joined_at)
    return week if cycle.prompt_at(week) >= joined_at else week + WEEK


def current_week(group: Group, now: datetime) -> date:
    """The week a check-in made now belongs to: the week whose prompt it answers.
    That is the latest prompt's week until its deadline; once the deadline has
    passed (its digest is out), the coming week, before that week's prompt. Before
    a new group's first prompt, its first week, so nobody answers for a week the
    group never had."""
    cycle = group.cycle
    week = cycle.week_of(now)
    if not cycle.is_open(week, now):
        week += WEEK
    return max(week, first_week(cycle, group.created_at))


def is_early(group: Group, week: date, now: datetime) -> bool:
    """A check-in for a week whose prompt has not gone out yet."""
    return now < group.cycle.prompt_at(week)


def channel_for(group: Group, settings: Mapping[str, Any]) -> str | None:
    return group.channel_id or settings.get("groups-channel") or None


def thread_key(group: Group, week: date) -> str | None:
    """The week's prompt post, when one was posted (the group existed at prompt time)."""
    return (
        f"group:{group.id}:{week.isoformat()}:prompt"
        if group.created_at <= group.cycle.prompt_at(week)
        else None
    )


def to_group(
    community_id: str,
    group: Group,
    settings: Mapping[str, Any],
    members: list[str],
    message: Response,
    key: str,
    week: date | None = None,
) -> list[Post]:
    """A post to the group's channel (in the week's thread), or DMs when it has none."""
    channel = channel_for(group, settings)
    if channel:
        thread = thread_key(group, week) if week else None
        return [Post(Target(community_id, channel_id=channel, thread=thread), message, key)]
    return [Post(Target(community_id, member_id=m), message, f"{key}:{m}") for m in members]


def status_label(sec: CheckinSection, status_id: str) -> str:
    s = next((s for s in sec.statuses if s.id == status_id), None)
    return s.label.lower() if s else status_id


def kept(sec: CheckinSection, review: list[dict[str, str]]) -> int:
    keepers = {s.id for s in sec.statuses if s.kept}
    return sum(1 for r in review if r.get("status") in keepers)


def checkin_post(msg: Msg, sec: CheckinSection, member: str, c: Checkin, again: bool) -> Response:
    lines = [msg("checkin_post", member=member, again=msg("checkin_post_again") if again else "")]
    for r in c.review:
        lines.append(f"- {r['text']} ({status_label(sec, r['status'])})")
    if c.win:
        lines.append(msg("checkin_post_win", text=c.win))
    if c.blocker:
        lines.append(msg("checkin_post_blocker", text=c.blocker))
    lines.append(msg("checkin_post_next"))
    lines += [f"  {i}. {t}" for i, t in enumerate(c.commitments, 1)]
    data = {
        "group_event": {
            "kind": "checkin",
            "member": member,
            "week": c.week.isoformat(),
            "revision": c.revision,
            "kept": kept(sec, c.review),
            "reviewed": len(c.review),
            "commitments": c.commitments,
        }
    }
    return Response(text="\n".join(lines), ephemeral=False, data=data)


def offer_button(msg: Msg, member: str, week: date) -> Button:
    """A peer's "I can help" on a group-mate's blocker."""
    return Button(
        msg("checkin_offer_button", member=member), f"checkin offer {member} {week.isoformat()}"
    )


def help_requests(weeks: GroupWeeks, week: date) -> list[tuple[str, str]]:
    """(member, blocker) for the week's blockers their owners asked help with;
    nobody else's blocker is ever listed."""
    out = []
    for member in sorted(weeks.members):
        c = weeks.checkins[member].get(week)
        if c and c.wants_help and c.blocker:
            out.append((member, c.blocker))
    return out


@dataclass(frozen=True)
class MemberWeek:
    member: str
    mark: str  # checked | skipped | missed | open | not-expected
    kept: int
    reviewed: int
    streak: int


def week_rows(
    sec: CheckinSection, group: Group, weeks: GroupWeeks, week: date, now: datetime
) -> list[MemberWeek]:
    cycle = group.cycle
    open_ = cycle.is_open(week, now)
    grace = sec.streaks.grace_skipped_weeks
    rows = []
    for member, joined_at in sorted(weeks.members.items()):
        done = weeks.checkins[member]
        skipped = weeks.skips[member]
        m: str = mark(week, done, skipped, open_)
        if m in ("missed", "open") and first_week(cycle, joined_at) > week:
            m = "not-expected"
        c = done.get(week)
        rows.append(
            MemberWeek(
                member,
                m,
                kept(sec, c.review) if c else 0,
                len(c.review) if c else 0,
                streak(done.keys(), skipped, week, open_, grace),
            )
        )
    return rows


def digest(
    msg: Msg,
    sec: CheckinSection,
    group: Group,
    rows: list[MemberWeek],
    week: date,
    helps: list[tuple[str, str]],
) -> Response:
    expected = [r for r in rows if r.mark != "not-expected"]
    done = [r for r in rows if r.mark == "checked"]
    lines = [msg("checkin_digest_intro", done=len(done), expected=len(expected))]
    for r in rows:
        if r.mark == "checked" and r.reviewed:
            key = "checkin_digest_checked"
        elif r.mark == "checked":
            key = "checkin_digest_first"
        elif r.mark == "skipped":
            key = "checkin_digest_skipped"
        elif r.mark == "missed":
            key = "checkin_digest_missing"
        else:
            continue
        lines.append(msg(key, member=r.member, kept=r.kept, reviewed=r.reviewed, streak=r.streak))
    if helps:
        lines.append(msg("checkin_digest_help"))
        lines += [msg("checkin_digest_help_line", member=m, text=t) for m, t in helps]
    nxt = group.cycle.prompt_at(week + WEEK)
    lines.append(msg("checkin_digest_outro", prompt=local(nxt, group.cycle.timezone)))
    data = {
        "group_event": {
            "kind": "digest",
            "group": group.name,
            "week": week.isoformat(),
            "checked_in": [r.member for r in done],
            "skipped": [r.member for r in rows if r.mark == "skipped"],
            "missing": [r.member for r in rows if r.mark == "missed"],
            "kept": {r.member: [r.kept, r.reviewed] for r in done},
            "streaks": {r.member: r.streak for r in rows},
            "help": [m for m, _ in helps],
        }
    }
    title = msg("checkin_digest_title", name=group.name, week=week_label(week))
    buttons = tuple(offer_button(msg, m, week) for m, _ in helps[:MAX_OFFER_BUTTONS])
    return Response(title=title, text="\n".join(lines), ephemeral=False, buttons=buttons, data=data)


@dataclass(frozen=True)
class GroupHealth:
    group: Group
    week: date  # the last closed week
    expected: int
    done: int
    active: int  # members who checked in during the last two closed weeks
    missed_two: list[str]
    helps: list[tuple[str, str]]  # (member, blocker) asked help with, last closed week on


def health(sec: CheckinSection, group: Group, weeks: GroupWeeks, now: datetime) -> GroupHealth:
    cycle = group.cycle
    last = cycle.last_closed_week(now)
    helps = help_requests(weeks, last)
    coming = help_requests(weeks, last + WEEK)
    helps += [h for h in coming if h[0] not in {m for m, _ in helps}]
    if last < first_week(cycle, group.created_at):  # no closed week yet: nothing to flag
        return GroupHealth(group, last, 0, 0, len(weeks.members), [], helps)
    expected = done = active = 0
    missed_two = []
    for member, joined_at in weeks.members.items():
        checked, skipped = weeks.checkins[member], weeks.skips[member]
        start = first_week(cycle, joined_at)
        if start <= last:
            expected += 1
            done += last in checked
        if last in checked or last - WEEK in checked:
            active += 1
        if missed_in_a_row(checked.keys(), skipped, last, start) >= 2:
            missed_two.append(member)
    return GroupHealth(group, last, expected, done, active, sorted(missed_two), helps)


def report(msg: Msg, healths: list[GroupHealth], wanting: int) -> Response:
    lines = []
    for h in healths:
        flag = msg("group_report_low") if h.active < 2 else ""
        lines.append(
            msg(
                "group_report_group",
                name=h.group.name,
                done=h.done,
                expected=h.expected,
                week=week_label(h.week),
                flag=flag,
            )
        )
    if not healths:
        lines.append(msg("group_report_empty"))
    missed = [f"{m} ({h.group.name})" for h in healths for m in h.missed_two]
    lines.append(
        msg("group_report_missed", names=", ".join(missed))
        if missed
        else msg("group_report_missed_none")
    )
    helps = [(m, t, h.group.name) for h in healths for m, t in h.helps]
    if helps:
        lines.append(msg("group_report_help"))
        lines += [msg("group_report_help_line", member=m, text=t, name=n) for m, t, n in helps]
    if wanting:
        lines.append(msg("group_report_wanting", count=wanting))
    data = {
        "group_report": {
            "groups": {
                h.group.name: {
                    "week": h.week.isoformat(),
                    "done": h.done,
                    "expected": h.expected,
                    "active": h.active,
                }
                for h in healths
            },
            "missed_two_weeks": {h.group.name: h.missed_two for h in healths if h.missed_two},
            "below_two_active": [h.group.name for h in healths if h.active < 2],
            "help": {h.group.name: [m for m, _ in h.helps] for h in healths if h.helps},
            "wanting": wanting,
        }
    }
    return Response(title=msg("group_report_title"), text="\n".join(lines), data=data)
