"""Organisers run rounds (`/mentor round open|close|preview|publish`); members
answer introductions (accept / decline, with a re-match on decline) and the
"did you meet?" check."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.commands import Command, OptionSpec
from bot.context import Context
from bot.errors import NotFound, UserError, Worded
from bot.features.conference.dates import day_label, today_in
from bot.features.mentoring import followups, plans, signups, store
from bot.features.mentoring.introductions import Memo, Msg, introductions, notice, section
from bot.features.mentoring.planning import Left, Plan, Proposal, make_plan
from bot.features.mentoring.store import MENTEE, MENTOR, Pair, Round, Signup
from bot.features.reminders.when import local as local_time
from bot.registry import registry
from bot.responses import Button, Post, Response, Target
from bot.scheduling.jobs import NewJob, cancel, schedule_many
from bot.text import shorten
from bot.timelang import NeedsChoice, read_day
from bot.timelang.choices import ask, exact_day

_ = signups  # declares /mentor and /mentee; members' subcommands come first in /help
ACTIONS = ("open", "close", "preview", "publish", "status")
SHOWN = 15  # pairs / unmatched listed in a preview's text (all are in data)


async def _current(conn: AsyncConnection, ctx: Context) -> Round:
    current = await store.current_round(conn, ctx.community_id)
    if current is None:
        raise UserError(ctx.msg("mentoring_round_none"))
    return current


async def pool_of(conn: AsyncConnection, community_id: str, rnd: Round) -> list[Signup]:
    """The round's pool: frozen at close, else the live sign-ups."""
    if rnd.pool is not None:
        return [Signup.from_json(s) for s in rnd.pool]
    return await store.active_signups(conn, community_id)


async def _plan(ctx: Context, keep: bool) -> tuple[Round, list[Signup], Plan]:
    async with ctx.db.connect() as conn:
        rnd = await _current(conn, ctx)
        pool = await pool_of(conn, ctx.community_id, rnd)
        forbidden = await store.forbidden_pairs(conn, ctx.community_id)
    content = ctx.rounds.content
    plan = await plans.round_plan(
        ctx.db, content, ctx.community_id, rnd, pool, forbidden, ctx.now(), keep
    )
    return rnd, pool, plan


def _pair_line(ctx: Context, p: Proposal) -> str:
    return ctx.msg(
        "mentoring_preview_pair",
        mentee=p.mentee.name,
        mentor=p.mentor.name,
        fit=f"{p.fit:.0f}",
        why=p.why,
    )


def _summary(ctx: Context, rnd: Round, plan: Plan) -> str:
    spread = plan.spread()
    lines = [
        ctx.msg(
            "mentoring_preview_counts",
            id=rnd.id,
            pairs=len(plan.proposals),
            mentees=len(plan.proposals) + len(plan.unmatched),
            mentors=plan.mentors,
            slots=plan.slots,
            seed=rnd.seed,
        )
    ]
    if spread:
        lines.append(
            ctx.msg(
                "mentoring_preview_spread",
                **{k: f"{v:.0f}" for k, v in spread.items()},
            )
        )
    return "\n".join(lines)


async def round_cmd(ctx: Context, cmd: Command) -> Response:
    action = cmd.opt("action")
    if action == "open":
        return await _open(ctx, cmd)
    if action == "close":
        return await _close(ctx)
    if action == "preview":
        return await _preview(ctx)
    if action == "status":
        return await _status(ctx)
    # publish takes no seed: typed "publish in 2 weeks", the first word lands in its place
    words = f"{cmd.opt('seed')} {cmd.opt('next')}"
    try:
        next_round = _next_round(ctx, words)
    except NeedsChoice as exc:  # 03/04, or a far date without a year: the organiser picks
        zone = exc.tz
        return ask(
            ctx.msg, exc, lambda r: f"mentor round publish next={exact_day(r, zone)}", days=True
        )
    return await _publish(ctx, next_round)


def _next_round(ctx: Context, raw: str) -> date | None:
    """The day the next round opens, which unmatched mentees are told (optional):
    the organiser's words ('1 mar', 'in 4 weeks') in their zone, after today."""
    if not raw.strip():
        return None
    tz, now = ctx.membership.tz_name, ctx.now()
    try:
        day = read_day(raw, now, tz)
    except Worded as exc:
        if exc.key != "day_unreadable":  # a choice to ask, or a date that is no date
            raise
        raise UserError(ctx.msg("mentoring_bad_next", given=shorten(raw.strip(), 40))) from None
    today = today_in(now, tz)
    if day <= today:
        raise UserError(
            ctx.msg("mentoring_next_not_ahead", day=day_label(day), today=day_label(today))
        )
    return day


