"""/help: the commands this member can run, read from the registry."""

from __future__ import annotations

from functools import lru_cache

from bot.commands import Command, CommandSpec, OptionSpec, SubSpec
from bot.context import Context
from bot.registry import Runnable, registry
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
            return Response(text=ctx.msg("help_unknown", name=wanted[:40], names=names), error=True)
        return Response(
            title=f"/{spec.name}: {spec.summary}",
            fields=tuple(Field(f"`{s.usage}`", s.summary) for s in subs),
            data={"help": {"command": spec.name, "usage": [s.usage for s in subs]}},
        )
    fields, usage = _shown(ctx.rounds.registry.runnable(ctx.is_organiser))
    return Response(
        title=ctx.msg("help_title"),
        text=ctx.msg("help_intro"),
        fields=fields,
        data={
            "help": {
                "commands": {name: list(lines) for name, lines in usage},
                "organiser": ctx.is_organiser,
            }
        },
    )


@lru_cache(maxsize=8)
def _shown(
    runnable: Runnable,
) -> tuple[tuple[Field, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """One field per command, its subcommands' usage one a line; and the usage by
    command, for the data. The same listing shows the same: worked out once."""
    fields = tuple(
        Field(f"/{spec.name}: {spec.summary}", "\n".join(f"`{s.usage}`" for s in subs))
        for spec, subs in runnable.commands
    )
    return fields, tuple(
        (spec.name, tuple(s.usage for s in subs)) for spec, subs in runnable.commands
    )
