"""/mentor and /mentee sign-ups: a two-step form (what you offer or seek, then
details), your mentoring profile, withdrawing, and excluding someone."""

from __future__ import annotations

import re
from typing import Any

from bot.background import BACKGROUNDS, NON_US_IMG, VISA_PATHS, VISAS
from bot.commands import Command, OptionSpec
from bot.content import Pack
from bot.context import Context
from bot.errors import NotFound, UserError
from bot.features.mentoring import commands, store
from bot.features.mentoring.content import MentoringSection
from bot.features.mentoring.introductions import profile_fields, section
from bot.features.mentoring.scoring import EXPERIENCED, IMG, NO_IMG
from bot.features.mentoring.store import MENTEE, MENTOR, Signup
from bot.focus import pick_focus
from bot.members import update_profile
from bot.registry import registry
from bot.responses import Button, Choice, Field, Form, FormField, Response
from bot.text import clean_text

ROLES = (MENTOR, MENTEE)
_ = commands  # /mentor and /mentee are declared there
GOAL_MAX = 300
_LANGUAGE = re.compile(r"^[a-z][a-z' -]{0,29}$")


def _img_choices(role: str) -> tuple[str, ...]:
    return (IMG, EXPERIENCED, NO_IMG) if role == MENTOR else (IMG, NO_IMG)


def _split(value: str) -> list[str]:
    return [p for p in (s.strip() for s in re.split(r"[,;\n]", value)) if p]


def _pick_many(
    value: str, options: list[tuple[str, str]], what: str, where: str, limit: int
) -> list[str]:
    """Ids from a comma list of ids or labels, case-insensitively."""
    out: list[str] = []
    for part in _split(value):
        wanted = part.lower()
        hit = next((i for i, label in options if wanted in (i, label.lower())), None)
        if hit is None:
            listed = ", ".join(i for i, _ in options)
            raise UserError(
                f"'{clean_text(part[:40], field=what, max_length=40)}' is not {what} {where}. "
                f"Choose from: {listed}."
            )
        if hit not in out:
            out.append(hit)
    if len(out) > limit:
        raise UserError(f"Please pick at most {limit} ({len(out)} given).")
    return out


def _pack(ctx: Context, value: str) -> Pack:
    wanted = value.strip().lower() or ctx.pack.id
    packs = ctx.rounds.content.packs
    for pack in packs.values():
        if wanted in (pack.id, pack.name.lower()):
            return pack
    raise UserError(f"'{wanted[:40]}' is not a specialty pack. Choose from: {', '.join(packs)}.")


def validate_main(ctx: Context, role: str, cmd: Command) -> dict[str, Any]:
    """Step one: pack, kinds, focus areas, stage, and capacity (mentors) or goal (mentees)."""
    pack = _pack(ctx, cmd.opt("pack"))
    sec = pack.section("mentoring", MentoringSection)
    msg = ctx.msg
    kinds = _pick_many(
        cmd.opt("kinds"),
        [(k.id, k.label) for k in sec.kinds],
        "a kind of mentoring",
        "here",
        len(sec.kinds),
    )
    if not kinds:
        raise UserError(msg(f"mentoring_need_kinds_{role}", kinds=_ids(sec.kinds)))
    focus = list(dict.fromkeys(pick_focus(pack, part) for part in _split(cmd.opt("focus"))))
    if len(focus) > sec.max_focus:
        raise UserError(f"Please pick at most {sec.max_focus} ({len(focus)} given).")
    stage_value = cmd.opt("stage").strip().lower()
    stage = next((s.id for s in sec.stages if stage_value in (s.id, s.label.lower())), None)
    if stage is None:
        raise UserError(msg("mentoring_bad_stage", stages=_ids(sec.stages)))
    values: dict[str, Any] = {"pack": pack.id, "kinds": kinds, "focus": focus, "stage": stage}
    if role == MENTOR:
        values["capacity"] = _capacity(cmd.opt("capacity"), sec, msg)
    else:
        values["goal"] = clean_text(cmd.opt("goal"), field="your goal", max_length=GOAL_MAX)
    return values


def _ids(items: Any) -> str:
    return ", ".join(i.id for i in items)


