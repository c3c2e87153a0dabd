"""Button custom_ids. A short action on a message in a server is the command
line itself ("r:<line>"), run as whoever presses it there. Anything else (a
line longer than a custom_id, or a button in a DM, which carries no server) is
kept in the database (bot.interactions) and named by an unguessable id
("s:<id>"), with its community, its owner and an expiry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from bot.core import Rounds
from bot.interactions import NewPending, keep
from bot.responses import Button

CUSTOM_ID = 100
ACTION_LIFETIME = timedelta(days=60)  # a "did you meet?" or a snooze may wait weeks
LINE, STORED, STEP, FORM = "r:", "s:", "c:", "f:"


class ActionIds:
    def __init__(self, rounds: Rounds) -> None:
        self.rounds = rounds

    async def custom_ids(
        self,
        buttons: Sequence[Button],
        community_id: str,
        owner_id: str | None,
        *,
        in_server: bool,
    ) -> Mapping[str, str]:
        """action -> custom_id for each button (stored ones in one transaction).
        `owner_id` is who may press them (None: anyone in the community)."""
        ids: dict[str, str] = {}
        kept: list[str] = []
        for b in buttons[:25]:
            if in_server and len(LINE + b.action) <= CUSTOM_ID:
                ids[b.action] = LINE + b.action
            elif b.action not in kept:
                kept.append(b.action)
        if kept:
            items = [NewPending(community_id, owner_id, "action", {"line": a}) for a in kept]
            stored = await keep(self.rounds.db, items, self.rounds.clock.now(), ACTION_LIFETIME)
            ids.update({a: STORED + i for a, i in zip(kept, stored, strict=True)})
        return ids
