"""Names typed without quotes in `/conference met` and `/conference target add`.

On Discord each option arrives apart; typed in the console or after a Slack
slash command, "Dr Sam Lee faculty deep" reaches the parser as one line, whose
positional reading would take "Dr" as the name. These read such a line the way
a member means it: the words, plus any unquoted key=value options on it. A line
with quotes is left to the parser. A Discord name box filled with the whole
name, role and institution is read like such a line."""

from __future__ import annotations

import re

from bot.commands import Command
from bot.features.conference.content import ConferenceSection
from bot.features.contacts.names import boxed_words, free_words, split
from bot.features.contacts.rules import ContactRules

_KEYVAL = re.compile(r"(?:^|\s)([a-z][a-z0-9_-]*)=([^\s\"“”']+)")


def _typed(cmd: Command, *lead: str) -> tuple[list[str], dict[str, str]] | None:
    """The words after the subcommand (and `lead` words such as "add") and the
    key=value options among them; None for a line with quotes or no words."""
    words = free_words(_KEYVAL.sub(" ", cmd.raw), cmd.sub)
    if words is None:
        return None
    tokens = words.split()
    for word in lead:
        if not tokens or tokens[0].lower() != word:
            return None
        tokens.pop(0)
    return (tokens, dict(_KEYVAL.findall(cmd.raw))) if tokens else None


def met_fields(cmd: Command, sec: ConferenceSection) -> dict[str, str]:
    """name, kind, deep, notes and at: an unquoted name runs up to the first kind word."""
    given = {key: cmd.opt(key) for key in ("name", "kind", "deep", "notes", "at")}
    typed = _typed(cmd)
    if sec.kind_of(given["kind"]) is not None or typed is None:
        return given
    tokens, options = typed
    at = next((i for i, t in enumerate(tokens) if i and sec.kind_of(t) is not None), None)
    if at is None:
        return given
    rest = tokens[at + 1 :]
    deep = rest.pop(0) if rest and sec.is_deep(rest[0]) else ""
    name, kind, notes = " ".join(tokens[:at]), tokens[at], " ".join(rest)
    return {"name": name, "kind": kind, "deep": deep, "notes": notes, "at": options.get("at", "")}


def target_fields(cmd: Command, contact_rules: ContactRules) -> tuple[dict[str, str], bool]:
    """name, role, institution, why, find and at, and whether the split is certain
    (commas, or a plain name with no role or institution word)."""
    keys = ("name", "role", "institution", "why", "find", "at")
    typed = _typed(cmd, "add")
    boxed = None if cmd.raw else boxed_words(cmd.options)  # Discord: all in the name box
    if typed is None and boxed is None:
        return {key: cmd.opt(key) for key in keys}, True
    tokens, options = typed or (str(boxed).split(), dict(cmd.options))
    got = split(" ".join(tokens), contact_rules, [])
    read = {"name": got.name, "role": got.role, "institution": got.institution}
    return {key: read.get(key) or options.get(key, "") for key in keys}, got.certain
