"""/checkin: the weekly form, its answers, weeks away with notice, and history."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.commands import Command, OptionSpec
from bot.context import Context
from bot.errors import NotAllowed, UserError
from bot.features.groups import store, view
from bot.features.groups.answers import Answers, build_form, parse_answers
from bot.features.groups.content import CheckinSection
from bot.features.groups.streaks import LOOKBACK_WEEKS, mark, streak
from bot.features.groups.suggestions import SUGGESTERS, suggestion_params, suggestions
from bot.registry import registry
from bot.responses import Button, Post, Response, Target
from bot.text import clean_text
from bot.timelang.words import COUNT_WORDS

WEEK = timedelta(days=7)

registry.command("checkin", "Your weekly check-in with your peer group", default="open")


def _section(ctx: Context, group: store.Group) -> CheckinSection:
    """The group's pack words the questions, so every member answers the same ones."""
    return view.section(ctx.rounds.content, group)


async def _state(
    ctx: Context, *, form: bool = False, suggest: bool = False
) -> tuple[store.MemberState, store.Group, date]:
    """The member's group and recent weeks (and, with `suggest`, the counts behind
    suggested commitments), in one round trip shared with those asking meanwhile."""
    since = ctx.now().date() - timedelta(weeks=LOOKBACK_WEEKS + 1)
    suggesters = tuple(SUGGESTERS) if suggest else ()
    params = tuple(sorted(suggestion_params(ctx).items())) if suggest else ()
    key = store.StateKey(ctx.community_id, ctx.member_id, since, suggesters, params)
    state = await ctx.db.batched(store.member_states)(key)
    if state.group is None:
        if form:
            raise NotAllowed(ctx.msg("checkin_not_in_group", hint=ctx.msg("group_none")))
        raise UserError(ctx.msg("group_none"))
    return state, state.group, view.current_week(state.group, ctx.now())


def _last_commitments(state: store.MemberState, week: date) -> list[str]:
    """The commitments of the member's latest check-in before `week`."""
    earlier = [w for w in state.checkins if w < week]
    return list(state.checkins[max(earlier)].commitments) if earlier else []


@registry.sub("checkin", "open", "Open this week's check-in form", opens_form=True)
async def open_form(ctx: Context, cmd: Command) -> Response:
    state, group, week = await _state(ctx, suggest=True)
    sec = _section(ctx, group)
    last = _last_commitments(state, week)
    mine = state.checkins.get(week)
    current = Answers(mine.review, mine.win, mine.blocker, mine.commitments) if mine else None
    cycle, now = group.cycle, ctx.now()
    deadline = view.local(cycle.deadline_at(week), cycle.timezone)
    early = view.is_early(group, week, now)
    lines = [
        ctx.msg(
            "checkin_form_text_early" if early else "checkin_form_text",
            week=view.week_label(week),
            name=group.name,
            deadline=deadline,
            prompt=view.local(cycle.prompt_at(week), cycle.timezone),
        )
    ]
    if last:
        lines.append(ctx.msg("checkin_form_last"))
        lines += [f"{i}. {t}" for i, t in enumerate(last, 1)]
    else:
        lines.append(ctx.msg("checkin_form_first"))
    suggested = suggestions(ctx, state.suggested)
    if suggested:
        lines.append(ctx.msg("checkin_form_suggested"))
        lines += [f"- {s}" for s in suggested]
    form = build_form(sec, group.id, week, last, current, suggested)
    data = {
        "checkin_form": {
            "group": group.name,
            "week": week.isoformat(),
            "early": early,
            "last": last,
            "suggested": suggested,
        }
    }
    return Response(text="\n".join(lines), form=form, data=data)