async def _open(ctx: Context, cmd: Command) -> Response:
    raw = cmd.opt("seed")
    if raw and not (raw.isascii() and raw.isdigit()):
        raise UserError(ctx.msg("mentoring_bad_seed"))
    seed = int(raw) if raw else int(ctx.now().timestamp()) % 1_000_000
    if not 0 <= seed < 2**31:
        raise UserError(ctx.msg("mentoring_bad_seed"))
    async with ctx.db.begin() as conn:
        current = await store.current_round(conn, ctx.community_id)
        if current is not None:
            raise UserError(ctx.msg("mentoring_round_exists", id=current.id, status=current.status))
        round_id = await store.open_round(conn, ctx.community_id, ctx.member_id, seed, ctx.now())
    also: tuple[Post, ...] = ()
    channel = ctx.community.settings.get("announce-channel")
    if channel:
        also = (
            Post(
                Target(ctx.community_id, channel_id=str(channel)),
                Response(
                    title=ctx.msg("mentoring_announce_title"),
                    text=ctx.msg("mentoring_announce_text"),
                    buttons=(
                        Button(ctx.msg("mentoring_button_signup_mentor"), "mentor signup"),
                        Button(
                            ctx.msg("mentoring_button_signup_mentee"), "mentee signup", "primary"
                        ),
                    ),
                    ephemeral=False,
                ),
                key=f"mentoring:round:{round_id}:announce",
            ),
        )
    return Response(
        text=ctx.msg("mentoring_round_opened", id=round_id, seed=seed),
        data={"round": {"id": round_id, "status": "open", "seed": seed}},
        also=also,
    )


async def _close(ctx: Context) -> Response:
    async with ctx.db.begin() as conn:
        rnd = await _current(conn, ctx)
        if rnd.status != "open":
            raise UserError(ctx.msg("mentoring_round_not_open", id=rnd.id))
        pool = await store.active_signups(conn, ctx.community_id)
        await store.update_round(
            conn,
            ctx.community_id,
            rnd.id,
            status="closed",
            closed_at=ctx.now(),
            pool=[s.to_json() for s in pool],
        )
    mentors = sum(1 for s in pool if s.role == MENTOR)
    return Response(
        text=ctx.msg(
            "mentoring_round_closed", id=rnd.id, mentors=mentors, mentees=len(pool) - mentors
        ),
        data={"round": {"id": rnd.id, "status": "closed", "pool": len(pool)}},
    )


async def _preview(ctx: Context) -> Response:
    rnd, _, plan = await _plan(ctx, keep=True)
    lines = [_summary(ctx, rnd, plan)]
    if plan.proposals:
        lines.append(f"\n**{ctx.msg('mentoring_preview_pairs')}**")
        lines.extend(_pair_line(ctx, p) for p in plan.proposals[:SHOWN])
        if len(plan.proposals) > SHOWN:
            lines.append(ctx.msg("mentoring_preview_more", n=len(plan.proposals) - SHOWN))
    if plan.unmatched:
        lines.append(f"\n**{ctx.msg('mentoring_preview_unmatched')}**")
        lines.extend(
            ctx.msg("mentoring_preview_left", mentee=u.mentee.name, why=u.text)
            for u in plan.unmatched[:SHOWN]
        )
        if len(plan.unmatched) > SHOWN:
            lines.append(ctx.msg("mentoring_preview_more", n=len(plan.unmatched) - SHOWN))
    if plan.load:
        lines.append(f"\n**{ctx.msg('mentoring_preview_load')}**")
        full = ctx.msg("mentoring_preview_load_full")
        lines.extend(
            ctx.msg(
                "mentoring_preview_load_line",
                mentor=x.mentor.name,
                pairs=x.pairs,
                capacity=x.mentor.capacity,
                full=full if x.full else "",
            )
            for x in plan.load[:SHOWN]
        )
        if len(plan.load) > SHOWN:
            lines.append(ctx.msg("mentoring_preview_more", n=len(plan.load) - SHOWN))
    return Response(
        title=ctx.msg("mentoring_preview_title", id=rnd.id),
        text=shorten("\n".join(lines), 3800),
        buttons=(Button(ctx.msg("mentoring_button_publish"), "mentor round publish", "primary"),),
        data={"preview": {"round": rnd.id, "seed": rnd.seed, **plan.to_data()}},
    )


