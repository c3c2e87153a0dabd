"""The welcome DM on Discord, where the platform tells us no zone: it says none is
set and what that means, and its Change time zone button, pressed in the DM (no
server in the interaction), after a restart, opens the zone form and saves the
zone; a zone that is no zone is refused and nothing changes."""

from __future__ import annotations

from typing import Any

from bot.commands import Actor
from bot.core import Rounds
from tests.fakes.discord_api import (
    CALLBACK_MESSAGE,
    CALLBACK_MODAL,
    FakeDiscord,
    option,
    subcommand,
)
from tests.security.discord_support import community, fresh_bot, interact, said


async def _zone(rounds: Rounds, fake: FakeDiscord, user: dict[str, Any]) -> str:
    shown = await rounds.run_line(Actor(community(fake), str(user["id"])), "/profile show")
    return str(shown.data["profile"]["timezone"])


async def test_the_welcome_says_no_zone_is_set_and_its_button_works_in_the_dm(
    rounds: Rounds, fake_discord: FakeDiscord
) -> None:
    fake = fake_discord
    nia = fake.add_user("nia")
    dm = fake.dm_channel(nia)["id"]
    async with fresh_bot(rounds, fake):
        mark = fake.mark()
        await interact(fake, fake.slash_command("help", user=nia))
        posted = await fake.wait_for_call("POST", rf"/channels/{dm}/messages", since=mark)
    text = posted.json["embeds"][0]["description"]
    assert "not set yet, so your times are in UTC, this community's default" in text
    buttons = {b["label"]: b["custom_id"] for b in posted.json["components"][0]["components"]}
    change = buttons[rounds.content.msg("welcome_button_zone")]
    welcome = next(m for m in fake.messages.values() if m["channel_id"] == dm)

    async with fresh_bot(rounds, fake):  # restarted between the welcome and the press
        form = await interact(
            fake, fake.button_press(change, message=welcome, user=nia, in_dm=True)
        )
        assert form["type"] == CALLBACK_MODAL, said(form)
        assert form["data"]["title"] == "Your time zone"
        box = form["data"]["components"][0]["components"][0]
        assert (box["custom_id"], box.get("value")) == ("value", "UTC")
        refused = await interact(
            fake,
            fake.modal_submit(
                form["data"]["custom_id"], {"value": "Mars/Phobos"}, user=nia, in_dm=True
            ),
        )
        assert "not a time zone" in said(refused)
        assert await _zone(rounds, fake, nia) == "UTC"

        again = await interact(
            fake, fake.button_press(change, message=welcome, user=nia, in_dm=True)
        )
        saved = await interact(
            fake,
            fake.modal_submit(
                again["data"]["custom_id"], {"value": "Asia/Kolkata"}, user=nia, in_dm=True
            ),
        )
    assert saved["type"] == CALLBACK_MESSAGE
    assert "Saved your time zone: Asia/Kolkata" in said(saved)
    assert await _zone(rounds, fake, nia) == "Asia/Kolkata"


async def test_a_first_command_that_sets_the_zone_is_welcomed_with_it(
    rounds: Rounds, fake_discord: FakeDiscord
) -> None:
    fake = fake_discord
    ola = fake.add_user("ola")
    dm = fake.dm_channel(ola)["id"]
    async with fresh_bot(rounds, fake):
        mark = fake.mark()
        await interact(
            fake,
            fake.slash_command(
                "profile",
                subcommand("set", option("field", "timezone"), option("value", "Africa/Lagos")),
                user=ola,
            ),
        )
        posted = await fake.wait_for_call("POST", rf"/channels/{dm}/messages", since=mark)
    assert "Africa/Lagos, as you set it" in posted.json["embeds"][0]["description"]
