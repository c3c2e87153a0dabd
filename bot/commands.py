"""The command model: what a member asked for, from any platform.

Slack and the console send free text ("/group join tuesday-crew"); Discord sends
structured options. Both become a `Command`, checked against the registry's specs.

Members and channels are platform ids: adapters turn their platform's mentions
into ids before the core sees a line (and say which members the platform vouched
for in `mentions`); the core reads no platform syntax, only an optional leading
"@" or "#" that people type anywhere.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from bot.errors import UserError

if TYPE_CHECKING:
    from bot.context import Context
    from bot.responses import Response

INT_LIMIT = 2**31 - 1  # int options fit every integer column on both databases
ID_LIMIT = 80  # member and community ids: every id column is String(80)
OptionKind = Literal["word", "text", "int", "member", "channel", "choice"]
Handler = Callable[["Context", "Command"], Awaitable["Response"]]

COMMAND_NAMES = (
    "pitch-review",
    "checkin",
    "group",
    "mentor",
    "mentee",
    "remind",
    "contact",
    "profile",
    "admin",
    "privacy",
    "help",
    "conference",
    "letters",
    "research",
)


@dataclass(frozen=True)
class Actor:
    """Who runs a command and where. `platform_organiser` is the platform's own
    word (Slack admin, Discord Manage Server); the core decides with it."""

    community_id: str
    member_id: str
    display_name: str = ""
    platform_organiser: bool = False
    roles: frozenset[str] = frozenset()
    """The member's platform roles or user groups (ids): the community's
    `organiser-role` among them makes them an organiser."""
    timezone: str | None = None
    """The zone the platform knows for the member; a profile without a zone takes it."""


@dataclass(frozen=True)
class Command:
    name: str
    sub: str
    options: Mapping[str, str]
    actor: Actor
    channel_id: str | None = None
    raw: str = ""
    mentions: Mapping[str, str] = field(default_factory=dict)
    """Member ids the platform vouched for (a mention it resolved), with their names."""
    near: str = ""
    """When the default subcommand took a near miss of another ("/group joni crew"):
    the subcommand that was likely meant, said should the default refuse."""

    def opt(self, key: str, default: str = "") -> str:
        return self.options.get(key, default)


@dataclass(frozen=True)
class OptionSpec:
    name: str
    description: str
    kind: OptionKind = "word"
    required: bool = True
    choices: tuple[str, ...] = ()
    choices_from: str | None = None  # a content-pack list, e.g. "focus_areas"
    max_length: int = 200
    aliases: tuple[tuple[str, str], ...] = ()  # other words for a choice: ("zone", "timezone")

    def choice(self, word: str) -> str | None:
        """The choice `word` names (case-insensitive, an alias too), or None."""
        word = word.strip().lower()
        word = dict(self.aliases).get(word, word)
        return word if word in self.choices else None


@dataclass(frozen=True)
class SubSpec:
    """One runnable subcommand. `hidden` ones are reached by buttons and forms only."""

    command: str
    name: str
    summary: str
    handler: Handler
    options: tuple[OptionSpec, ...] = ()
    organiser_only: bool = False
    hidden: bool = False
    opens_form: bool = False  # answers with a form (adapters may acknowledge first)

    @cached_property
    def usage(self) -> str:
        parts = [f"/{self.command}", self.name]
        for o in self.options:
            label = f"<{o.name}>" if o.required else f"[{o.name}]"
            parts.append(label + ("…" if o.kind == "text" else ""))
        return " ".join(p for p in parts if p)


@dataclass
class CommandSpec:
    name: str
    summary: str
    subs: dict[str, SubSpec] = field(default_factory=dict)
    default: str | None = None  # the sub run when the text names none
    shorthand: str | None = None  # the sub a first word may stand for (see `_implied`)

    def visible_subs(self) -> list[SubSpec]:
        return [s for s in self.subs.values() if not s.hidden]


# Quoted strings (straight or curly quotes) or bare words, with their positions.
_TOKEN = re.compile(r"([a-z][a-z0-9_-]*=)?(?:\"([^\"]*)\"|“([^”]*)”|'([^']*)'|(\S+))")
# Control characters but tab and newlines: stripped from every value members send.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_KEYVAL = re.compile(r"^([a-z][a-z0-9_-]*)=(.*)$", re.DOTALL)
# A platform id (Slack U123/C123/S123, a Discord snowflake, a console name), "@" or "#" first.
_REF = re.compile(r"^[@#]?([A-Za-z0-9][A-Za-z0-9._-]{0,79})$")


def platform_ref(value: str) -> str | None:
    """The member, channel or role id in `value` ("U123", "@alice", "#general"),
    or None when it is no id (adapters turned platform mentions into ids already)."""
    m = _REF.match(value.strip())
    return m.group(1) if m else None


def _tokens(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _TOKEN.finditer(text):
        key, *values = m.groups()
        value = next(g for g in values if g is not None)
        out.append(((key or "") + value, m.start(), m.end()))
    return out


def split_command_line(line: str) -> tuple[str, str]:
    """'/group join x' -> ('group', 'join x'). The leading slash is optional."""
    line = line.strip()
    if line.startswith("/"):
        line = line[1:]
    name, _, rest = line.partition(" ")
    return name.lower(), rest.strip()


def closest(word: str, names: Iterable[str]) -> str | None:
    """The one name `word` most likely misspells ("contacts" for "contact"), if any."""
    found = difflib.get_close_matches(word.lower(), list(names), n=1, cutoff=0.75)
    return found[0] if found else None


def _implied(spec: CommandSpec, word: str) -> SubSpec | None:
    """The command's shorthand subcommand when the first word, naming no
    subcommand, is a choice of its first option: "/profile stage ms4" is
    "/profile set stage ms4", "/mentor publish" is "/mentor round publish"."""
    sub = spec.subs.get(spec.shorthand or "")
    if sub is None or not sub.options or sub.options[0].kind != "choice":
        return None
    return sub if sub.options[0].choice(word) else None


def parse(
    spec: CommandSpec,
    text: str,
    actor: Actor,
    channel_id: str | None = None,
    mentions: Mapping[str, str] | None = None,
) -> Command:
    """Turn free text after the command name into a Command for `spec`."""
    toks = _tokens(text)
    first = toks[0][0].lower() if toks else ""
    sub: SubSpec | None = None
    if first in spec.subs:
        sub = spec.subs[first]
        toks = toks[1:]
    elif first and (implied := _implied(spec, first)) is not None:
        sub = implied
    elif spec.default is not None:
        sub = spec.subs[spec.default]
    missed = bool(first) and first not in spec.subs  # a first word that is no subcommand
    near = closest(first, (s.name for s in spec.visible_subs())) if missed else None
    hint = f" Did you mean `/{spec.name} {near}`?" if near and near != first else ""
    if sub is None:
        listed = ", ".join(s.name for s in spec.visible_subs())
        given = f" (not '{toks[0][0]}')" if toks else ""
        raise UserError(
            f"/{spec.name} needs a subcommand{given}: {listed}.{hint} Try `/help {spec.name}`."
        )
    defaulted = bool(hint) and sub.name == spec.default  # the default took a near miss
    try:
        cmd = _parse_options(sub, text, toks, actor, channel_id, mentions)
    except UserError as exc:
        if defaulted:
            raise UserError(exc.message + hint) from None
        raise
    return replace(cmd, near=hint.strip()) if defaulted else cmd


def _parse_options(
    sub: SubSpec,
    text: str,
    toks: list[tuple[str, int, int]],
    actor: Actor,
    channel_id: str | None,
    mentions: Mapping[str, str] | None,
) -> Command:
    options: dict[str, str] = {}
    names = {o.name for o in sub.options}
    positional = list(sub.options)
    last = sub.options[-1].name if sub.options and sub.options[-1].kind == "text" else None
    i = 0
    while i < len(toks):
        value, start, _end = toks[i]
        kv = _KEYVAL.match(value)
        if kv and (kv.group(1) in names or not positional or positional[0].kind != "text"):
            options[kv.group(1)] = kv.group(2)
            i += 1
            if kv.group(1) == last:  # like a typed last text: it runs to the next key=value
                j = i
                while j < len(toks) and not _named(toks[j][0], names):
                    j += 1
                if j > i:
                    stop = toks[j][1] if j < len(toks) else len(text)
                    options[kv.group(1)] = f"{kv.group(2)} {text[toks[i][1] : stop].strip()}"
                    i = j
            continue
        while positional and positional[0].name in options:
            positional.pop(0)
        if not positional:
            raise UserError(f"Too many words for `{sub.usage}`: '{value}' was not expected.")
        opt = positional.pop(0)
        if opt.kind == "text":
            options[opt.name] = text[start:].strip()
            if text[start] in "\"“'" and len(toks) == i + 1:
                options[opt.name] = value
            break
        options[opt.name] = value
        i += 1
    return bind(sub, options, actor, channel_id, raw=text, mentions=mentions)


def _named(token: str, names: set[str]) -> bool:
    """Whether a token gives one of the sub's options by name (key=value)."""
    kv = _KEYVAL.match(token)
    return kv is not None and kv.group(1) in names


