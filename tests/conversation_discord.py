"""The conversation driver for Discord: each line becomes the interaction the
Discord client would send (an application command with typed options: members
as user ids, channels as channel ids), dispatched over the fake gateway to the
real discord.py client; a form is the modal the bot answered with, filled step
by step and submitted; the answer is read back from the interaction callback
and checked to be the core Response rendered."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from contextlib import AsyncExitStack
from typing import Any

import discord

from adapters.discord.app import DiscordBot
from adapters.discord.render import message_kwargs
from bot.commands import Actor, CommandSpec, SubSpec, parse, split_command_line
from bot.core import Rounds
from bot.errors import UserError
from bot.features.conference.content import conference_rules
from bot.features.conference.typed import met_fields
from bot.features.pitch.rules import PitchRules
from bot.features.research.reports import day_and_label
from bot.responses import Response
from tests.conversation import (
    Names,
    PlatformConversation,
    Recorder,
    fills,
    form_answers,
    until,
)
from tests.fakes.discord_api import (
    CALLBACK_DEFERRED_MESSAGE,
    CALLBACK_MODAL,
    MANAGE_GUILD,
    FakeDiscord,
    option,
    subcommand,
)
from tests.fakes.discord_client import make_client, point_discord_at, running_client

CALLBACK = r"/interactions/\d+/[^/]+/callback"
USER, INTEGER = 6, 4
WORD_BOXES: dict[tuple[str, str], tuple[tuple[str, ...], bool]] = {
    ("contact", "add"): ((), False),
    ("conference", "target"): (("add",), True),
}
"""Subcommands whose name box a Discord member types a whole name with spaces into (on
a typed line the parser gives each word an option of its own; the core reads the words
whole): their leading words, and whether key=value options may sit on such a line."""
_QUOTED = re.compile(r"[\"“”]")
_KEYVAL = re.compile(r"(?:^|\s)([a-z][a-z0-9_-]*)=([^\s\"“”']+)")
WAIT = 5.0


class DiscordWorld:
    """One Rounds process's Discord side: the real client connected to the fake."""

    def __init__(self, rounds: Rounds, fake: FakeDiscord, names: DiscordNames) -> None:
        self.rounds, self.fake, self.names = rounds, fake, names
        self.recorder = Recorder(rounds, lambda: len(fake.requests))


class DiscordNames(Names):
    """Discord ids for the tests' names: users and channels made in the fake; the
    first community is the fake's guild, others get guild ids of their own."""

    def __init__(self, fake: FakeDiscord) -> None:
        super().__init__(self._make)
        self.fake = fake
        self.add("console", str(fake.channel_id), "channel")
        self.guilds: dict[str, int] = {}

    def _make(self, kind: str, name: str) -> str:
        if kind == "channel":
            return str(self.fake.add_channel(name)["id"])
        user = self.fake.add_user(name)
        user["global_name"] = name  # the display name the tests use
        return str(user["id"])

    def guild(self, community: str) -> int:
        if community not in self.guilds:
            self.guilds[community] = self.fake.guild_id if not self.guilds else self.fake.new_id()
        return self.guilds[community]

    def channel(self, name: str, guild: int) -> str:
        """The id of the channel `name` in that guild (each server has channels of its own)."""
        if guild == self.fake.guild_id:
            return self.id(name, "channel")
        if ("channel", f"{name}@{guild}") not in self.ids:
            made = str(self.fake.add_channel(name, guild_id=guild)["id"])
            self.ids["channel", f"{name}@{guild}"], self.names[made] = made, name
        return self.ids["channel", f"{name}@{guild}"]


class DiscordPlatform:
    """Discord for one test: one fake Discord (gateway and REST) that every Rounds
    (a process) connects a real client to."""

    def __init__(self, stack: AsyncExitStack, fake: FakeDiscord) -> None:
        self.stack, self.fake = stack, fake
        self.names = DiscordNames(fake)
        self.worlds: dict[int, DiscordWorld] = {}

    @classmethod
    async def start(cls, stack: AsyncExitStack) -> DiscordPlatform:
        fake = await stack.enter_async_context(FakeDiscord())
        stack.enter_context(point_discord_at(fake))
        return cls(stack, fake)

    async def conversation(
        self, rounds: Rounds, community: str = "demo", organisers: Iterable[str] = ()
    ) -> DiscordConversation:
        if id(rounds) not in self.worlds:
            client = make_client(discord.Client, allowed_mentions=discord.AllowedMentions.none())
            DiscordBot(rounds, client)
            await self.stack.enter_async_context(running_client(client, self.fake))
            self.worlds[id(rounds)] = DiscordWorld(rounds, self.fake, self.names)
        return DiscordConversation(self.worlds[id(rounds)], community, organisers)