def _capacity(value: str, sec: MentoringSection, msg: Any) -> int:
    lo, hi = sec.capacity.min, sec.capacity.max
    text = value.strip()
    if not re.fullmatch(r"-?\d{1,6}", text):
        raise UserError(msg("mentoring_bad_capacity", given=text[:20] or "nothing", lo=lo, hi=hi))
    n = int(text)
    if not lo <= n <= hi:
        raise UserError(msg("mentoring_bad_capacity", given=n, lo=lo, hi=hi))
    return n


def _mentor_visas(ctx: Context, value: str) -> dict[str, list[str]]:
    """'j1, h1b, sponsor-j1': visas guided, and visas the program sponsors."""
    help_: list[str] = []
    sponsors: list[str] = []
    for part in _split(value):
        word = part.lower().replace(" ", "-").replace("h-1b", "h1b").replace("j-1", "j1")
        sponsor = word.startswith(("sponsor-", "sponsors-"))
        visa = word.split("-", 1)[1] if sponsor else word
        if visa not in VISAS:
            raise UserError(ctx.msg("mentoring_bad_visas", given=part[:20]))
        chosen = sponsors if sponsor else help_
        if visa not in chosen:
            chosen.append(visa)
    return {"visa_help": help_, "sponsors": sponsors}


def mentor_visas_text(s: Signup) -> str:
    return ", ".join([*s.visa_help, *(f"sponsor-{v}" for v in s.sponsors)])


def _visa_details(ctx: Context, role: str, cmd: Command) -> dict[str, Any]:
    """Background and visa path (mentees), visa experience and sponsorship (mentors)."""
    if role == MENTOR:
        return _mentor_visas(ctx, cmd.opt("visas"))
    out: dict[str, Any] = {}
    # The form's `img` box holds the background; "img" and "none" still read as before.
    background = (cmd.opt("background") or cmd.opt("img")).strip().lower()
    if background and background not in _img_choices(role):
        if background not in BACKGROUNDS:
            raise UserError(ctx.msg("mentoring_bad_background", choices=", ".join(BACKGROUNDS)))
        out["background"] = background
        out["img"] = NO_IMG if background == "us-grad" else IMG
    visa = cmd.opt("visa").strip().lower().replace("-", "")
    if visa and visa not in VISA_PATHS:
        raise UserError(ctx.msg("mentoring_bad_visa", choices=", ".join(VISA_PATHS)))
    if visa and out.get("background", NON_US_IMG) != NON_US_IMG:
        raise UserError(ctx.msg("mentoring_visa_not_needed"))
    out["visa"] = visa or None
    important = cmd.opt("visa_important").strip().lower()
    if important not in ("", "yes", "no"):
        raise UserError(ctx.msg("mentoring_bad_visa_important"))
    out["visa_important"] = important == "yes"
    return out


def validate_details(
    ctx: Context, role: str, cmd: Command, sec: MentoringSection
) -> dict[str, Any]:
    """Step two: IMG background (and visa) or experience, time zone, languages,
    (mentors) goal."""
    visa = _visa_details(ctx, role, cmd)
    img = visa.pop("img", None) or cmd.opt("img").strip().lower() or NO_IMG
    if img not in _img_choices(role):
        raise UserError(ctx.msg("mentoring_bad_img", choices=", ".join(_img_choices(role))))
    languages: list[str] = []
    for part in _split(cmd.opt("languages")):
        lang = part.lower()
        if not _LANGUAGE.match(lang):
            shown = clean_text(part[:30], field="language", max_length=30)
            raise UserError(ctx.msg("mentoring_bad_language", given=shown))
        if lang not in languages:
            languages.append(lang)
    if len(languages) > sec.max_languages:
        raise UserError(ctx.msg("mentoring_too_many_languages", n=sec.max_languages))
    values: dict[str, Any] = {
        "img": img,
        "timezone": ctx.zone(cmd.opt("timezone") or ctx.membership.tz_name).name,
        "languages": languages or [sec.common_language],
        **visa,
    }
    if role == MENTOR and "goal" in cmd.options:
        values["goal"] = clean_text(
            cmd.opt("goal"), field="what you offer", max_length=GOAL_MAX, required=False
        )
    return values


def _visa_values(s: Signup) -> dict[str, Any]:
    return {
        "background": s.background,
        "visa": s.visa,
        "visa_important": s.visa_important,
        "visa_help": list(s.visa_help),
        "sponsors": list(s.sponsors),
    }


def _choices(items: list[tuple[str, str]]) -> tuple[Choice, ...]:
    return tuple(Choice(i, label) for i, label in items)