async def _publish(ctx: Context, next_round: date | None) -> Response:
    rnd, pool, plan = await _plan(ctx, keep=False)
    now = ctx.now()
    posts: list[Post] = []
    left = [
        {"member_id": u.mentee.member_id, "reason": u.reason, "why": u.text} for u in plan.unmatched
    ]
    memo = Memo()
    async with ctx.db.begin() as conn:
        # a pool frozen at close is stored already
        frozen = None if rnd.pool is not None else [s.to_json() for s in pool]
        claimed = await store.publish_round(conn, ctx.community_id, rnd.id, now, frozen, left)
        if not claimed:
            raise UserError(ctx.msg("mentoring_round_none"))
        await plans.drop(conn, ctx.community_id)
        ids = await store.add_pairs(
            conn,
            ctx.community_id,
            rnd.id,
            [(p.mentee.member_id, p.mentor.member_id, p.fit, p.why) for p in plan.proposals],
            now,
        )
        nudges = []
        for pair_id, p in zip(ids, plan.proposals, strict=True):
            nudge, intros = _start_pair(ctx, pair_id, p, now, rematch=False, memo=memo)
            nudges.append(nudge)
            posts.extend(intros)
        await schedule_many(conn, ctx.community_id, nudges, now)
    msg = memo.msg(ctx.msg)
    posts.extend(_left_out(ctx, rnd, u, next_round, msg) for u in plan.unmatched)
    return Response(
        text=_summary(ctx, rnd, plan) + "\n" + ctx.msg("mentoring_published", id=rnd.id),
        data={
            "published": {
                "round": rnd.id,
                "pairs": [
                    {"id": i, "mentee": p.mentee.member_id, "mentor": p.mentor.member_id}
                    for i, p in zip(ids, plan.proposals, strict=True)
                ],
                "unmatched": [u.mentee.member_id for u in plan.unmatched],
            }
        },
        also=tuple(posts),
    )


def _left_out(ctx: Context, rnd: Round, u: Left, next_round: date | None, msg: Msg) -> Post:
    """The kind DM an unmatched mentee gets: the real reason and what happens next."""
    nxt = (
        msg("mentoring_left_next_date", date=f"{next_round:%a} {next_round.day} {next_round:%b %Y}")
        if next_round
        else msg("mentoring_left_next_waitlist")
    )
    text = msg(
        "mentoring_left_dm",
        id=rnd.id,
        why=u.member_text,
        next=nxt,
        ask=msg("mentoring_left_ask"),
    )
    return Post(
        Target(ctx.community_id, member_id=u.mentee.member_id),
        Response(
            title=msg("mentoring_left_title"),
            text=text,
            buttons=(Button(msg("mentoring_button_edit", role=MENTEE), "mentee signup"),),
            ephemeral=False,
            dm=True,
            data={
                "mentoring_unmatched": {
                    "round": rnd.id,
                    "reason": u.reason,
                    "constraint": u.constraint,
                    "next_round": next_round.isoformat() if next_round else None,
                }
            },
        ),
        key=f"mentoring:round:{rnd.id}:unmatched:{u.mentee.member_id}",
    )