def bind(
    sub: SubSpec,
    options: Mapping[str, str],
    actor: Actor,
    channel_id: str | None = None,
    raw: str = "",
    mentions: Mapping[str, str] | None = None,
) -> Command:
    """Check structured options against a sub's spec (Discord, forms, parsed text)."""
    known = {o.name: o for o in sub.options}
    clean: dict[str, str] = {}
    for key, given in options.items():
        value = _CONTROL.sub("", str(given))  # PostgreSQL refuses NUL; none is ever meant
        opt = known.get(key)
        if opt is None:
            clean[key] = value  # form fields beyond the spec are checked by the handler
            continue
        clean[key] = _check(sub, opt, value)
    for opt in sub.options:
        if opt.required and not clean.get(opt.name):
            raise UserError(f"Missing <{opt.name}> ({opt.description}). Usage: `{sub.usage}`")
    return Command(
        sub.command, sub.name, clean, actor, channel_id, _CONTROL.sub("", raw), dict(mentions or {})
    )


def _check(sub: SubSpec, opt: OptionSpec, value: str) -> str:
    value = value.strip()
    if len(value) > opt.max_length:
        raise UserError(
            f"<{opt.name}> is {len(value):,} characters; the limit is {opt.max_length:,}."
        )
    if opt.kind == "int" and value:
        value = value.removeprefix("#")  # replies number things "#3"; members copy that
        if not re.fullmatch(r"-?[0-9]+", value):
            raise UserError(f"<{opt.name}> must be a whole number, not '{value[:40]}'.")
        if len(value.lstrip("-")) > 10 or abs(int(value)) > INT_LIMIT:  # nothing is beyond
            raise UserError(f"<{opt.name}> must be a whole number up to {INT_LIMIT:,}.")
        value = str(int(value))
    if opt.kind == "choice" and value and opt.choices:
        chosen = opt.choice(value)
        if chosen is None:
            near = closest(value, opt.choices)
            hint = f" Did you mean {near}?" if near else ""
            raise UserError(f"<{opt.name}> must be one of: {', '.join(opt.choices)}.{hint}")
        value = chosen
    if opt.kind in ("member", "channel") and value:
        ref = platform_ref(value)
        if ref is None:
            like = "a member, like @alice" if opt.kind == "member" else "a channel, like #general"
            raise UserError(f"<{opt.name}> should name {like}.")
        value = ref
    return value


def check_actor(actor: Actor) -> None:
    """Refuse ids no table can hold (a platform never sends them; a forged or
    broken request might), before anything is read or stored."""
    for what, value in (("community", actor.community_id), ("member", actor.member_id)):
        if not value or len(value) > ID_LIMIT:
            raise UserError(
                f"This {what} id is {len(value)} characters; Rounds works with ids of "
                f"1 to {ID_LIMIT} characters, so nothing was done."
            )