@registry.sub(
    "checkin",
    "save",
    "Save the check-in form",
    OptionSpec("group", "the group the form is for", kind="int"),
    OptionSpec("week", "the week the form is for (YYYY-MM-DD)"),
    hidden=True,
)
async def save(ctx: Context, cmd: Command) -> Response:
    state, group, current = await _state(ctx, form=True)
    if str(group.id) != cmd.opt("group"):
        hint = ctx.msg("checkin_hint_own", name=group.name)
        raise NotAllowed(ctx.msg("checkin_not_in_group", hint=hint))
    try:
        week = date.fromisoformat(cmd.opt("week"))
    except ValueError:
        raise UserError(ctx.msg("checkin_week_bad", week=cmd.opt("week")[:20])) from None
    if week < current:
        raise UserError(ctx.msg("checkin_week_closed", week=view.week_label(week)))
    if week != current:
        raise UserError(ctx.msg("checkin_week_bad", week=week.isoformat()))
    sec = _section(ctx, group)
    last = _last_commitments(state, week)
    answers = parse_answers(sec, week, last, dict(cmd.options))
    now = ctx.now()
    async with ctx.db.begin() as conn:
        revision = await store.save_checkin(
            conn,
            ctx.community_id,
            ctx.member_id,
            week,
            group.id,
            review=answers.review,
            win=answers.win,
            blocker=answers.blocker,
            commitments=answers.commitments,
            now=now,
        )
    before = state.checkins.get(week)
    saved = store.Checkin(
        week,
        group.id,
        answers.review,
        answers.win,
        answers.blocker,
        answers.commitments,
        revision,
        now,
        bool(before and before.wants_help and answers.blocker),
    )
    checked = {*state.checkins, week}
    grace = sec.streaks.grace_skipped_weeks
    run = streak(checked, state.skips.keys(), week, group.cycle.is_open(week, now), grace)
    key = "checkin_saved" if revision == 1 else "checkin_updated"
    post = view.checkin_post(ctx.msg, sec, ctx.member_id, saved, again=revision > 1)
    others = [m for m in state.mates if m != ctx.member_id]
    also = view.to_group(
        ctx.community_id,
        group,
        ctx.community.settings,
        others,
        post,
        f"checkin:{group.id}:{ctx.member_id}:{week.isoformat()}:{revision}",
        week,
    )
    data = {
        "checkin": {
            "member": ctx.member_id,
            "group": group.name,
            "week": week.isoformat(),
            "revision": revision,
            "streak": run,
            "review": answers.review,
            "commitments": answers.commitments,
        }
    }
    text = ctx.msg(key, week=view.week_label(week), streak=run)
    buttons: tuple[Button, ...] = ()
    if answers.blocker and not saved.wants_help:
        text += "\n" + ctx.msg("checkin_help_offer")
        buttons = (Button(ctx.msg("checkin_help_button"), "checkin help"),)
    return Response(text=text, also=tuple(also), buttons=buttons, data=data)


@registry.sub(
    "checkin",
    "help",
    "Ask your group (and the organisers) for help with this week's blocker",
    OptionSpec("answer", "'off' to withdraw the request", required=False, max_length=10),
)
async def ask_help(ctx: Context, cmd: Command) -> Response:
    state, group, week = await _state(ctx)
    mine = state.checkins.get(week)
    if mine is None or not mine.blocker:
        raise UserError(ctx.msg("checkin_help_no_blocker"))
    wants = cmd.opt("answer").strip().lower() not in ("off", "no", "stop")
    async with ctx.db.begin() as conn:
        await store.set_wants_help(conn, ctx.community_id, ctx.member_id, week, wants)
    data = {"help": {"week": week.isoformat(), "wants_help": wants}}
    if not wants:
        return Response(text=ctx.msg("checkin_help_withdrawn"), data=data)
    post = Response(
        text=ctx.msg("checkin_help_post", member=ctx.member_id, text=mine.blocker),
        ephemeral=False,
        buttons=(view.offer_button(ctx.msg, ctx.member_id, week),),
        data={"group_event": {"kind": "help", "member": ctx.member_id, "week": week.isoformat()}},
    )
    others = [m for m in state.mates if m != ctx.member_id]
    also = view.to_group(
        ctx.community_id,
        group,
        ctx.community.settings,
        others,
        post,
        f"checkin:{group.id}:{ctx.member_id}:{week.isoformat()}:help",
        week,
    )
    return Response(text=ctx.msg("checkin_help_asked"), also=tuple(also), data=data)


@registry.sub(
    "checkin",
    "offer",
    "Offer help with a group-mate's blocker",
    OptionSpec("member", "who asked for help"),
    OptionSpec("week", "the week of their check-in (YYYY-MM-DD)"),
    hidden=True,
)
async def offer_help(ctx: Context, cmd: Command) -> Response:
    state, group, _ = await _state(ctx)
    asker = cmd.opt("member")
    try:
        week = date.fromisoformat(cmd.opt("week"))
    except ValueError:
        raise UserError(ctx.msg("checkin_offer_gone")) from None
    if asker == ctx.member_id:
        raise UserError(ctx.msg("checkin_offer_self"))
    if asker not in state.mates:
        raise NotAllowed(ctx.msg("checkin_offer_not_mate", name=group.name))
    async with ctx.db.connect() as conn:
        weeks = await store.group_weeks(conn, ctx.community_id, group.id, week)
    theirs = weeks.checkins.get(asker, {}).get(week)
    if theirs is None or not (theirs.wants_help and theirs.blocker):
        raise UserError(ctx.msg("checkin_offer_gone"))
    dm = Response(
        text=ctx.msg("checkin_offer_dm", member=ctx.member_id, text=theirs.blocker),
        dm=True,
        data={"help_offer": {"from": ctx.member_id, "week": week.isoformat()}},
    )
    key = f"checkin:{group.id}:{asker}:{week.isoformat()}:offer:{ctx.member_id}"
    post = Post(Target(ctx.community_id, member_id=asker), dm, key)
    return Response(
        text=ctx.msg("checkin_offer_sent", member=asker),
        also=(post,),
        data={"help_offer": {"to": asker, "week": week.isoformat()}},
    )