async def _status(ctx: Context) -> Response:
    """Where the latest round stands: answers, unanswered introductions (and
    whether they were reminded), and who was left unmatched and why."""
    async with ctx.db.connect() as conn:
        rnd = await store.get_round(conn, ctx.community_id)
        if rnd is None:
            raise UserError(ctx.msg("mentoring_round_none"))
        if rnd.status != "published":
            pool = await pool_of(conn, ctx.community_id, rnd)
            mentors = sum(1 for s in pool if s.role == MENTOR)
            text = ctx.msg(
                "mentoring_status_unpublished",
                id=rnd.id,
                status=rnd.status,
                mentors=mentors,
                mentees=len(pool) - mentors,
            )
            return Response(
                text=text, data={"round_status": {"round": rnd.id, "status": rnd.status}}
            )
        pairs = await store.round_pairs(conn, ctx.community_id, rnd.id)
        names = await store.names(
            conn, ctx.community_id, [m for p in pairs for m in (p.mentee_id, p.mentor_id)]
        )
    zone = ctx.membership.tz_name
    counts = Counter(p.status for p in pairs)
    waiting = [p for p in pairs if p.status == "proposed"]
    unmatched = rnd.unmatched or []
    published = rnd.published_at or rnd.opened_at
    lines = [
        ctx.msg(
            "mentoring_status_counts",
            id=rnd.id,
            published=local_time(published, zone),
            accepted=counts["accepted"],
            waiting=len(waiting),
            declined=counts["declined"],
            ended=counts["ended"],
            unmatched=len(unmatched),
        )
    ]
    if waiting:
        lines.append(f"\n**{ctx.msg('mentoring_status_waiting')}**")
        for p in waiting[:SHOWN]:
            who = [
                names.get(m, m)
                for m, a in ((p.mentee_id, p.mentee_answer), (p.mentor_id, p.mentor_answer))
                if a is None
            ]
            nudged = (
                ctx.msg("mentoring_status_nudged", when=local_time(p.nudged_at, zone))
                if p.nudged_at
                else ""
            )
            lines.append(
                ctx.msg(
                    "mentoring_status_waiting_line",
                    mentee=names.get(p.mentee_id, p.mentee_id),
                    mentor=names.get(p.mentor_id, p.mentor_id),
                    who=" and ".join(who),
                    since=local_time(p.created_at or published, zone),
                    nudged=nudged,
                )
            )
    if unmatched:
        lines.append(f"\n**{ctx.msg('mentoring_status_unmatched')}**")
        lines.extend(
            ctx.msg("mentoring_preview_left", mentee=u["member_id"], why=u["why"])
            for u in unmatched[:SHOWN]
        )
    data = {
        "round_status": {
            "round": rnd.id,
            "status": rnd.status,
            "counts": dict(counts),
            "waiting": [
                {
                    "pair": p.id,
                    "mentee": p.mentee_id,
                    "mentor": p.mentor_id,
                    "nudged": p.nudged_at is not None,
                }
                for p in waiting
            ],
            "unmatched": [{"mentee": u["member_id"], "reason": u["reason"]} for u in unmatched],
        }
    }
    return Response(
        title=ctx.msg("mentoring_status_title", id=rnd.id),
        text=shorten("\n".join(lines), 3800),
        data=data,
    )


def _start_pair(
    ctx: Context, pair_id: int, p: Proposal, now: datetime, rematch: bool, memo: Memo | None = None
) -> tuple[NewJob, tuple[Post, Post]]:
    """Introductions for a new pair, and the job (for the scheduling engine) that
    reminds whoever has not answered in a few days."""
    pack, sec = section(ctx.rounds.content, p.mentee.pack)
    due = now + timedelta(days=sec.follow_up.answer_nudge_days)
    nudge = followups.nudge(pair_id, p.mentee.member_id, due)
    return nudge, introductions(
        ctx.community_id,
        pair_id,
        p.mentor,
        p.mentee,
        p.why,
        pack,
        sec,
        ctx.msg,
        now,
        rematch=rematch,
        memo=memo,
    )


async def _mine(conn: AsyncConnection, ctx: Context, cmd: Command) -> tuple[Pair, str]:
    raw = cmd.opt("pair")
    pair = await store.get_pair(conn, ctx.community_id, int(raw)) if raw.isdigit() else None
    role = pair.role_of(ctx.member_id) if pair else None
    if pair is None or role is None:
        raise NotFound(ctx.msg("mentoring_pair_unknown", id=raw[:20]))
    return pair, role


