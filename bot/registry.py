"""The command registry: every feature declares its subcommands here, and /help,
the parser and the adapters (Slack commands, Discord app commands) read it."""

from __future__ import annotations

from collections.abc import Callable

from bot.commands import CommandSpec, Handler, OptionSpec, SubSpec


class Registry:
    def __init__(self) -> None:
        self.commands: dict[str, CommandSpec] = {}

    def command(self, name: str, summary: str, default: str | None = None) -> CommandSpec:
        spec = self.commands.get(name)
        if spec is None:
            spec = self.commands[name] = CommandSpec(name, summary, default=default)
        elif default is not None:
            spec.default = default
        return spec

    def sub(
        self,
        command: str,
        name: str,
        summary: str,
        *options: OptionSpec,
        organiser_only: bool = False,
        hidden: bool = False,
    ) -> Callable[[Handler], Handler]:
        """Decorator: register `handler` as `/command name`."""

        def register(handler: Handler) -> Handler:
            spec = self.commands.get(command)
            if spec is None:
                raise KeyError(f"declare /{command} with registry.command() first")
            if name in spec.subs:
                raise ValueError(f"/{command} {name} registered twice")
            spec.subs[name] = SubSpec(
                command, name, summary, handler, tuple(options), organiser_only, hidden
            )
            return handler

        return register

    def find(self, name: str) -> CommandSpec | None:
        return self.commands.get(name.lower().lstrip("/"))


registry = Registry()