class DiscordConversation(PlatformConversation):
    adapter = "discord"

    def __init__(self, world: DiscordWorld, community: str, organisers: Iterable[str] = ()) -> None:
        super().__init__(world.rounds, community, organisers, world)
        self.fake = world.fake
        self.guild_id = world.names.guild(community)

    @property
    def community_id(self) -> str:
        return f"discord:{self.guild_id}"

    async def say(self, member: str, line: str) -> Response:
        user = self.fake.users[self.id(member)]
        mark, attempts = len(self.recorder.responses), self.recorder.attempts
        payload = self._interaction(member, line, user)
        body = await self._interact(payload)
        response = await self._after_posts(await self._response(mark))
        if body["type"] == CALLBACK_MODAL and response.form:
            answers = form_answers(line)
            if fills(answers, [f.key for f in response.form.fields]):
                values = {f.key: answers.get(f.key, f.default) for f in response.form.fields}
                response = await self._fill(member, user, body, values, response)
        else:
            self._check_shown(body, response)
        await self._also(attempts, response)
        return self.back(response)

    def _interaction(self, member: str, line: str, user: dict[str, Any]) -> dict[str, Any]:
        """The interaction Discord would send for a typed line: an application command
        with typed options, or (for a line only a button carries) a button press."""
        perms = MANAGE_GUILD if member in self.organisers else 0
        name, rest = split_command_line(line)
        spec = self.rounds.registry.find(name)
        if spec is None:
            return self._in_guild(self.fake.slash_command(name, user=user, permissions=perms))
        actor = Actor(self.community_id, self.id(member), member)
        try:
            cmd = parse(spec, rest, actor)
        except UserError:  # such a line only reaches the bot as a button's command line
            return self._press("r:" + line.strip().lstrip("/"), user, perms)
        sub = spec.subs[cmd.sub]
        if sub.hidden and len("r:" + line.strip().lstrip("/")) <= 100:
            return self._press("r:" + line.strip().lstrip("/"), user, perms)
        known = {o.name: o for o in sub.options}
        given = dict(cmd.options)
        given = self._as_meant(spec.name, sub.name, rest, cmd) or given
        kind = given.get("kind")
        if {"kind", "text"} <= known.keys() and kind and not self._picks_kind(kind, rest):
            given["text"] = f"{given.pop('kind')} {given.get('text', '')}".strip()
        options = [
            self._option(sub, known.get(k), k, v, given)
            for k, v in given.items()
            if v and (k in known or sub.hidden)
        ]
        flat = spec.visible_subs()
        if len(flat) == 1 and flat[0].name == (spec.default or "") and sub is flat[0]:
            payload = self.fake.slash_command(name, *options, user=user, permissions=perms)
        else:
            payload = self.fake.slash_command(
                name, subcommand(_sub_name(spec, sub), *options), user=user, permissions=perms
            )
        # Discord resolves the members picked in user options, as it does for the bot.
        picked = [str(o["value"]) for o in options if o["type"] == USER]
        if picked:
            payload["data"]["resolved"] = {"users": {uid: self.fake.users[uid] for uid in picked}}
        return self._in_guild(payload)

    def _option(self, sub: SubSpec, spec: Any, key: str, value: str, given: Any) -> dict[str, Any]:
        kind = spec.kind if spec is not None else "text"
        if kind == "member":
            return option(key, self.id(value.lstrip("@")), type=USER)
        if kind == "int":
            return option(key, int(value), type=INTEGER)
        if _is_channel(sub, spec, key, given) and value != "here":
            channel = self.world.names.channel(value.lstrip("#"), self.guild_id)
            return option(key, f"<#{channel}>" if value.startswith("#") else channel)
        return option(key, value)

    def _as_meant(self, name: str, sub: str, rest: str, cmd: Any) -> dict[str, str] | None:
        """The boxes a Discord member fills for a line with a name with spaces typed
        without quotes: the whole name in its box (contacts, conference targets; other
        key=value options in theirs), or the boxes the core reads the line into (met,
        a deadline's date and label)."""
        if (name, sub) == ("conference", "met"):
            return met_fields(cmd, conference_rules(self.rounds.content.pack(None)))
        if (name, sub) == ("research", "deadline"):  # the whole date in the day box
            day, label = day_and_label(cmd.opt("day"), cmd.opt("label"))
            return {"meeting": cmd.opt("meeting"), "day": day, "label": label}
        if (name, sub) not in WORD_BOXES:
            return None
        lead, with_options = WORD_BOXES[name, sub]
        words = rest.partition(" ")[2]
        if _QUOTED.search(words) or (not with_options and _KEYVAL.search(words)):
            return None
        options = dict(_KEYVAL.findall(words))
        tokens = _KEYVAL.sub(" ", words).split()
        if not tokens or tokens[: len(lead)] != list(lead):
            return None
        named = " ".join(tokens[len(lead) :])
        return {**({"action": lead[0]} if lead else {}), "name": named, **options}

    def _picks_kind(self, word: str, typed: str) -> bool:
        """Whether a Discord member would put the line's first word in the kind box: they
        typed kind=, or the word names a pitch kind; else it is the start of the text."""
        if re.search(r"(?:^|\s)kind=", typed):
            return True
        packs = self.rounds.content.packs.values()
        return any(p.section("pitch", PitchRules).find_kind(word) for p in packs)

    def _press(self, custom_id: str, user: dict[str, Any], perms: int) -> dict[str, Any]:
        return self._in_guild(self.fake.button_press(custom_id, user=user, permissions=perms))

    def _in_guild(self, payload: dict[str, Any]) -> dict[str, Any]:
        if self.guild_id == self.fake.guild_id:
            return payload
        gid = str(self.guild_id)
        payload = copy.deepcopy(payload)
        payload["guild_id"], payload["guild"]["id"] = gid, gid
        if "guild_id" in payload["channel"]:  # typed in that server's own "console"
            console = self.world.names.channel("console", self.guild_id)
            payload["channel"] = self.fake.channels[console]
            payload["channel_id"] = payload["channel"]["id"]
        payload["authorizing_integration_owners"] = {"0": gid}
        return payload

    async def _interact(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Dispatch an interaction; the callback body (or, when deferred, the follow-up)."""
        mark = self.fake.mark()
        await self.fake.dispatch_interaction(payload)
        call = await self.fake.wait_for_call(
            "POST",
            CALLBACK,
            since=mark,
            predicate=lambda c: payload["token"] in c.path,
            timeout=WAIT,
        )
        body = dict(call.json)
        if body["type"] == CALLBACK_DEFERRED_MESSAGE:
            follow = await self.fake.wait_for_call(
                "POST", rf"/webhooks/\d+/{payload['token']}", since=mark, timeout=WAIT
            )
            return {"type": 4, "data": follow.json}
        return body

    async def _response(self, mark: int) -> Response:
        await until(lambda: len(self.recorder.responses) > mark, "the core's response")
        return self.recorder.responses[-1]

    async def _fill(
        self,
        member: str,
        user: dict[str, Any],
        body: dict[str, Any],
        values: dict[str, str],
        response: Response,
    ) -> Response:
        """Submit the modal step by step (Discord shows at most 5 inputs per modal)."""
        perms = MANAGE_GUILD if member in self.organisers else 0
        mark = len(self.recorder.responses)
        while True:
            data = body["data"]
            keys = [row["components"][0]["custom_id"] for row in data["components"]]
            submit = self._in_guild(
                self.fake.modal_submit(
                    data["custom_id"], {k: values[k] for k in keys}, user=user, permissions=perms
                )
            )
            body = await self._interact(submit)
            if len(self.recorder.responses) > mark:
                break
            button = body["data"]["components"][0]["components"][0]  # "Continue"
            body = await self._interact(self._press(button["custom_id"], user, perms))
            assert body["type"] == CALLBACK_MODAL, body
        response = await self._after_posts(self.recorder.responses[-1])
        self._check_shown(body, response)
        return response

    def _check_shown(self, body: dict[str, Any], response: Response) -> None:
        """The callback carries the response as the adapter renders it."""
        data = body.get("data") or {}
        if body["type"] == CALLBACK_MODAL:
            assert response.form is not None
            keys = [row["components"][0]["custom_id"] for row in data["components"]]
            assert keys == [f.key for f in response.form.fields][: len(keys)]
            return
        kwargs = message_kwargs(response, {b.action: b.action for b in response.buttons})
        if "content" in kwargs:
            assert data.get("content") == kwargs["content"], (data, kwargs["content"])
        else:
            shown = data["embeds"][0]
            want = kwargs["embed"].to_dict()
            assert (shown.get("title"), shown.get("description")) == (
                want.get("title"),
                want.get("description"),
            )

    async def _also(self, attempts: int, response: Response) -> None:
        expected = attempts + len(response.also)
        await until(lambda: self.recorder.attempts >= expected, "the command's other posts")


def _sub_name(spec: CommandSpec, sub: SubSpec) -> str:
    return sub.name or "show"


def _is_channel(sub: SubSpec, spec: Any, key: str, given: Any) -> bool:
    """Options a Discord member fills with a channel (a picker, or #channel in text)."""
    if key == "channel" or (spec is not None and spec.kind == "channel"):
        return True
    if sub.name == "set" and key == "value":
        return str(given.get("key", "")).endswith("-channel") or given.get("field") == "channel"
    return False
