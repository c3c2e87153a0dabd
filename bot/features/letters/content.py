"""The `letters` section of a pack. The lead times themselves (ask, gentle check,
confirm) are the pack's cadences in pack.yaml, the one source of truth; this
section holds the hour and the thank-you delay."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from bot.content import Pack, Strict, section


@section("letters")
class LettersSection(Strict):
    hour: int = Field(ge=0, le=23)
    thank_you_days_after: int = Field(ge=0, le=60)
    max_open_letters: int = Field(ge=1, le=500)


@dataclass(frozen=True)
class Leads:
    """Weeks before the deadline for each reminder, from the pack's cadences."""

    ask: int
    gentle: int
    confirm: int


def letter_rules(pack: Pack) -> LettersSection:
    return pack.section("letters", LettersSection)


def leads(pack: Pack) -> Leads:
    c = pack.cadences
    return Leads(c.letter_lead_weeks, c.letter_gentle_check_weeks, c.letter_confirm_weeks)
