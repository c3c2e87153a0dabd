"""/profile: a member's time zone, training stage, specialty pack and interests."""

from __future__ import annotations

import re
from typing import Any

from bot.background import BACKGROUNDS, NON_US_IMG, VISA_PATHS
from bot.commands import Command, OptionSpec
from bot.content import Pack
from bot.context import Context
from bot.errors import NotFound, UserError
from bot.focus import pick_focus
from bot.members import Profile, get_profile, update_profile
from bot.registry import registry
from bot.responses import Button, Choice, Field, Form, FormField, Response
from bot.text import neutralise_mentions
from bot.zones import Zone

FIELDS = ("timezone", "stage", "pack", "interests", "name", "background", "visa")
# The words members use for a field ("/profile set zone Cairo", "/profile specialty ir")
FIELD_WORDS = (
    ("zone", "timezone"),
    ("tz", "timezone"),
    ("time-zone", "timezone"),
    ("time", "timezone"),  # "time zone Cairo": the second word is dropped with the value
    ("specialty", "pack"),
    ("speciality", "pack"),
    ("year", "stage"),
    ("interest", "interests"),
    ("focus", "interests"),
    ("visa-path", "visa"),
)

registry.command(
    "profile", "Your time zone, stage, specialty and interests", default="show", shorthand="set"
)


def _plain(word: str) -> str:
    """A word as compared: case, spaces, hyphens and underscores aside ("PGY-1" is pgy1)."""
    return re.sub(r"[\s_-]+", "", word.lower())


def _pick(pack: Pack, key: str, value: str, what: str) -> str:
    """Match an id or a label from a pack list, case, spaces and hyphens aside."""
    wanted = _plain(value)
    for item_id, label in pack.choices(key):
        if wanted in (_plain(item_id), _plain(label)):
            return item_id
    options = ", ".join(i for i, _ in pack.choices(key))
    raise UserError(
        f"'{value[:60]}' is not a {what} in the {pack.name} pack. Choose from: {options}."
    )


def _typed_zone(ctx: Context, value: str) -> Zone:
    """The zone a member typed, after a leading 'zone' ('/profile set timezone zone X')."""
    return ctx.zone(re.sub(r"^zone\s+", "", value.strip(), flags=re.IGNORECASE))


def _validate(ctx: Context, field: str, value: str, pack: Pack | None = None) -> dict[str, Any]:
    """One profile field from member text -> the column values to store."""
    if field == "timezone":
        return {"timezone": _typed_zone(ctx, value).name}
    if field == "pack":
        packs = ctx.rounds.content.packs
        chosen = next(
            (k for k, p in packs.items() if _plain(value) in (_plain(k), _plain(p.name))), None
        )
        if chosen is None:
            names = ", ".join(packs)
            raise UserError(f"'{value[:40]}' is not a specialty pack. Choose from: {names}.")
        return {"pack": chosen}
    pack = pack or ctx.pack
    if field == "stage":
        return {"stage": _pick(pack, "stages", value, "training stage")}
    if field == "interests":
        parts = [p for p in (s.strip() for s in value.split(",")) if p]
        if len(parts) > 10:
            raise UserError("Please pick at most 10 interests.")
        return {"interests": sorted({pick_focus(pack, p) for p in parts})}
    if field == "background":
        chosen = value.strip().lower()
        if chosen not in BACKGROUNDS:
            raise UserError(ctx.msg("profile_bad_background", choices=", ".join(BACKGROUNDS)))
        return {"background": chosen} | ({} if chosen == NON_US_IMG else {"visa": None})
    if field == "visa":
        chosen = value.strip().lower().replace("-", "")
        if chosen not in VISA_PATHS:
            raise UserError(ctx.msg("profile_bad_visa", choices=", ".join(VISA_PATHS)))
        if ctx.profile.background != NON_US_IMG:
            raise UserError(ctx.msg("profile_visa_not_needed"))
        return {"visa": chosen}
    if field == "name":
        name = value.strip()
        if not name or len(name) > 100:
            raise UserError("A display name needs 1 to 100 characters.")
        return {"display_name": neutralise_mentions(name)}
    raise UserError(f"I can't set '{field[:40]}'. Choose from: {', '.join(FIELDS)}.")


def _view(ctx: Context, profile: Profile, own: bool) -> Response:
    pack = ctx.rounds.content.pack(profile.pack or ctx.community.pack)
    tz = profile.timezone or ctx.community.timezone
    stage = pack.stage(profile.stage) if profile.stage else None
    areas = [pack.focus(i) for i in profile.interests]
    interests = ", ".join(a.label for a in areas if a) or "not set"
    fields: tuple[Field, ...] = (
        Field("Time zone", tz + ("" if profile.timezone else " (community default)"), True),
        Field("Stage", stage.label if stage else "not set", True),
        Field("Specialty pack", pack.name, True),
        Field("Interests", interests),
        Field(
            ctx.msg("profile_field_background"),
            ctx.msg("background_" + profile.background.replace("-", "_"))
            if profile.background
            else ctx.msg("profile_not_set"),
            True,
        ),
    )
    if profile.background == NON_US_IMG:
        visa = (
            ctx.msg(f"mentoring_visa_{profile.visa}")
            if profile.visa
            else ctx.msg("profile_not_set")
        )
        fields = (*fields, Field(ctx.msg("profile_field_visa"), visa, True))
    data = {
        "profile": {
            "member": profile.member_id,
            "name": profile.display_name,
            "timezone": tz,
            "stage": profile.stage,
            "pack": pack.id,
            "interests": list(profile.interests),
            "background": profile.background,
            "visa": profile.visa,
        }
    }
    name = profile.display_name or profile.member_id
    buttons = (Button("Edit profile", "profile edit", "primary"),) if own else ()
    return Response(
        title=ctx.msg("profile_title", name=name), fields=fields, buttons=buttons, data=data
    )


