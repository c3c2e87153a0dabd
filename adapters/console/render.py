"""Plain-text rendering of a Response for a terminal."""

from __future__ import annotations

import re

from bot.responses import Response

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _plain(text: str) -> str:
    return _BOLD.sub(r"\1", text)


def in_zone(r: Response, zone: str) -> Response:
    """The response with its times in the reader's zone."""
    return r.localised(lambda m: m.local(zone))


def render_text(r: Response, zone: str = "UTC") -> str:
    r = in_zone(r, zone)
    lines: list[str] = []
    prefix = "(only you) " if r.ephemeral else ""
    if r.dm:
        prefix = "(DM) "
    if r.title:
        lines.append(f"{prefix}== {r.title} ==")
        prefix = ""
    if r.text:
        lines.append(prefix + ("! " if r.error else "") + _plain(r.text))
    for f in r.fields:
        lines.append(f"  {_plain(f.name)}: {f.value}")
    if r.buttons:
        lines.append("  " + "  ".join(f"[{b.label} -> /{b.action}]" for b in r.buttons))
    if r.file:
        lines.append(f"  (file {r.file.name}, {len(r.file.content):,} bytes)")
    if r.form:
        names = ", ".join(f"{f.key}=" for f in r.form.fields)
        lines.append(f"  (form '{r.form.title}': answer with {names})")
    for post in r.also:
        where = f"DM to {post.to.member_id}" if post.to.member_id else f"#{post.to.channel_id}"
        lines.append(f"  -> {where}: {render_text(post.message, zone)}")
    return "\n".join(lines)
