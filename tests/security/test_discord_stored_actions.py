"""Issue 15 #5: a button whose action is longer than a custom_id is kept in the
database under an unguessable id with its owner, community and expiry. After a
restart, when another member's new long button is made first, the old one
still runs its own action for its owner; pressed by another member, or from
another server, it never runs (nothing lands in anyone's contact log)."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.commands import Actor
from bot.core import Rounds
from bot.features.contacts.tables import contacts
from tests.fakes.conftest import loopback_only
from tests.fakes.discord_api import FakeDiscord, option, subcommand
from tests.fakes.discord_client import fake_discord
from tests.security.discord_support import community, fresh_bot, in_guild, interact, said

__all__ = ["fake_discord", "loopback_only"]
NOTES = "Talked about Y-90 dosimetry and a research elective; private: " + "x" * 700
THEIR_NOTES = "Mallory's own private notes about a visa interview: " + "y" * 700


async def _contacts(rounds: Rounds) -> int:
    async with rounds.db.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(contacts))).scalar_one()


async def test_a_long_button_survives_a_restart_for_its_owner_only(
    rounds: Rounds, fake_discord: FakeDiscord
) -> None:
    ana, other = fake_discord.add_user("ana"), fake_discord.add_user("mallory")

    def met(user: dict[str, str], name: str, notes: str) -> dict[str, object]:
        return fake_discord.slash_command(
            "conference",
            subcommand(
                "met", option("name", name), option("kind", "faculty"), option("notes", notes)
            ),
            user=user,
        )

    async with fresh_bot(rounds, fake_discord):
        refused = await interact(fake_discord, met(ana, "Dr Ana Lee", NOTES))
    [button] = refused["data"]["components"][0]["components"]
    assert len(button["custom_id"]) <= 100 and NOTES[:40] not in button["custom_id"]

    async with fresh_bot(rounds, fake_discord):  # restarted; Mallory's long button comes first
        await interact(fake_discord, met(other, "Dr Mal Ory", THEIR_NOTES))
        stranger = await interact(
            fake_discord, fake_discord.button_press(button["custom_id"], user=other)
        )
        elsewhere = await interact(
            fake_discord,
            in_guild(fake_discord.button_press(button["custom_id"], user=ana), 42),
        )
        assert await _contacts(rounds) == 0, "someone else's press ran the action"
        assert "Nothing was changed" in said(stranger) and "Nothing was changed" in said(elsewhere)
        owner = await interact(
            fake_discord, fake_discord.button_press(button["custom_id"], user=ana)
        )

    assert "expired" not in said(owner), said(owner)
    shown = await rounds.run_line(Actor(community(fake_discord), ana["id"], "ana"), "/contact list")
    assert "Dr Ana Lee" in json.dumps(shown.to_dict())
    assert "Dr Mal Ory" not in json.dumps(shown.to_dict())
    assert await _contacts(rounds) == 1
