"""Reading what a member typed: the pitch text, its kind and pitch ids."""

from __future__ import annotations

import re

from bot.commands import Command
from bot.content import Pack
from bot.context import Context
from bot.errors import NotFound, UserError
from bot.features.pitch.analyser import count_words, guess_kind
from bot.features.pitch.rules import Kind, PitchRules
from bot.text import clean_text

TEXT_OPTION_LIMIT = 50_000  # the parser's cap; the pack's max_chars gives the friendly limit
_EXPLICIT_KIND = re.compile(r"(?:^|\s)kind=")
_MAX_ID = 2**62


def rules_of(ctx: Context) -> PitchRules:
    return ctx.pack.section("pitch", PitchRules)


def focus_keywords(pack: Pack) -> list[str]:
    """The pack's focus areas count as specific focus phrases."""
    return [k for area in pack.focus_areas for k in (*area.keywords, area.label.lower())]


def kinds_list(rules: PitchRules) -> str:
    return ", ".join(k.id for k in rules.kinds)


def _typed_text(cmd: Command) -> str:
    """The text after the subcommand, as typed (used when the first word was not a kind)."""
    raw = cmd.raw.strip()
    first, _, rest = raw.partition(" ")
    if first.lower() != cmd.sub:
        return ""
    rest = rest.strip()
    if len(rest) > 1 and rest[0] == rest[-1] and rest[0] in "\"'":
        rest = rest[1:-1]
    return rest


def pitch_text(ctx: Context, rules: PitchRules, raw: str) -> str:
    """Checked and mention-safe pitch text, or a friendly UserError."""
    if not raw.strip():
        raise UserError(ctx.msg("pitch_empty", kinds=kinds_list(rules)))
    if len(raw.strip()) > rules.max_chars:
        raise UserError(
            ctx.msg("pitch_too_many_chars", length=len(raw.strip()), limit=rules.max_chars)
        )
    text = clean_text(raw, field="your pitch", max_length=rules.max_chars)
    if count_words(text) == 0:
        raise UserError(ctx.msg("pitch_no_words"))
    return text


def kind_and_text(ctx: Context, cmd: Command, rules: PitchRules) -> tuple[Kind, str]:
    """`[kind] <text>`: the first word is a kind only if it names one; a kind given
    as such (kind=, or Discord's kind box: options without a typed line) must name one."""
    word, text = cmd.opt("kind").strip(), cmd.opt("text")
    kind = rules.find_kind(word) if word else None
    if word and kind is None:
        if _EXPLICIT_KIND.search(cmd.raw) or not cmd.raw:
            raise UserError(ctx.msg("pitch_unknown_kind", given=word[:40], kinds=kinds_list(rules)))
        text = _typed_text(cmd) or f"{word} {text}"
    cleaned = pitch_text(ctx, rules, text)
    return kind or guess_kind(cleaned, rules), cleaned


def pitch_id(ctx: Context, cmd: Command, key: str = "id") -> int:
    value = cmd.opt(key).strip()
    number = int(value) if re.fullmatch(r"\d{1,19}", value) else 0
    if not 0 < number < _MAX_ID:
        raise NotFound(ctx.msg("pitch_not_found", id=value[:20] or "?"))
    return number
