"""The command registry: every feature declares its subcommands here, and /help,
the parser and the adapters (Slack commands, Discord app commands) read it."""

from __future__ import annotations

from collections.abc import Callable

from bot.commands import CommandSpec, Handler, OptionSpec, SubSpec, split_command_line


class Registry:
    def __init__(self) -> None:
        self.commands: dict[str, CommandSpec] = {}

    def command(
        self, name: str, summary: str, default: str | None = None, shorthand: str | None = None
    ) -> CommandSpec:
        """Declare /name. `default`: the sub run when the text names none; `shorthand`:
        the sub whose first option's choices may start the text ("/profile stage ms4")."""
        spec = self.commands.get(name)
        if spec is None:
            spec = self.commands[name] = CommandSpec(name, summary, default=default)
        elif default is not None:
            spec.default = default
        if shorthand is not None:
            spec.shorthand = shorthand
        return spec

    def sub(
        self,
        command: str,
        name: str,
        summary: str,
        *options: OptionSpec,
        organiser_only: bool = False,
        hidden: bool = False,
        opens_form: bool = False,
    ) -> Callable[[Handler], Handler]:
        """Decorator: register `handler` as `/command name`. `opens_form`: it answers
        with a form, so an adapter may acknowledge the member before running it."""

        def register(handler: Handler) -> Handler:
            spec = self.commands.get(command)
            if spec is None:
                raise KeyError(f"declare /{command} with registry.command() first")
            if name in spec.subs:
                raise ValueError(f"/{command} {name} registered twice")
            spec.subs[name] = SubSpec(
                command, name, summary, handler, tuple(options), organiser_only, hidden, opens_form
            )
            return handler

        return register

    def find(self, name: str) -> CommandSpec | None:
        return self.commands.get(name.lower().lstrip("/"))

    def sub_of(self, line: str) -> SubSpec | None:
        """The subcommand a typed line would run (before its options are checked)."""
        name, rest = split_command_line(line)
        spec = self.find(name)
        if spec is None:
            return None
        first = rest.split(maxsplit=1)[0].lower() if rest.strip() else ""
        chosen = first if first in spec.subs else spec.default
        return spec.subs.get(chosen) if chosen is not None else None


registry = Registry()
