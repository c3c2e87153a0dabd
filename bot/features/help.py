"""/help: the commands this member can run, read from the registry."""

from __future__ import annotations

from bot.commands import Command, CommandSpec, OptionSpec, SubSpec, closest
from bot.context import Context
from bot.registry import registry
from bot.responses import Field, Response

registry.command("help", "What Rounds can do for you", default="")


def _runnable(spec: CommandSpec, organiser: bool) -> list[SubSpec]:
    return [s for s in spec.visible_subs() if organiser or not s.organiser_only]


@registry.sub(
    "help",
    "",
    "List the commands, or explain one",
    OptionSpec("command", "a command name, e.g. group", required=False, max_length=40),
)
async def show(ctx: Context, cmd: Command) -> Response:
    wanted = cmd.opt("command").lower().lstrip("/")
    commands = ctx.rounds.registry.commands
    if wanted:
        spec = commands.get(wanted)
        subs = _runnable(spec, ctx.is_organiser) if spec else []
        if not spec or not subs:
            names = ", ".join(f"/{n}" for n in sorted(commands))
            near = closest(wanted, commands) if not spec else None
            hint = f" Did you mean `/help {near}`?" if near else ""
            text = ctx.msg("help_unknown", name=wanted[:40], near=hint, names=names)
            return Response(text=text, error=True)
        return Response(
            title=f"/{spec.name}: {spec.summary}",
            fields=tuple(Field(f"`{s.usage}`", s.summary) for s in subs),
            data={"help": {"command": spec.name, "usage": [s.usage for s in subs]}},
        )
    fields = []
    listing: dict[str, list[str]] = {}
    for spec in sorted(commands.values(), key=lambda c: c.name):
        subs = _runnable(spec, ctx.is_organiser)
        if not subs:
            continue
        listing[spec.name] = [s.usage for s in subs]
        lines = "\n".join(f"`{s.usage}`" for s in subs)
        fields.append(Field(f"/{spec.name}: {spec.summary}", lines))
    return Response(
        title=ctx.msg("help_title"),
        text=ctx.msg("help_intro"),
        fields=tuple(fields),
        data={"help": {"commands": listing, "organiser": ctx.is_organiser}},
    )