async def _mine(ctx: Context, role: str) -> Signup | None:
    async with ctx.db.connect() as conn:
        rows = await store.signups_of(conn, ctx.community_id, ctx.member_id)
    return next((s for s in rows if s.role == role), None)


async def signup(ctx: Context, cmd: Command) -> Response:
    role = cmd.name
    mine = await _mine(ctx, role)
    pack = ctx.rounds.content.pack(mine.pack if mine else ctx.pack.id)
    sec = pack.section("mentoring", MentoringSection)
    msg = ctx.msg
    stage_default = (mine.stage if mine else ctx.profile.stage) or ""
    focus_default = list(mine.focus) if mine else list(ctx.profile.interests)
    fields = [
        FormField(
            "pack",
            msg("mentoring_label_pack"),
            kind="choice",
            default=pack.id,
            choices=tuple(Choice(k, p.name) for k, p in ctx.rounds.content.packs.items()),
        ),
        FormField(
            "kinds",
            msg(f"mentoring_label_kinds_{role}"),
            default=", ".join(mine.kinds) if mine else "",
            placeholder=", ".join(k.label for k in sec.kinds)[:100],
            max_length=200,
        ),
        FormField(
            "focus",
            msg("mentoring_label_focus"),
            required=False,
            default=", ".join(focus_default),
            placeholder=", ".join(i for i, _ in pack.choices("focus_areas"))[:100],
            max_length=300,
        ),
        FormField(
            "stage",
            msg("mentoring_label_stage"),
            kind="choice",
            default=stage_default if sec.stage(stage_default) else "",
            choices=_choices([(s.id, s.label) for s in sec.stages]),
        ),
    ]
    if role == MENTOR:
        fields.append(
            FormField(
                "capacity",
                msg("mentoring_label_capacity", lo=sec.capacity.min, hi=sec.capacity.max),
                kind="number",
                default=str(mine.capacity if mine else sec.capacity.min),
                max_length=3,
            )
        )
    else:
        fields.append(
            FormField(
                "goal",
                msg("mentoring_label_goal_mentee"),
                kind="paragraph",
                default=mine.goal if mine else "",
                placeholder=msg("mentoring_placeholder_goal_mentee"),
                max_length=GOAL_MAX,
            )
        )
    kinds = "\n".join(
        msg("mentoring_kind_line", label=k.label, description=k.description) for k in sec.kinds
    )
    intro = f"{msg(f'mentoring_kinds_intro_{role}', pack=pack.name)}\n{kinds}"
    form = Form(
        title=msg(f"mentoring_form_title_{role}"),
        submit=f"{role} save",
        fields=tuple(fields),
        submit_label=msg("mentoring_form_next"),
        intro=intro,
    )
    return Response(text=f"{msg(f'mentoring_signup_intro_{role}')}\n\n{intro}", form=form)


async def save(ctx: Context, cmd: Command) -> Response:
    role = cmd.name
    values = validate_main(ctx, role, cmd)
    now = ctx.now()
    async with ctx.db.begin() as conn:
        existing = next(
            (
                s
                for s in await store.signups_of(conn, ctx.community_id, ctx.member_id)
                if s.role == role
            ),
            None,
        )
        sec = ctx.rounds.content.packs[values["pack"]].section("mentoring", MentoringSection)
        defaults: dict[str, Any] = (
            {
                "img": existing.img,
                "timezone": existing.timezone,
                "languages": list(existing.languages),
                "goal": existing.goal,
                "capacity": existing.capacity,
                **_visa_values(existing),
            }
            if existing
            else {
                "img": NO_IMG,
                "timezone": ctx.membership.tz_name,
                "languages": [sec.common_language],
                "goal": "",
                "capacity": 1,
                "background": ctx.profile.background,
                "visa": ctx.profile.visa,
            }
        )
        values = {**defaults, **values}
        await store.save_signup(conn, ctx.community_id, ctx.member_id, role, values, now)
        current = await store.current_round(conn, ctx.community_id)
    key = "mentoring_signup_updated" if existing else "mentoring_signup_saved"
    if existing and not existing.active:
        key = "mentoring_signup_rejoined"
    round_note = (
        ctx.msg("mentoring_signup_round_open", id=current.id)
        if current and current.status == "open"
        else ctx.msg("mentoring_signup_next_round")
    )
    hint = ctx.msg("mentoring_signup_details_hint")
    return Response(
        text=f"{ctx.msg(key, role=role)} {round_note}\n\n{hint}",
        buttons=(Button(ctx.msg("mentoring_button_details"), f"{role} details", "primary"),),
        data={"mentoring_signup": {"role": role, "created": existing is None, **values}},
    )


