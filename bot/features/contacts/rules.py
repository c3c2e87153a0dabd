"""The pack's `contacts` section and the follow-up cadences: the pack's defaults
(pack.yaml `cadences`) unless the community's organisers changed them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import Field, field_validator

from bot.content import Pack, Range, Strict, section

# /admin cadence names -> the pack's cadence keys
CADENCES = {
    "follow-up": "follow_up_after_meeting_days",
    "no-reply": "no_reply_follow_up_days",
    "update": "mentor_update_days",
}
SETTINGS_KEY = "cadences"
OUTCOMES = ("met", "emailed", "replied", "no-reply", "called", "note")


class Outcome(Strict):
    kind: str = Field(pattern=r"^(met|emailed|replied|no-reply|called|note)$")
    label: str = Field(min_length=1, max_length=40)
    words: list[str] = Field(default_factory=list)


@section("contacts")
class ContactRules(Strict):
    nudge_hour: int = Field(ge=0, le=23)
    max_contacts_per_member: int = Field(ge=1, le=10_000)
    outcomes: list[Outcome] = Field(min_length=len(OUTCOMES))
    negations: list[str] = Field(min_length=1)
    # Words in a contact's role: a mentor is kept updated from the start; a peer
    # gets no update nudges unless the member asks (/contact updates <id> on).
    mentor_roles: list[str] = Field(min_length=1)
    peer_roles: list[str] = Field(min_length=1)
    # More words that start a role or an institution in `/contact add <words>`.
    role_words: list[str] = Field(default_factory=list)
    institution_words: list[str] = Field(default_factory=list)

    def is_mentor(self, role: str) -> bool:
        return _names(role, self.mentor_roles)

    def is_peer(self, role: str) -> bool:
        return _names(role, self.peer_roles) and not self.is_mentor(role)

    @field_validator("outcomes")
    @classmethod
    def _every_outcome_once(cls, v: list[Outcome]) -> list[Outcome]:
        kinds = [o.kind for o in v]
        if sorted(kinds) != sorted(OUTCOMES):
            raise ValueError(f"list each of {', '.join(OUTCOMES)} once, not {kinds}")
        return v

    def label(self, kind: str) -> str:
        return next(o.label for o in self.outcomes if o.kind == kind)


def _names(text: str, words: list[str]) -> bool:
    lowered = text.lower()
    return any(re.search(rf"(?<![a-z0-9]){re.escape(w.lower())}(?![a-z])", lowered) for w in words)


def rules(pack: Pack) -> ContactRules:
    return pack.section("contacts", ContactRules)


def cadence(pack: Pack, settings: Mapping[str, Any], name: str) -> Range:
    """Days for a cadence ("follow-up", "no-reply", "update"), community first."""
    key = CADENCES[name]
    override = (settings.get(SETTINGS_KEY) or {}).get(key)
    if isinstance(override, dict):
        try:
            return Range.model_validate(override)
        except ValueError:
            pass  # a damaged setting falls back to the pack
    value = getattr(pack.cadences, key)
    assert isinstance(value, Range)
    return value