async def accept(ctx: Context, cmd: Command) -> Response:
    now = ctx.now()
    async with ctx.db.begin() as conn:
        pair, role = await _mine(conn, ctx, cmd)
        if pair.status not in store.LIVE_PAIR:
            raise UserError(ctx.msg("mentoring_pair_closed", status=pair.status))
        other_answer = pair.mentor_answer if role == MENTEE else pair.mentee_answer
        both = other_answer == "accepted"
        await store.update_pair(
            conn,
            ctx.community_id,
            pair.id,
            now,
            **{f"{role}_answer": "accepted"},
            **({"status": "accepted"} if both else {}),
        )
        if both:  # "did you meet?" counts from the day both said yes
            _, sec = section(ctx.rounds.content, await _pack_of(conn, ctx, pair))
            await cancel(conn, ctx.community_id, keys=[followups.nudge_key(pair.id)])
            due = now + timedelta(days=sec.follow_up.meet_check_days)
            await followups.schedule_meet_check(
                conn, ctx.community_id, pair.id, pair.mentee_id, due, now
            )
        names = await store.names(conn, ctx.community_id, [pair.other(ctx.member_id)])
    other = pair.other(ctx.member_id)
    name = names.get(other, other)
    me = ctx.profile.display_name or ctx.member_id
    return Response(
        text=ctx.msg("mentoring_accepted_both" if both else "mentoring_accepted", name=name),
        data={"pair": {"id": pair.id, "status": "accepted" if both else "proposed"}},
        also=(
            notice(
                ctx.community_id,
                other,
                ctx.msg("mentoring_other_accepted", name=me),
                f"mentoring:{pair.id}:accepted:{role}",
                pair=pair.id,
                event="accepted",
            ),
        ),
    )


async def decline(ctx: Context, cmd: Command) -> Response:
    now = ctx.now()
    posts: list[Post] = []
    async with ctx.db.begin() as conn:
        pair, role = await _mine(conn, ctx, cmd)
        if pair.status != "proposed":
            raise UserError(ctx.msg("mentoring_pair_closed", status=pair.status))
        await store.update_pair(
            conn,
            ctx.community_id,
            pair.id,
            now,
            status="declined",
            **{f"{role}_answer": "declined"},
        )
        await followups.stop_pair(conn, ctx.community_id, pair.id)
        new = await _rematch(ctx, conn, pair, now)
        names = await store.names(conn, ctx.community_id, [pair.mentee_id, pair.mentor_id])
        if new is not None:
            pair_id, proposal = new
            nudge, intros = _start_pair(ctx, pair_id, proposal, now, rematch=True)
            await schedule_many(conn, ctx.community_id, [nudge], now)
            posts.extend(intros)
    mentee_name = names.get(pair.mentee_id, pair.mentee_id)
    mentor_name = names.get(pair.mentor_id, pair.mentor_id)
    if role == MENTOR:
        # the mentee hears that this introduction is off, and what happens next
        key = "mentoring_declined_by_mentor_rematched" if new else "mentoring_declined_by_mentor"
        text = ctx.msg(key, name=mentor_name)
        posts.insert(
            0,
            notice(
                ctx.community_id,
                pair.mentee_id,
                text,
                f"mentoring:{pair.id}:declined",
                pair=pair.id,
                event="declined",
            ),
        )
        reply = ctx.msg("mentoring_declined_reply_mentor", name=mentee_name)
    else:
        text = ctx.msg("mentoring_declined_by_mentee", name=mentee_name)
        posts.insert(
            0,
            notice(
                ctx.community_id,
                pair.mentor_id,
                text,
                f"mentoring:{pair.id}:declined",
                pair=pair.id,
                event="declined",
            ),
        )
        reply = ctx.msg(
            "mentoring_declined_reply_mentee_rematched"
            if new
            else "mentoring_declined_reply_mentee"
        )
    return Response(
        text=reply,
        data={
            "pair": {"id": pair.id, "status": "declined"},
            "rematch": (
                {"pair": new[0], "mentor": new[1].mentor.member_id, "why": new[1].why}
                if new
                else None
            ),
        },
        also=tuple(posts),
    )


async def _rematch(
    ctx: Context, conn: AsyncConnection, pair: Pair, now: datetime
) -> tuple[int, Proposal] | None:
    """Put the mentee back in the pool: the best mentor with a free slot in the
    same round (never one they were paired with before), if there is one."""
    rnd = await store.get_round(conn, ctx.community_id, pair.round_id)
    signups = await store.signups_of(conn, ctx.community_id, pair.mentee_id)
    mentee = next((s for s in signups if s.role == MENTEE and s.active), None)
    if rnd is None or mentee is None:
        return None
    mentors = [
        s
        for s in await store.active_signups(conn, ctx.community_id, MENTOR)
        if s.pack == mentee.pack
    ]
    load = await store.live_load(conn, ctx.community_id, rnd.id)
    remaining = {s.member_id: max(0, s.capacity - load.get(s.member_id, 0)) for s in mentors}
    forbidden = await store.forbidden_pairs(conn, ctx.community_id, pair.mentee_id)
    plan = make_plan(
        ctx.rounds.content,
        [*mentors, mentee],
        forbidden,
        rnd.seed,
        rnd.opened_at,
        ctx.msg,
        remaining=remaining,
    )
    if not plan.proposals:
        return None
    proposal = plan.proposals[0]
    (pair_id,) = await store.add_pairs(
        conn,
        ctx.community_id,
        rnd.id,
        [(proposal.mentee.member_id, proposal.mentor.member_id, proposal.fit, proposal.why)],
        now,
    )
    return pair_id, proposal


