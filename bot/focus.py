"""Focus areas as members name them: "TACE" or "Y-90" is interventional oncology,
"PAE" men's health; words that fit several areas are answered with the choice."""

from __future__ import annotations

from bot.content import Pack
from bot.errors import UserError
from bot.text import neutralise_mentions, shorten


def pick_focus(pack: Pack, typed: str) -> str:
    """The one focus area of `pack` that `typed` names, or a friendly UserError."""
    found = pack.focus_named(typed)
    if len(found) == 1:
        return found[0]
    shown = neutralise_mentions(shorten(typed.strip(), 40))
    if found:
        raise UserError(
            f"'{shown}' fits several focus areas in the {pack.name} pack: "
            f"{', '.join(found)}. Which one did you mean?"
        )
    listed = ", ".join(f.id for f in pack.focus_areas)
    raise UserError(
        f"'{shown}' is not a focus area in the {pack.name} pack. Choose from: {listed}."
    )