@registry.sub(
    "checkin",
    "skip",
    "Tell your group you are away (exams, rotations, holidays)",
    OptionSpec(
        "weeks", "how many weeks from this one, or next week", required=False, max_length=20
    ),
    OptionSpec("reason", "why (only you see it)", kind="text", required=False, max_length=300),
)
async def skip(ctx: Context, cmd: Command) -> Response:
    state, group, week = await _state(ctx)
    sec = _section(ctx, group)
    count, next_week, reason = _away(f"{cmd.opt('weeks')} {cmd.opt('reason')}")
    top = sec.streaks.max_skip_weeks
    if not 1 <= count <= top:
        raise UserError(ctx.msg("checkin_skip_weeks_bad", max=top))
    reason = clean_text(reason, field="the reason", max_length=200, required=False)
    now = ctx.now()
    if next_week:  # the calendar week after this one, in the group's zone
        today = now.astimezone(group.cycle.zone).date()
        week = today - timedelta(days=today.weekday()) + WEEK
    elif week in state.checkins or not group.cycle.is_open(week, now):
        week += WEEK  # this week is answered or over: the notice starts with the next one
    weeks = [week + WEEK * i for i in range(count)]
    async with ctx.db.begin() as conn:
        await store.add_skips(conn, ctx.community_id, ctx.member_id, weeks, reason, now)
    labels = ", ".join(view.week_label(w) for w in weeks)
    text = ctx.msg("checkin_skip_done", weeks=labels)
    text += " " + ctx.msg("checkin_skip_grace", grace=sec.streaks.grace_skipped_weeks)
    return Response(text=text, data={"skip": {"weeks": [w.isoformat() for w in weeks]}})


# How long and from when, as members say it before the reason: "2", "3 weeks",
# "for the next two weeks", "next week", "this week".
_COUNT = re.compile(r"(?:for\s+)?(?:the\s+)?(?:next\s+)?(\w+)(?:\s+weeks?\b)?\s*", re.I)
_WHICH = re.compile(r"(this|next|coming)\s+week\b\s*|the\s+week\s+after\b\s*", re.I)


def _away(text: str) -> tuple[int, bool, str]:
    """(weeks, whether they start next week, the reason) from a skip's words."""
    text = text.strip()
    which = _WHICH.match(text)
    if which:
        return 1, (which.group(1) or "next").lower() != "this", text[which.end() :].strip()
    counted = _COUNT.match(text)
    if counted:
        word = counted.group(1).lower()
        number = int(word) if word.isdigit() else COUNT_WORDS.get(word)
        said_weeks = "week" in counted.group(0).lower()
        if number is not None and (word.isdigit() or said_weeks):
            return number, False, text[counted.end() :].strip()
    return 1, False, text  # "/checkin skip holiday": all of it is the reason


@registry.sub("checkin", "history", "Your recent weeks and your streak")
async def history(ctx: Context, cmd: Command) -> Response:
    state, group, week = await _state(ctx)
    sec = _section(ctx, group)
    now = ctx.now()
    checked, skipped = state.checkins.keys(), state.skips.keys()
    if view.is_early(group, week, now) and week not in checked and week not in skipped:
        week -= WEEK  # the coming week has nothing yet: start from the last one
    open_ = group.cycle.is_open(week, now)
    first = view.first_week(group.cycle, state.joined_at) if state.joined_at else week
    lines, rows = [], []
    for i in range(sec.streaks.history_weeks):
        w = week - WEEK * i
        m: str = mark(w, checked, skipped, open_ and i == 0)
        if m == "missed" and w < first and not any(c <= w for c in checked):
            m = "before"
        c = state.checkins.get(w)
        kept = view.kept(sec, c.review) if c else 0
        key = f"checkin_mark_{m}" + ("_first" if c and not c.review else "")
        text = ctx.msg(key, kept=kept, reviewed=len(c.review) if c else 0)
        lines.append(ctx.msg("checkin_history_line", week=view.week_label(w), mark=text))
        rows.append(
            {
                "week": w.isoformat(),
                "mark": m,
                "kept": kept,
                "commitments": c.commitments if c else [],
            }
        )
        if m == "before":
            break
    run = streak(checked, skipped, week, open_, sec.streaks.grace_skipped_weeks)
    lines.append(ctx.msg("checkin_history_streak", streak=run))
    return Response(
        title=ctx.msg("checkin_history_title"),
        text="\n".join(lines),
        data={"history": {"group": group.name, "streak": run, "weeks": rows}},
    )