async def _pack_of(conn: AsyncConnection, ctx: Context, pair: Pair) -> str:
    signups = await store.signups_of(conn, ctx.community_id, pair.mentee_id)
    return next((s.pack for s in signups if s.role == MENTEE), ctx.pack.id)


async def met(ctx: Context, cmd: Command) -> Response:
    answer = cmd.opt("answer")
    now = ctx.now()
    async with ctx.db.begin() as conn:
        pair, role = await _mine(conn, ctx, cmd)
        if pair.status not in store.LIVE_PAIR:
            raise UserError(ctx.msg("mentoring_pair_closed", status=pair.status))
        if pair.status != "accepted":
            raise UserError(ctx.msg("mentoring_met_not_accepted"))
        names = await store.names(conn, ctx.community_id, [pair.other(ctx.member_id)])
        signups = await store.signups_of(conn, ctx.community_id, pair.mentee_id)
        mentee = next((s for s in signups if s.role == MENTEE), None)
        pack, sec = section(ctx.rounds.content, mentee.pack if mentee else ctx.pack.id)
        values: dict[str, Any] = {"met": answer}
        if answer == "yes" and pair.met != "yes":
            await cancel(conn, ctx.community_id, keys=[followups.meet_key(pair.id)])
            await followups.schedule_updates(
                conn,
                ctx.community_id,
                pair.id,
                pair.mentee_id,
                mentee.timezone if mentee else ctx.community.timezone,
                pack.cadences.mentor_update_days.min,
                now,
            )
        elif answer == "not-a-fit":
            values["status"] = "ended"
            await followups.stop_pair(conn, ctx.community_id, pair.id)
        elif answer == "not-yet":
            days = sec.follow_up.not_yet_recheck_days
            await followups.schedule_meet_check(
                conn,
                ctx.community_id,
                pair.id,
                pair.mentee_id,
                now + timedelta(days=days),
                now,
            )
        await store.update_pair(conn, ctx.community_id, pair.id, now, **values)
    cad = pack.cadences.mentor_update_days
    key = f"mentoring_met_{answer.replace('-', '_')}" + (f"_{role}" if answer == "yes" else "")
    other = pair.other(ctx.member_id)
    text = ctx.msg(
        key,
        name=names.get(other, other),
        days=sec.follow_up.not_yet_recheck_days,
        lo=cad.min,
        hi=cad.max,
    )
    if answer == "not-yet":
        ctx.rounds.wake()
    return Response(text=text, data={"pair": {"id": pair.id, "met": answer, **values}})


PAIR = OptionSpec("pair", "the introduction's number", kind="int")

registry.sub(
    MENTOR,
    "round",
    "Organisers: open, close, preview or publish a matching round",
    OptionSpec("action", "what to do", kind="choice", choices=ACTIONS),
    OptionSpec("seed", "open: a tie-break seed (a whole number)", required=False, max_length=12),
    OptionSpec(
        "next",
        "publish: when the next round opens, e.g. 1 mar, in 4 weeks, 2027-03-01",
        kind="text",
        required=False,
        max_length=40,
    ),
    organiser_only=True,
)(round_cmd)
for _role in (MENTOR, MENTEE):
    registry.sub(_role, "accept", "Accept an introduction", PAIR, hidden=True)(accept)
    registry.sub(_role, "decline", "Decline an introduction", PAIR, hidden=True)(decline)
    registry.sub(
        _role,
        "met",
        "Answer 'did you meet?'",
        PAIR,
        OptionSpec(
            "answer", "yes, not-yet or not-a-fit", kind="choice", choices=followups.MET_ANSWERS
        ),
        hidden=True,
    )(met)
