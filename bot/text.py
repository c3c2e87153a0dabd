"""Safety for user-supplied text: length limits and mentions that never ping."""

from __future__ import annotations

import re

from bot.errors import UserError

_ZWSP = "\u200b"
# @everyone / @here (Discord, console), <!here> <!channel> <!everyone> <!subteam^X> (Slack),
# <@123> <@!123> <@&123> (Discord users and roles), <@U123> (Slack users), <#C1> channels;
# and the core's own time marker (bot.responses.Moment), so user text cannot forge one.
_MENTION = re.compile(
    r"@(?=(everyone|here|channel)\b)|<(?=[@!#])|\u27e6(?=when:)",
    re.IGNORECASE,
)


def neutralise_mentions(text: str) -> str:
    """Break every mention token so no platform can turn user text into a ping."""
    return _MENTION.sub(lambda m: m.group(0) + _ZWSP, text)


# Bidi controls reorder what follows them and zero-width characters hide text: in
# a public post either can make words read as something else. ZWNJ and ZWJ stay:
# scripts and emoji sequences need them.
_INVISIBLE = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# A masked link, [text](url), shows text that hides where it goes; a space
# after the bracket leaves the address in plain sight.
_MASKED_LINK = re.compile(r"\]\s*\(")


def neutralise_public(text: str) -> str:
    """Text fit for a public post: no bidi or zero-width tricks, no masked links,
    no pings. Idempotent, so already-neutralised text passes unchanged."""
    return neutralise_mentions(_MASKED_LINK.sub("] (", _INVISIBLE.sub("", text)))


def clean_text(text: str, *, field: str, max_length: int, required: bool = True) -> str:
    """Strip, check length, neutralise mentions; raise a friendly UserError when it does not fit."""
    value = text.strip()
    if required and not value:
        raise UserError(f"Please give some text for {field}.")
    if len(value) > max_length:
        raise UserError(
            f"{field.capitalize()} is {len(value):,} characters; the limit is {max_length:,}. "
            "Please shorten it and try again."
        )
    return neutralise_mentions(value)


def shorten(text: str, limit: int, ellipsis: str = "…") -> str:
    """Cut text to at most `limit` characters, marking the cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(ellipsis))].rstrip() + ellipsis


def unquoted(text: str) -> str:
    """'"Dr Sam Lee"' -> 'Dr Sam Lee': quotes a member put round a name that has spaces."""
    text = text.strip()
    if len(text) > 1 and text[0] in "\"“'" and text[-1] in "\"”'":
        return text[1:-1].strip()
    return text