async def details(ctx: Context, cmd: Command) -> Response:
    role = cmd.name
    mine = await _mine(ctx, role)
    if mine is None:
        raise NotFound(ctx.msg("mentoring_signup_first", role=role))
    msg = ctx.msg
    fields = [
        *_visa_fields(ctx, role, mine),
        FormField("timezone", msg("mentoring_label_zone"), default=mine.timezone, max_length=64),
        FormField(
            "languages",
            msg("mentoring_label_languages"),
            required=False,
            default=", ".join(mine.languages),
            placeholder=msg("mentoring_placeholder_languages"),
            max_length=160,
        ),
    ]
    if role == MENTOR:
        fields.append(
            FormField(
                "goal",
                msg("mentoring_label_goal_mentor"),
                kind="paragraph",
                required=False,
                default=mine.goal,
                placeholder=msg("mentoring_placeholder_goal_mentor"),
                max_length=GOAL_MAX,
            )
        )
    form = Form(
        title=msg(f"mentoring_details_title_{role}"),
        submit=f"{role} save-details",
        fields=tuple(fields),
        submit_label=msg("mentoring_form_save"),
    )
    return Response(text=msg("mentoring_details_intro"), form=form)


def _visa_fields(ctx: Context, role: str, mine: Signup) -> list[FormField]:
    """Mentors: IMG experience, visas guided, visas sponsored. Mentees: background,
    visa path (non-US IMGs), whether the visa matters in matching."""
    msg = ctx.msg
    if role == MENTOR:
        return [
            FormField(
                "img",
                msg("mentoring_label_img_mentor"),
                kind="choice",
                default=mine.img,
                choices=tuple(
                    Choice(c, msg(f"mentoring_img_choice_{c}_mentor")) for c in _img_choices(role)
                ),
            ),
            FormField(
                "visas",
                msg("mentoring_label_visas"),
                required=False,
                default=mentor_visas_text(mine),
                placeholder=msg("mentoring_placeholder_visas"),
                max_length=60,
            ),
        ]
    background = mine.background or ctx.profile.background or mine.img
    return [
        FormField(
            "img",
            msg("mentoring_label_background"),
            kind="choice",
            default=background,
            choices=tuple(
                Choice(b, msg(f"background_{b.replace('-', '_')}"))
                for b in (*BACKGROUNDS, *_img_choices(role))
            ),
        ),
        FormField(
            "visa",
            msg("mentoring_label_visa"),
            kind="choice",
            required=False,
            default=mine.visa or ctx.profile.visa or "",
            choices=tuple(Choice(v, msg(f"mentoring_visa_{v}")) for v in VISA_PATHS),
        ),
        FormField(
            "visa_important",
            msg("mentoring_label_visa_important"),
            kind="choice",
            required=False,
            default="yes" if mine.visa_important else "no",
            choices=(Choice("yes", msg("mentoring_yes")), Choice("no", msg("mentoring_no"))),
        ),
    ]


async def save_details(ctx: Context, cmd: Command) -> Response:
    role = cmd.name
    now = ctx.now()
    async with ctx.db.begin() as conn:
        rows = await store.signups_of(conn, ctx.community_id, ctx.member_id)
        mine = next((s for s in rows if s.role == role), None)
        if mine is None:
            raise NotFound(ctx.msg("mentoring_signup_first", role=role))
        _, sec = section(ctx.rounds.content, mine.pack)
        values = validate_details(ctx, role, cmd, sec)
        await store.save_signup(
            conn,
            ctx.community_id,
            ctx.member_id,
            role,
            {
                "pack": mine.pack,
                "kinds": list(mine.kinds),
                "focus": list(mine.focus),
                "stage": mine.stage,
                "capacity": mine.capacity,
                "goal": mine.goal,
                **_visa_values(mine),
                **values,
            },
            now,
        )
        if role == MENTEE and values.get("background"):
            await update_profile(
                conn,
                ctx.community_id,
                ctx.member_id,
                now,
                background=values["background"],
                visa=values.get("visa"),
            )
    return Response(
        text=ctx.msg("mentoring_details_saved", role=role),
        data={"mentoring_details": {"role": role, **values}},
    )


