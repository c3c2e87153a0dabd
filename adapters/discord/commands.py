"""Discord application commands built from the core registry: subcommands as
Discord subcommands, a command whose only sub is its default as a flat command,
organiser-only commands defaulting to Manage Server (the core checks again)."""

from __future__ import annotations

import re
from typing import Any

from discord import AppCommandOptionType, AppCommandType, Permissions

from bot.commands import CommandSpec, OptionSpec, SubSpec
from bot.registry import Registry
from bot.text import shorten

SUB_COMMAND = AppCommandOptionType.subcommand.value
STRING = AppCommandOptionType.string.value
_TYPES = {
    "word": STRING,
    "text": STRING,
    "int": AppCommandOptionType.integer.value,
    "member": AppCommandOptionType.user.value,
    "channel": STRING,  # "here" stays possible; a typed #channel arrives as <#id>
    "choice": STRING,
}
ORGANISER_PERMISSIONS = Permissions(manage_guild=True)
# <@id>, <@!id> (members), <@&id> (roles), <#id> (channels) picked into a string option
_MENTION = re.compile(r"\s*<(?:@[!&]?|#)(\d+)>\s*")


def _option(o: OptionSpec) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": _TYPES[o.kind],
        "name": o.name,
        "description": shorten(o.description or o.name, 100),
        "required": o.required,
    }
    if o.kind == "choice" and o.choices:
        out["choices"] = [{"name": c, "value": c} for c in o.choices[:25]]
    if out["type"] == STRING:
        out["max_length"] = min(o.max_length, 6000)
    return out


def _options(sub: SubSpec) -> list[dict[str, Any]]:
    opts = [_option(o) for o in sub.options[:25]]
    return sorted(opts, key=lambda o: not o["required"])  # required ones first


def sub_name(spec: CommandSpec, sub: SubSpec) -> str:
    """A default sub with no name of its own is exposed as "show"."""
    return sub.name or "show"


def command_payload(spec: CommandSpec) -> dict[str, Any]:
    subs = spec.visible_subs()
    payload: dict[str, Any] = {
        "name": spec.name,
        "type": AppCommandType.chat_input.value,
        "description": shorten(spec.summary, 100),
    }
    if len(subs) == 1 and subs[0].name == (spec.default or ""):
        payload["options"] = _options(subs[0])
    else:
        payload["options"] = [
            {
                "type": SUB_COMMAND,
                "name": sub_name(spec, s),
                "description": shorten(s.summary, 100),
                "options": _options(s),
            }
            for s in subs[:25]
        ]
    if subs and all(s.organiser_only for s in subs):
        payload["default_member_permissions"] = str(ORGANISER_PERMISSIONS.value)
    return payload


def payloads(registry: Registry) -> list[dict[str, Any]]:
    return [
        command_payload(spec) for spec in sorted(registry.commands.values(), key=lambda c: c.name)
    ]


def resolve(registry: Registry, data: dict[str, Any]) -> tuple[str, str, dict[str, str]]:
    """An APPLICATION_COMMAND's data -> (command, sub, options) for the core."""
    name = data["name"]
    options = data.get("options") or []
    sub = ""
    if options and options[0].get("type") == SUB_COMMAND:
        sub, options = options[0]["name"], options[0].get("options") or []
        spec = registry.find(name)
        if spec and sub not in spec.subs and sub == "show":
            sub = spec.default or ""
    return name, sub, {o["name"]: _picked(str(o["value"])) for o in options}


def _picked(value: str) -> str:
    """A mention that is the whole option (a member, role or channel picked) as its id;
    mentions inside text stay as typed (the core neutralises them wherever text is shown)."""
    m = _MENTION.fullmatch(value)
    return m.group(1) if m else value


def mentioned(data: dict[str, Any]) -> dict[str, str]:
    """Members Discord resolved for USER options (id -> name): ids the core can trust."""
    users = (data.get("resolved") or {}).get("users") or {}
    return {
        str(uid): str(u.get("global_name") or u.get("username") or "") for uid, u in users.items()
    }
