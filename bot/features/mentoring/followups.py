"""Follow-ups on the scheduling engine: one reminder to answer an introduction
nobody has answered after a few days, the "did you meet?" check two weeks after
both sides accepted (again after a while when the answer is "not yet"), and the
recurring reminder to update one's mentor at the pack's cadence, which starts
once the pair says they have met."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.mentoring import store
from bot.features.mentoring.introductions import section
from bot.features.mentoring.store import MENTEE, MENTOR, Pair
from bot.responses import Button, Post, Response, Target
from bot.scheduling.jobs import Job, NewJob, cancel, job_kind, schedule

if TYPE_CHECKING:
    from bot.core import Rounds

NUDGE = "mentoring.answer-nudge"
MEET = "mentoring.meet-check"
UPDATE = "mentoring.update"
MET_ANSWERS = ("yes", "not-yet", "not-a-fit")


def nudge_key(pair_id: int) -> str:
    return f"mentoring:{pair_id}:nudge"


def meet_key(pair_id: int) -> str:
    return f"mentoring:{pair_id}:meet"


def update_key(pair_id: int) -> str:
    return f"mentoring:{pair_id}:update"


def nudge(pair: int, mentee_id: str, due: datetime) -> NewJob:
    """The answer nudge of a new pair, for `schedule_many` (a round has thousands)."""
    return NewJob(NUDGE, due, mentee_id, {"pair_id": pair}, key=nudge_key(pair))


async def schedule_meet_check(
    conn: AsyncConnection,
    community_id: str,
    pair: int,
    mentee_id: str,
    due: datetime,
    now: datetime,
) -> None:
    await schedule(
        conn,
        community_id=community_id,
        kind=MEET,
        due_at=due,
        now=now,
        member_id=mentee_id,
        payload={"pair_id": pair},
        key=meet_key(pair),
    )


async def schedule_updates(
    conn: AsyncConnection,
    community_id: str,
    pair: int,
    mentee_id: str,
    mentee_zone: str,
    update_days: int,
    now: datetime,
) -> None:
    """The recurring mentor-update reminder, from the day a pair says they met."""
    start = now + timedelta(days=update_days)
    await schedule(
        conn,
        community_id=community_id,
        kind=UPDATE,
        due_at=start,
        now=now,
        member_id=mentee_id,
        payload={"pair_id": pair},
        recurrence={"interval": {"days": update_days}, "start": start.isoformat()},
        timezone=mentee_zone,
        key=update_key(pair),
    )


async def stop_pair(conn: AsyncConnection, community_id: str, pair_id: int) -> None:
    keys = [nudge_key(pair_id), meet_key(pair_id), update_key(pair_id)]
    await cancel(conn, community_id, keys=keys)


async def _pair(rounds: Rounds, job: Job) -> tuple[Pair, dict[str, str], str] | None:
    async with rounds.db.connect() as conn:
        pair = await store.get_pair(conn, job.community_id, int(job.payload.get("pair_id", 0)))
        if pair is None or pair.status not in store.LIVE_PAIR:
            return None
        names = await store.names(conn, job.community_id, [pair.mentee_id, pair.mentor_id])
        signups = await store.signups_of(conn, job.community_id, pair.mentee_id)
    pack = next((s.pack for s in signups if s.role == MENTEE), "")
    return pair, names, pack


@job_kind(NUDGE)
async def answer_nudge(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    """One reminder to whichever side has not answered a still-open introduction."""
    loaded = await _pair(rounds, job)
    if loaded is None:
        return []
    pair, names, _ = loaded
    if pair.status != "proposed":
        return []
    msg = rounds.content.msg
    posts = []
    for member, role, answer in (
        (pair.mentee_id, MENTEE, pair.mentee_answer),
        (pair.mentor_id, MENTOR, pair.mentor_answer),
    ):
        if answer is not None:
            continue
        other = names.get(pair.other(member), pair.other(member))
        posts.append(
            Post(
                Target(job.community_id, member_id=member),
                Response(
                    title=msg("mentoring_nudge_title", name=other),
                    text=msg("mentoring_nudge_text", name=other),
                    buttons=(
                        Button(
                            msg("mentoring_button_accept"), f"{role} accept {pair.id}", "primary"
                        ),
                        Button(
                            msg("mentoring_button_decline"), f"{role} decline {pair.id}", "danger"
                        ),
                    ),
                    ephemeral=False,
                    dm=True,
                    data={"mentoring_nudge": {"pair": pair.id, "role": role}},
                ),
                key=f"mentoring:{pair.id}:nudge:{role}",
            )
        )
    if posts:
        async with rounds.db.begin() as conn:
            await store.update_pair(conn, job.community_id, pair.id, now, nudged_at=now)
    return posts


@job_kind(MEET)
async def meet_check(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    loaded = await _pair(rounds, job)
    if loaded is None:
        return []
    pair, names, _ = loaded
    if pair.status != "accepted" or pair.met in ("yes", "not-a-fit"):
        return []  # "did you meet?" only once both sides said yes
    msg = rounds.content.msg
    posts = []
    for member, role in ((pair.mentee_id, MENTEE), (pair.mentor_id, MENTOR)):
        other = names.get(pair.other(member), pair.other(member))
        buttons = tuple(
            Button(
                msg(f"mentoring_button_met_{answer.replace('-', '_')}"),
                f"{role} met {pair.id} {answer}",
                "primary" if answer == "yes" else "secondary",
            )
            for answer in MET_ANSWERS
        )
        posts.append(
            Post(
                Target(job.community_id, member_id=member),
                Response(
                    title=msg("mentoring_meet_title"),
                    text=msg(f"mentoring_meet_{role}", name=other),
                    buttons=buttons,
                    ephemeral=False,
                    dm=True,
                    data={"mentoring_meet_check": {"pair": pair.id, "role": role}},
                ),
                key=f"mentoring:{pair.id}:meet:{role}:{job.sent_count}",
            )
        )
    return posts


@job_kind(UPDATE)
async def update_reminder(rounds: Rounds, job: Job, now: datetime) -> Sequence[Post]:
    loaded = await _pair(rounds, job)
    if loaded is None:
        return []
    pair, names, pack_id = loaded
    if pair.met == "not-a-fit":
        return []
    msg = rounds.content.msg
    pack, _ = section(rounds.content, pack_id)
    days = pack.cadences.mentor_update_days
    mentor = names.get(pair.mentor_id, pair.mentor_id)
    return [
        Post(
            Target(job.community_id, member_id=pair.mentee_id),
            Response(
                title=msg("mentoring_update_title", name=mentor),
                text=msg("mentoring_update_text", name=mentor, lo=days.min, hi=days.max),
                ephemeral=False,
                dm=True,
                data={"mentoring_update": {"pair": pair.id}},
            ),
            key=f"mentoring:{pair.id}:update:{job.sent_count}",
        )
    ]
