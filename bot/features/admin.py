"""/admin: community settings and organisers. Every subcommand is organiser-only,
checked in the core whatever the platform's own permissions say."""

from __future__ import annotations

from bot.commands import Command, OptionSpec, platform_ref
from bot.context import Context
from bot.errors import UserError
from bot.members import create_member, get_profile, update_community, update_profile
from bot.registry import registry
from bot.responses import Field, Response
from bot.text import shorten

CHANNEL_KEYS = ("review-channel", "groups-channel", "announce-channel")
SETTING_KEYS = ("timezone", "pack", "name", "organiser-role", *CHANNEL_KEYS)

registry.command(
    "admin", "Community settings and organisers (organisers only)", default="show", shorthand="set"
)


@registry.sub("admin", "show", "Show this community's settings", organiser_only=True)
async def show(ctx: Context, cmd: Command) -> Response:
    c = ctx.community
    fields = [
        Field("Name", c.name or "not set", True),
        Field("Default time zone", c.timezone, True),
        Field("Specialty pack", ctx.rounds.content.pack(c.pack).name, True),
    ]
    fields += [
        Field(k, str(c.settings.get(k, "not set")), True) for k in ("organiser-role", *CHANNEL_KEYS)
    ]
    data = {
        "community": {
            "id": c.id,
            "name": c.name,
            "timezone": c.timezone,
            "pack": c.pack,
            "settings": c.settings,
        }
    }
    return Response(title="Community settings", fields=tuple(fields), data=data)


@registry.sub(
    "admin",
    "set",
    "Change a setting: " + ", ".join(SETTING_KEYS),
    OptionSpec("key", "which setting", kind="choice", choices=SETTING_KEYS),
    OptionSpec("value", "the new value", kind="text", max_length=200),
    organiser_only=True,
)
async def set_setting(ctx: Context, cmd: Command) -> Response:
    key, value = cmd.opt("key"), cmd.opt("value").strip()
    ref = platform_ref(value)
    if key in CHANNEL_KEYS and ref is not None:  # asked of the platform before the transaction
        await _own_channel(ctx, ref)
    zone = ctx.zone(value) if key == "timezone" else None
    async with ctx.db.begin() as conn:
        if zone:
            await update_community(conn, ctx.community_id, timezone=zone.name)
            value = zone.name
        elif key == "pack":
            if value.lower() not in ctx.rounds.content.packs:
                names = ", ".join(ctx.rounds.content.packs)
                raise UserError(f"'{value[:40]}' is not a specialty pack. Choose from: {names}.")
            await update_community(conn, ctx.community_id, pack=value.lower())
        elif key == "name":
            await update_community(conn, ctx.community_id, name=value[:200])
        else:
            if ref is None:
                raise UserError(ctx.msg("setting_not_an_id", setting=key, value=shorten(value, 40)))
            settings = dict(ctx.community.settings)
            settings[key] = value = ref
            await update_community(conn, ctx.community_id, settings=settings)
    aside = zone.aside(ctx.msg) if zone else ""
    return Response(text=f"Saved **{key}**.{aside}", data={"setting": {key: value}})


async def _own_channel(ctx: Context, channel: str) -> None:
    """A channel setting names one of this community's channels (bot.channels)."""
    text = ctx.msg("channel_not_here", channel=channel[:40])
    await ctx.rounds.channels.check(ctx.community_id, channel, text)


@registry.sub(
    "admin",
    "organiser",
    "Make a member an organiser, or stop",
    OptionSpec("action", "add or remove", kind="choice", choices=("add", "remove")),
    OptionSpec("member", "who", kind="member"),
    organiser_only=True,
)
async def organiser(ctx: Context, cmd: Command) -> Response:
    who, add = cmd.opt("member"), cmd.opt("action") == "add"
    async with ctx.db.begin() as conn:
        profile = await get_profile(conn, ctx.community_id, who)
        if profile is None:  # a member the platform vouched for, new to Rounds
            profile = await create_member(
                conn, ctx.community_id, who, cmd.mentions.get(who, ""), ctx.now()
            )
        await update_profile(conn, ctx.community_id, who, ctx.now(), is_organiser=add)
    verb = "is now an organiser" if add else "is no longer an organiser"
    name = profile.display_name or who
    return Response(text=f"{name} {verb}.", data={"organiser": {"member": who, "is": add}})
