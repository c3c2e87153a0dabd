"""Core Responses as Slack Block Kit: messages, ephemeral replies and modals.

All text is escaped (&, <, >), so user text can never become <!here> or <@U…>;
light markdown (**bold**) becomes Slack's mrkdwn (*bold*). Slack's limits are
respected silently: sections of 3,000 chars, 10 fields of 2,000 chars each,
50 blocks per message, modal titles of 24 chars, 100 select options."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.registry import registry
from bot.responses import Button, Form, FormField, Moment, Response, plain_moments, render_moments
from bot.text import shorten

SECTION = 3000
FIELD = 2000
MAX_BLOCKS = 50
MAX_FIELDS = 10
ACTION_VALUE = 2000
FORM_CALLBACK = "rounds:form"
# Slack keeps some command names for itself (/remind, /status, ...): ours get a prefix.
SLACK_RESERVED = frozenset(
    {
        "remind",
        "status",
        "me",
        "msg",
        "invite",
        "join",
        "leave",
        "mute",
        "search",
        "away",
        "dnd",
        "feed",
        "shrug",
        "topic",
    }
)


def slack_command(name: str) -> str:
    """The slash command a core command is registered as on Slack."""
    return f"/rounds-{name}" if name in SLACK_RESERVED else f"/{name}"


def core_command(slash: str) -> str:
    """Back from a Slack slash command to the core's command name."""
    name = slash.lstrip("/")
    return name.removeprefix("rounds-") if name.removeprefix("rounds-") in SLACK_RESERVED else name


_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# "/remind" and the like where a reference ends; where it starts is checked on a
# match (a pattern led by the slash is scanned for fast: a help reply has many).
_RESERVED_REF = re.compile(r"/(" + "|".join(sorted(SLACK_RESERVED)) + r")(?=[\s`:)]|$)")


def _slack_name(m: re.Match[str]) -> str:
    """A reference to one of our commands, as Slack registers it (`/rounds-remind`)."""
    before = m.string[m.start() - 1] if m.start() else " "
    starts = before.isspace() or before in "`("
    return f"/rounds-{m[1]}" if starts and m[1] in registry.commands else m[0]


DATE_TOKENS = {
    "datetime": "{date_short_pretty} at {time}",
    "date": "{date_short_pretty}",
    "time": "{time}",
}


def date_token(m: Moment) -> str:
    """`<!date^unix^format|fallback>`: Slack shows it in each reader's own zone; the
    fallback (already escaped) is for clients that cannot."""
    return f"<!date^{m.unix}^{DATE_TOKENS[m.style]}|{m.fallback}>"


def mrkdwn(text: str) -> str:
    """Escaped Slack mrkdwn; "`/remind list`" becomes "`/rounds-remind list`", the
    name members must type here (Slack keeps /remind for itself); times become
    Slack date tokens. Each step runs only where the text has what it changes:
    a /help reply renders some thirty pieces."""
    out = escape(text)
    if "**" in out:
        out = _BOLD.sub(r"*\1*", out)
    if "/" in out:
        out = _RESERVED_REF.sub(_slack_name, out)
    return render_moments(out, date_token)


def _chunks(text: str, size: int) -> list[str]:
    """Split at line ends where possible, so each piece fits a section."""
    out: list[str] = []
    while len(text) > size:
        cut = text.rfind("\n", 0, size)
        cut = cut if cut > size // 2 else size
        out.append(text[:cut])
        text = text[cut:].lstrip("\n")
    if text:
        out.append(text)
    return out


def blocks(r: Response) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if r.title:
        out.append(
            {
                "type": "header",
                "text": {"type": "plain_text", "text": shorten(plain_moments(r.title), 150)},
            }
        )
    for piece in _chunks(mrkdwn(r.text), SECTION):
        out.append({"type": "section", "text": {"type": "mrkdwn", "text": piece}})
    fields = [f"*{mrkdwn(f.name)}*\n{mrkdwn(f.value)}" for f in r.fields]
    for i in range(0, len(fields), MAX_FIELDS):
        out.append(
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": shorten(f, FIELD)}
                    for f in fields[i : i + MAX_FIELDS]
                ],
            }
        )
    if r.buttons:
        out.append(
            {"type": "actions", "elements": [_button(b, i) for i, b in enumerate(r.buttons[:25])]}
        )
    if len(out) > MAX_BLOCKS:
        out = [
            *out[: MAX_BLOCKS - 1],
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": "(shortened to fit Slack)"}],
            },
        ]
    return out


def _button(b: Button, i: int) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": f"rounds:{i}",
        "text": {"type": "plain_text", "text": shorten(plain_moments(b.label), 75)},
        "value": b.action[:ACTION_VALUE],
    }
    if b.style in ("primary", "danger"):
        button["style"] = b.style
    return button


def fallback_text(r: Response) -> str:
    """The plain `text` Slack shows in notifications."""
    return shorten(escape(plain_moments(r.title or r.text or "Rounds")), 3000)


def message(r: Response) -> dict[str, Any]:
    return {"text": fallback_text(r), "blocks": blocks(r)}


def modal(form: Form, channel_id: str | None) -> dict[str, Any]:
    meta = json.dumps({"submit": form.submit, "channel": channel_id})
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "private_metadata": meta[:3000],
        "title": {"type": "plain_text", "text": shorten(form.title, 24)},
        "submit": {"type": "plain_text", "text": shorten(form.submit_label, 24)},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": _intro(form) + [_input(f) for f in form.fields[:99]],
    }


def notice(text: str) -> dict[str, Any]:
    """A modal that only says something (a form that cannot be submitted any more)."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Rounds"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn(text)}}],
    }


def _intro(form: Form) -> list[dict[str, Any]]:
    if not form.intro:
        return []
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": shorten(mrkdwn(form.intro), 3000)}}
    ]


def _input(f: FormField) -> dict[str, Any]:
    element: dict[str, Any]
    if f.kind == "choice" and f.choices:
        options = [
            {"text": {"type": "plain_text", "text": shorten(c.label, 75)}, "value": c.value[:150]}
            for c in f.choices[:100]
        ]
        element = {"type": "static_select", "action_id": f.key, "options": options}
        initial = next((o for o in options if o["value"] == f.default), None)
        if initial:
            element["initial_option"] = initial
    else:
        element = {
            "type": "plain_text_input",
            "action_id": f.key,
            "multiline": f.kind == "paragraph",
            "max_length": min(f.max_length, 3000),
        }
        if f.default:
            element["initial_value"] = f.default[:3000]
    if f.placeholder:
        element["placeholder"] = {"type": "plain_text", "text": shorten(f.placeholder, 150)}
    return {
        "type": "input",
        "block_id": f.key,
        "optional": not f.required,
        "label": {"type": "plain_text", "text": shorten(f.label, 2000)},
        "element": element,
    }


def form_values(state: dict[str, Any]) -> dict[str, str]:
    """A view_submission's state.values -> {field key: text}."""
    values: dict[str, str] = {}
    for block in state.get("values", {}).values():
        for key, item in block.items():
            if item.get("type") == "static_select":
                chosen = item.get("selected_option") or {}
                values[key] = chosen.get("value", "")
            else:
                values[key] = item.get("value") or ""
    return values
