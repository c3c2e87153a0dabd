"""Core Responses as Discord messages and modals, within Discord's limits:
content 2,000 chars; embed title 256, description 4,096, 25 fields (name 256,
value 1,024), 6,000 in all; 25 buttons in rows of 5; modals with a 45-char
title, at most 5 text inputs (longer forms go in steps), labels of 45 chars.
Nothing we send can ping: allowed_mentions is empty on every message. A file
the Response carries goes as an attachment (multipart, with payload_json)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import discord

from bot.responses import Button, FormField, Moment, Response
from bot.text import shorten

NO_MENTIONS = discord.AllowedMentions.none()
EMBED_TOTAL = 6000
TIMESTAMP_STYLES = {"datetime": "F", "date": "D", "time": "t"}


def timestamp(m: Moment) -> str:
    """`<t:unix:style>`: Discord shows it in each reader's own zone and locale."""
    return f"<t:{m.unix}:{TIMESTAMP_STYLES[m.style]}>"


def message_kwargs(r: Response, custom_ids: Mapping[str, str]) -> dict[str, Any]:
    """Keyword arguments for send_message / channel.send; `custom_ids` maps each
    button's action to its custom_id (adapters.discord.actions)."""
    r = r.localised(timestamp)
    kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
    if r.title or r.fields:
        embed = discord.Embed(
            title=shorten(r.title or "", 256) or None,
            description=shorten(r.text, 4096) or None,
            colour=discord.Colour.red() if r.error else discord.Colour.blue(),
        )
        budget = EMBED_TOTAL - len(embed.title or "") - len(embed.description or "")
        for f in r.fields[:25]:
            name, value = shorten(f.name, 256), shorten(f.value or "-", 1024)
            budget -= len(name) + len(value)
            if budget < 0:
                break
            embed.add_field(name=name, value=value, inline=f.inline)
        kwargs["embed"] = embed
    else:
        kwargs["content"] = shorten(r.text or "Done.", 2000)
    if r.buttons:
        kwargs["view"] = button_view(r.buttons, custom_ids)
    if r.file:
        kwargs["file"] = discord.File(io.BytesIO(r.file.content), filename=r.file.name)
    return kwargs


def button_view(buttons: tuple[Button, ...], custom_ids: Mapping[str, str]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    styles = {"primary": discord.ButtonStyle.primary, "danger": discord.ButtonStyle.danger}
    for i, b in enumerate(buttons[:25]):
        view.add_item(
            discord.ui.Button(
                label=shorten(b.label, 80),
                style=styles.get(b.style, discord.ButtonStyle.secondary),
                custom_id=custom_ids[b.action],
                row=i // 5,
            )
        )
    return view


def modal(title: str, custom_id: str, fields: tuple[FormField, ...]) -> discord.ui.Modal:
    """One step of a form: at most 5 text inputs."""
    m = discord.ui.Modal(title=shorten(title, 45), custom_id=custom_id, timeout=None)
    for f in fields[:5]:
        placeholder = f.placeholder
        if f.choices:
            placeholder = "One of: " + ", ".join(c.value for c in f.choices)
        m.add_item(
            discord.ui.TextInput(
                label=shorten(f.label, 45),
                custom_id=f.key,
                required=f.required,
                style=discord.TextStyle.paragraph
                if f.kind == "paragraph"
                else discord.TextStyle.short,
                max_length=min(f.max_length, 4000),
                default=f.default[:4000] or None,
                placeholder=shorten(placeholder, 100) or None,
            )
        )
    return m


def modal_values(data: dict[str, Any]) -> dict[str, str]:
    """A MODAL_SUBMIT's components -> {field key: text}."""
    values: dict[str, str] = {}
    for row in data.get("components", []):
        for item in row.get("components", []):
            values[item["custom_id"]] = item.get("value") or ""
    return values
