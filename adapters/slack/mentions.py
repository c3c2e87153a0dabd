"""Slack's escaped slash-command text as the core reads it.

With `should_escape: true` in the manifest Slack sends a picked member as
`<@U123|bob>`, a channel as `<#C123|general>`, a user group as
`<!subteam^S123|@organisers>`, links as `<https://...|label>`, and `&`, `<`, `>`
typed by the member as entities. The core gets plain ids (and the members Slack
vouched for) and the member's own characters back."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>")
_USER = re.compile(r"^[UW][A-Z0-9]{1,79}$")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def plain(text: str) -> tuple[str, dict[str, str]]:
    """(text with ids for mentions, {member id: name} of the members mentioned)."""
    mentioned: dict[str, str] = {}

    def one(m: re.Match[str]) -> str:
        sigil, target, label = m.group(1), m.group(2), m.group(3) or ""
        if sigil == "@":
            if not _USER.match(target):
                return "@" + target
            mentioned[target] = label
            return target
        if sigil == "#":
            return target
        if sigil == "!":
            if target.startswith("subteam^"):
                return target.removeprefix("subteam^")
            return label or "@" + target.split("^", 1)[0]  # <!here>, <!date^...|fallback>
        if target.startswith("mailto:"):
            return label or target.removeprefix("mailto:")
        return target or label

    out = _TOKEN.sub(one, text)
    for entity, char in _ENTITIES:
        out = out.replace(entity, char)
    return out, mentioned