async def profile(ctx: Context, cmd: Command) -> Response:
    async with ctx.db.connect() as conn:
        mine = await store.signups_of(conn, ctx.community_id, ctx.member_id)
        excluded = await store.exclusions(conn, ctx.community_id, ctx.member_id)
        pairs = await store.pairs_of(conn, ctx.community_id, ctx.member_id)
        live = [p for p in pairs if p.status in store.LIVE_PAIR]
        names = await store.names(conn, ctx.community_id, [p.other(ctx.member_id) for p in live])
    if not mine:
        return Response(
            text=ctx.msg("mentoring_profile_none"),
            buttons=(
                Button(ctx.msg("mentoring_button_signup_mentor"), "mentor signup"),
                Button(ctx.msg("mentoring_button_signup_mentee"), "mentee signup", "primary"),
            ),
            data={"mentoring_profile": {}},
        )
    fields: list[Field] = []
    data: dict[str, Any] = {}
    for s in mine:
        pack, sec = section(ctx.rounds.content, s.pack)
        state = ctx.msg("mentoring_state_active" if s.active else "mentoring_state_withdrawn")
        fields.append(Field(ctx.msg(f"mentoring_profile_heading_{s.role}"), state))
        fields.extend(profile_fields(s.person(), s.role, pack, sec, ctx.msg))
        data[s.role] = s.to_json()
    mine_excluded = sorted(b for a, b in excluded if a == ctx.member_id)
    if mine_excluded:
        fields.append(Field(ctx.msg("mentoring_field_excluded"), ", ".join(mine_excluded)))
    if live:
        lines = [
            ctx.msg(
                f"mentoring_profile_pair_{p.role_of(ctx.member_id)}",
                name=names.get(p.other(ctx.member_id), p.other(ctx.member_id)),
                status=p.status,
            )
            for p in live
        ]
        fields.append(Field(ctx.msg("mentoring_field_pairs"), "\n".join(lines)))
    data["excluded"] = mine_excluded
    data["pairs"] = [p.id for p in live]
    return Response(
        title=ctx.msg("mentoring_profile_title"),
        fields=tuple(fields),
        buttons=tuple(
            Button(ctx.msg("mentoring_button_edit", role=s.role), f"{s.role} signup") for s in mine
        ),
        data={"mentoring_profile": data},
    )


async def withdraw(ctx: Context, cmd: Command) -> Response:
    role = cmd.name
    async with ctx.db.begin() as conn:
        changed = await store.set_active(
            conn, ctx.community_id, ctx.member_id, role, False, ctx.now()
        )
    if not changed:
        raise NotFound(ctx.msg("mentoring_signup_first", role=role))
    return Response(text=ctx.msg(f"mentoring_withdrawn_{role}"), data={"withdrawn": role})


async def exclude(ctx: Context, cmd: Command) -> Response:
    other = cmd.opt("member")
    if other == ctx.member_id:
        raise UserError(ctx.msg("mentoring_exclude_self"))
    async with ctx.db.begin() as conn:
        await store.add_exclusion(conn, ctx.community_id, ctx.member_id, other, ctx.now())
    return Response(text=ctx.msg("mentoring_excluded", member=other), data={"excluded": other})


async def include(ctx: Context, cmd: Command) -> Response:
    other = cmd.opt("member")
    async with ctx.db.begin() as conn:
        removed = await store.remove_exclusion(conn, ctx.community_id, ctx.member_id, other)
    if not removed:
        raise NotFound(ctx.msg("mentoring_not_excluded", member=other))
    return Response(text=ctx.msg("mentoring_included", member=other), data={"included": other})


MEMBER = OptionSpec("member", "the member", kind="member")

for _role in ROLES:
    registry.sub(_role, "signup", f"Sign up (or update your sign-up) as a {_role}")(signup)
    registry.sub(_role, "save", "Save the sign-up form", hidden=True)(save)
    registry.sub(_role, "details", f"Your {_role} details: IMG, time zone, languages")(details)
    registry.sub(_role, "save-details", "Save the details form", hidden=True)(save_details)
    registry.sub(_role, "profile", "Your mentoring sign-ups, exclusions and pairs")(profile)
    registry.sub(_role, "withdraw", f"Stop being matched as a {_role}")(withdraw)
    registry.sub(_role, "exclude", "Never be matched with this member", MEMBER)(exclude)
    registry.sub(_role, "include", "Undo an exclusion", MEMBER)(include)