@registry.sub(
    "profile",
    "show",
    "Show your profile, or another member's",
    OptionSpec("member", "whose profile", kind="member", required=False),
)
async def show(ctx: Context, cmd: Command) -> Response:
    who = cmd.opt("member") or ctx.member_id
    if who == ctx.member_id:
        return _view(ctx, ctx.profile, own=True)
    async with ctx.db.connect() as conn:
        profile = await get_profile(conn, ctx.community_id, who)
    if profile is None:
        raise NotFound(f"No member '{who[:40]}' in this community has a profile yet.")
    return _view(ctx, profile, own=False)


@registry.sub(
    "profile",
    "set",
    "Set one field: timezone, stage, pack, interests, name, background or visa",
    OptionSpec("field", "which field", kind="choice", choices=FIELDS, aliases=FIELD_WORDS),
    OptionSpec("value", "the new value", kind="text", max_length=300),
)
async def set_field(ctx: Context, cmd: Command) -> Response:
    return await _save_field(ctx, cmd.opt("field"), cmd.opt("value"))


async def _save_field(ctx: Context, field: str, value: str) -> Response:
    if field == "timezone":  # the reply says which zone was understood
        zone = _typed_zone(ctx, value)
        values: dict[str, Any] = {"timezone": zone.name}
        text = ctx.msg("profile_zone_saved", **zone.words(ctx.msg))
    else:
        values = _validate(ctx, field, value)
        text = ctx.msg("profile_saved", field=field)
    async with ctx.db.begin() as conn:
        await update_profile(conn, ctx.community_id, ctx.member_id, ctx.now(), **values)
    return Response(text=text, data={"profile_update": values})


@registry.sub("profile", "edit", "Edit your profile in a form", opens_form=True)
async def edit(ctx: Context, cmd: Command) -> Response:
    p, pack = ctx.profile, ctx.pack
    form = Form(
        title="Your profile",
        submit="profile save",
        fields=(
            FormField(
                "timezone",
                "Time zone: your city or e.g. America/Chicago",
                default=ctx.membership.tz_name,
                max_length=64,
            ),
            FormField(
                "stage",
                "Training stage",
                kind="choice",
                required=False,
                default=p.stage or "",
                choices=tuple(Choice(i, label) for i, label in pack.choices("stages")),
            ),
            FormField(
                "pack",
                "Specialty pack",
                kind="choice",
                default=pack.id,
                choices=tuple(Choice(k, v.name) for k, v in ctx.rounds.content.packs.items()),
            ),
            FormField(
                "interests",
                "Focus areas (comma-separated)",
                kind="paragraph",
                required=False,
                max_length=300,
                default=", ".join(p.interests),
                placeholder=", ".join(i for i, _ in pack.choices("focus_areas"))[:100],
            ),
        ),
        submit_label="Save",
    )
    return Response(text="Edit your profile.", form=form)


@registry.sub(
    "profile",
    "zone",
    "Change your time zone (a form without one)",
    OptionSpec("value", "your time zone, e.g. America/Chicago", required=False, max_length=64),
    hidden=True,
    opens_form=True,
)
async def zone(ctx: Context, cmd: Command) -> Response:
    """The welcome's Change time zone button: a form with one box, saved as
    `/profile set timezone` saves it."""
    if cmd.opt("value").strip():
        return await _save_field(ctx, "timezone", cmd.opt("value"))
    field = FormField(
        "value",
        ctx.msg("profile_zone_label"),
        default=ctx.membership.tz_name,
        placeholder=ctx.msg("profile_zone_placeholder"),
        max_length=64,
    )
    form = Form(
        ctx.msg("profile_zone_title"),
        "profile zone",
        (field,),
        submit_label=ctx.msg("profile_zone_save"),
    )
    return Response(text=ctx.msg("profile_zone_intro", zone=ctx.membership.tz_name), form=form)


@registry.sub("profile", "save", "Save the profile form", hidden=True)
async def save(ctx: Context, cmd: Command) -> Response:
    values: dict[str, Any] = {}
    pack = ctx.pack
    for field in ("pack", "timezone", "stage", "interests"):
        raw = cmd.opt(field).strip()
        if raw:
            values.update(_validate(ctx, field, raw, pack))
            if field == "pack":
                pack = ctx.rounds.content.pack(values["pack"])
        elif field in ("stage", "interests"):
            values[field] = None if field == "stage" else []
    async with ctx.db.begin() as conn:
        await update_profile(conn, ctx.community_id, ctx.member_id, ctx.now(), **values)
    typed = cmd.opt("timezone").strip()
    aside = _typed_zone(ctx, typed).aside(ctx.msg) if typed else ""
    text = ctx.msg("profile_saved", field="profile") + aside
    return Response(text=text, data={"profile_update": values})
