"""The pack's `contacts` section and the follow-up cadences: the pack's defaults
(pack.yaml `cadences`) unless the community's organisers changed them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import Field

from bot.content import Pack, Range, Strict, section

# /admin cadence names -> the pack's cadence keys
CADENCES = {
    "follow-up": "follow_up_after_meeting_days",
    "no-reply": "no_reply_follow_up_days",
    "update": "mentor_update_days",
}
SETTINGS_KEY = "cadences"
KINDS = ("emailed", "replied", "met", "note")


class LogKind(Strict):
    kind: str = Field(pattern=r"^(emailed|replied|met)$")
    words: list[str] = Field(min_length=1)


@section("contacts")
class ContactRules(Strict):
    nudge_hour: int = Field(ge=0, le=23)
    max_contacts_per_member: int = Field(ge=1, le=10_000)
    log_kinds: list[LogKind] = Field(min_length=1)
    # Words in a contact's role: a mentor is kept updated from the start; a peer
    # gets no update nudges unless the member asks (/contact updates <id> on).
    mentor_roles: list[str] = Field(min_length=1)
    peer_roles: list[str] = Field(min_length=1)

    def is_mentor(self, role: str) -> bool:
        return _names(role, self.mentor_roles)

    def is_peer(self, role: str) -> bool:
        return _names(role, self.peer_roles) and not self.is_mentor(role)

    def kind_of(self, text: str) -> str:
        """What a log line says happened: the first kind whose words it contains."""
        lowered = text.lower()
        for entry in self.log_kinds:
            for word in entry.words:
                if re.search(rf"(?<![a-z]){re.escape(word.lower())}(?![a-z])", lowered):
                    return entry.kind
        return "note"


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
