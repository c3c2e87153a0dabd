"""Turning an automatic check into what the member reads: a title, a summary
and one field per missing part or flag, each with its one-line suggestion."""

from __future__ import annotations

from bot.context import Context
from bot.features.pitch.analyser import Analysis
from bot.features.pitch.rules import Kind, PitchRules
from bot.responses import Field
from bot.text import neutralise_mentions


def name(display: str, member_id: str) -> str:
    """A member's name as shown in posts: never a ping."""
    return neutralise_mentions(display or member_id)[:100]


def _seconds(value: float) -> str:
    return f"{value:.0f}"


def suggestion(rules: PitchRules, kind: Kind, analysis: Analysis, item_id: str) -> str:
    template = kind.suggestions.get(item_id)
    if template is None:
        ids = {e.id for e in rules.elements}
        if item_id in ids:
            template = rules.element(item_id).suggestion
        else:
            flag = rules.flag(item_id)
            template = (flag.written if kind.written else None) or flag.suggestion
    lo, hi = analysis.target
    words = (lo, hi) if kind.written else (_words(rules, lo), _words(rules, hi))
    return template.format(
        words=analysis.words,
        seconds=_seconds(analysis.seconds),
        lo=lo,
        hi=hi,
        lo_words=words[0],
        hi_words=words[1],
        kind=kind.label.lower(),
    )


def _words(rules: PitchRules, seconds: int) -> int:
    return round(seconds * rules.words_per_minute / 60)


def title(ctx: Context, kind: Kind, analysis: Analysis) -> str:
    lo, hi = analysis.target
    return ctx.msg(
        "pitch_check_title_written" if kind.written else "pitch_check_title",
        words=analysis.words,
        seconds=_seconds(analysis.seconds),
        lo=lo,
        hi=hi,
        kind=kind.label.lower(),
    )


def summary(ctx: Context, rules: PitchRules, analysis: Analysis) -> str:
    if not analysis.english:
        return ctx.msg("pitch_not_english")
    if not analysis.missing:
        text = ctx.msg("pitch_all_parts")
    else:
        labels: dict[str, str] = {e.id: e.label.lower() for e in rules.elements}
        text = ctx.msg(
            "pitch_parts",
            present=", ".join(labels[e] for e in analysis.present) or ctx.msg("pitch_nothing"),
            missing=", ".join(labels[e] for e in analysis.missing),
        )
    if not analysis.flags:
        text += "\n" + ctx.msg("pitch_no_flags")
    return text


def fields(ctx: Context, rules: PitchRules, kind: Kind, analysis: Analysis) -> tuple[Field, ...]:
    out = []
    for element_id in analysis.missing:
        label = rules.element(element_id).label
        out.append(
            Field(
                ctx.msg("pitch_add_field", label=label),
                suggestion(rules, kind, analysis, element_id),
            )
        )
    for flag_id in analysis.flags:
        label = rules.flag(flag_id).label
        out.append(
            Field(
                ctx.msg("pitch_flag_field", label=label),
                suggestion(rules, kind, analysis, flag_id),
            )
        )
    return tuple(out)


def changes(ctx: Context, rules: PitchRules, before: Analysis, after: Analysis) -> str:
    """How the automatic check moved between two versions, in words."""
    labels: dict[str, str] = {e.id: e.label.lower() for e in rules.elements}
    flags: dict[str, str] = {f.id: f.label.lower() for f in rules.flags}
    parts = []
    gained = [labels[e] for e in before.missing if e not in after.missing]
    lost = [labels[e] for e in after.missing if e not in before.missing]
    cleared = [flags[f] for f in before.flags if f not in after.flags]
    new = [flags[f] for f in after.flags if f not in before.flags]
    if gained:
        parts.append(ctx.msg("pitch_changes_gained", parts=", ".join(gained)))
    if lost:
        parts.append(ctx.msg("pitch_changes_lost", parts=", ".join(lost)))
    if cleared:
        parts.append(ctx.msg("pitch_changes_cleared", flags=", ".join(cleared)))
    if new:
        parts.append(ctx.msg("pitch_changes_new_flags", flags=", ".join(new)))
    return "; ".join(parts) + "." if parts else ctx.msg("pitch_changes_none")
