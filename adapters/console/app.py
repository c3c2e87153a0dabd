"""The console adapter: the newcomer's first contact and the cheapest end-to-end
test path. Interactive in a terminal; one command per line when piped."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from adapters.console.deliver import ConsoleDeliverer, message_record, saved_lines
from adapters.console.files import FileShelf
from adapters.console.render import in_zone, render_text
from bot.clock import FakeClock
from bot.commands import Actor, split_command_line
from bot.core import Rounds
from bot.members import load_membership
from bot.responses import Form, Response
from bot.scheduling.dispatcher import Dispatcher, Policy

_DURATION = re.compile(r"(\d+)\s*([wdhm])")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
_AS = re.compile(r"^@([A-Za-z0-9._-]+)\s+(.*)$", re.DOTALL)
_KEYVAL = re.compile(r"(\w[\w-]*)=(\"[^\"]*\"|'[^']*'|\S+)")


class Console:
    """Runs lines as members of one community and prints what the bot answers."""

    def __init__(
        self,
        rounds: Rounds,
        *,
        member: str,
        community: str = "demo",
        organisers: Iterable[str] = (),
        as_json: bool = False,
        out: TextIO = sys.stdout,
        files_dir: Path | None = None,
    ) -> None:
        self.rounds = rounds
        self.member = member
        self.community_id = f"console:{community}"
        self.organisers = set(organisers) | {member}
        self.as_json = as_json
        self.out = out
        self.files = FileShelf(files_dir)  # where files that messages carry are written
        deliverer = ConsoleDeliverer(out, as_json, self.zone_of, self.files)
        rounds.outbox.register("console", deliverer)
        keep_done = timedelta(days=rounds.retention_days)
        self.dispatcher = Dispatcher(rounds, rounds.outbox, Policy(keep_done=keep_done))

    async def zone_of(self, community_id: str, member: str | None) -> str:
        """The reader's zone: their profile's, else the community's (UTC before either)."""
        async with self.rounds.db.connect() as conn:
            community, profile = await load_membership(conn, community_id, member or self.member)
        if profile and profile.timezone:
            return profile.timezone
        return community.timezone if community else "UTC"

    def actor(self, member: str) -> Actor:
        return Actor(self.community_id, member, member, member in self.organisers)

    async def line(self, line: str, *, interactive: bool = False) -> Response | None:
        """Run one input line; returns the response (None for blank lines)."""
        line = line.strip()
        if not line or line.startswith("#"):
            return None
        if line.startswith(":"):
            await self._clock_line(line)
            return None
        member = self.member
        m = _AS.match(line)
        if m:
            member, line = m.group(1), m.group(2)
        name, _ = split_command_line(line)
        if not line.startswith("/") and self.rounds.registry.find(name) is None:
            self.out.write(self.rounds.content.msg("console_hint", word=name[:40]) + "\n")
            self.out.flush()
            return None
        response = await self.rounds.run_line(self.actor(member), line, channel_id="console")
        if response.form and not response.error:
            values = _form_values(line, response.form)
            if interactive and not values:
                values = self._ask(response.form)
            if values is not None:
                await self.show(response, member)
                response = await self.rounds.submit_form(
                    self.actor(member), response.form.submit, values, "console"
                )
        await self.show(response, member)
        return response

    async def _clock_line(self, line: str) -> None:
        """`:advance 3d 2h`, `:at 2027-01-05T09:00+00:00` (fake clock only), `:tick`:
        move time, then deliver whatever fell due."""
        verb, _, arg = line[1:].partition(" ")
        clock = self.rounds.clock
        if verb in ("advance", "at") and not isinstance(clock, FakeClock):
            self.out.write("! :advance and :at need a console started with --clock\n")
            return
        if verb == "advance" and isinstance(clock, FakeClock):
            parts = _DURATION.findall(arg)
            clock.advance(timedelta(**{_UNITS[u]: int(n) for n, u in parts}))
        elif verb == "at" and isinstance(clock, FakeClock):
            clock.set(datetime.fromisoformat(arg.strip()))
        elif verb != "tick":
            self.out.write(f"! unknown console command :{verb} (use :advance, :at, :tick)\n")
            return
        await self.dispatcher.run_once()

    async def show(self, response: Response, member: str) -> None:
        """Print a reply, its times in `member`'s zone."""
        zone = await self.zone_of(self.community_id, member)
        if self.as_json:
            record = message_record(in_zone(response, zone), self.files)
            self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            self.out.write(render_text(response, zone) + "\n" + saved_lines(response, self.files))
        self.out.flush()

    def _ask(self, form: Form) -> dict[str, str] | None:
        self.out.write(f"== {form.title} (empty line keeps the default)\n")
        if form.intro:
            self.out.write(form.intro + "\n")
        values: dict[str, str] = {}
        for f in form.fields:
            hint = f" [{f.default}]" if f.default else ""
            choices = f" ({', '.join(c.value for c in f.choices)})" if f.choices else ""
            try:
                answer = input(f"{f.label}{choices}{hint}: ")
            except EOFError:
                return None
            values[f.key] = answer or f.default
        return values


def _form_values(line: str, form: Form) -> dict[str, str] | None:
    """In scripts a form is answered with key=value options on the command line."""
    _, rest = split_command_line(line)
    given = {k: v.strip("\"'") for k, v in _KEYVAL.findall(rest)}
    keys = {f.key for f in form.fields}
    if not given or not set(given) <= keys:
        return None
    return {f.key: given.get(f.key, f.default) for f in form.fields}
