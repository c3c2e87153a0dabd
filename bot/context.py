"""What a handler gets besides the command: the services and who is asking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.content import Pack
from bot.members import Community, Membership, Profile
from bot.zones import Zone, parse_zone

if TYPE_CHECKING:
    from bot.core import Rounds
    from bot.storage.db import Database


@dataclass(frozen=True)
class Context:
    rounds: Rounds
    membership: Membership
    is_organiser: bool
    first_visit: bool = False  # the member's first command in this community

    @property
    def db(self) -> Database:
        return self.rounds.db

    @property
    def community(self) -> Community:
        return self.membership.community

    @property
    def community_id(self) -> str:
        return self.membership.community.id

    @property
    def profile(self) -> Profile:
        return self.membership.profile

    @property
    def member_id(self) -> str:
        return self.membership.profile.member_id

    @property
    def pack(self) -> Pack:
        return self.rounds.content.pack(self.membership.pack_id)

    def now(self) -> datetime:
        return self.rounds.clock.now()

    def msg(self, key: str, **values: object) -> str:
        return self.rounds.content.msg(key, **values)

    def zone(self, text: str) -> Zone:
        """The time zone a member typed, read with the community's content and clock."""
        return parse_zone(text, self.rounds.content.zones, self.now(), self.msg)
