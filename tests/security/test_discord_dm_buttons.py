"""Issue 15 #4: buttons under the DMs the bot sends work when pressed there,
where Discord sends no guild_id and the user at the top level: a reminder's
Snooze, a check-in prompt's button with the form it opens, and an
introduction's Accept."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from adapters.discord.app import DiscordBot
from bot.clock import FakeClock
from bot.commands import Actor
from bot.scheduling.dispatcher import Dispatcher
from tests.fakes.conftest import loopback_only
from tests.fakes.discord_api import CALLBACK_MODAL, MANAGE_GUILD, FakeDiscord, option, subcommand
from tests.fakes.discord_client import fake_discord
from tests.security.discord_support import bot, community, interact, organiser, said

__all__ = ["bot", "fake_discord", "loopback_only"]


async def _dm_buttons(bot: DiscordBot, fake: FakeDiscord, user: dict[str, Any]) -> list[str]:
    """Deliver what is due; the custom_ids of the buttons DMed to `user`."""
    dm = fake.dm_channel(user)["id"]
    mark = fake.mark()
    await Dispatcher(bot.rounds, bot.rounds.outbox).run_once()
    sent = [c for c in fake.requests[mark:] if c.matches("POST", rf"/channels/{dm}/messages")]
    assert sent, "nothing was DMed"
    rows = sent[-1].json["components"]
    return [b["custom_id"] for row in rows for b in row["components"]]


async def test_reminder_snooze_pressed_in_a_dm(
    bot: DiscordBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    sam = fake_discord.add_user("sam")
    me = Actor(community(fake_discord), sam["id"], "sam")
    made = await bot.rounds.run_line(me, "/remind me in 10 minutes stretch")
    assert not made.error, made.text
    clock.advance(timedelta(minutes=11))
    snooze = (await _dm_buttons(bot, fake_discord, sam))[0]

    reply = await interact(fake_discord, fake_discord.button_press(snooze, user=sam, in_dm=True))

    assert "Snoozed" in said(reply), said(reply)
    listed = await bot.rounds.run_line(me, "/remind list")
    assert "stretch" in json.dumps(listed.to_dict())


async def test_checkin_prompt_and_its_form_in_a_dm(
    bot: DiscordBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    sam = fake_discord.add_user("sam")
    me = Actor(community(fake_discord), sam["id"], "sam")
    made = await bot.rounds.run_line(me, "/group create crew monday 09:00 UTC")
    assert not made.error, made.text
    clock.advance(timedelta(days=7) - timedelta(hours=4, minutes=59))  # Monday 09:01
    [check_in] = await _dm_buttons(bot, fake_discord, sam)

    form = await interact(fake_discord, fake_discord.button_press(check_in, user=sam, in_dm=True))
    assert form["type"] == CALLBACK_MODAL, said(form)
    keys = [row["components"][0]["custom_id"] for row in form["data"]["components"]]
    answers = {k: "" for k in keys} | {"win": "Sent two emails", "next": "Draft the abstract"}
    await interact(
        fake_discord,
        fake_discord.modal_submit(form["data"]["custom_id"], answers, user=sam, in_dm=True),
    )

    history = await bot.rounds.run_line(me, "/checkin history")
    assert "Draft the abstract" in json.dumps(history.to_dict())


async def _fill(bot: DiscordBot, who: Actor, line: str, answers: dict[str, str]) -> None:
    """Open a form with `line` and submit it as the member would."""
    opened = await bot.rounds.run_line(who, line)
    assert opened.form is not None, (line, opened.text)
    defaults = {f.key: f.default for f in opened.form.fields}
    done = await bot.rounds.submit_form(who, opened.form.submit, defaults | answers)
    assert not done.error, (line, done.text)


async def test_an_introduction_accepted_in_a_dm(bot: DiscordBot, fake_discord: FakeDiscord) -> None:
    ana, amir = fake_discord.add_user("ana"), fake_discord.add_user("amir")
    where = community(fake_discord)
    mentor, mentee = Actor(where, ana["id"], "ana"), Actor(where, amir["id"], "amir")
    opened = await bot.rounds.run_line(organiser(fake_discord), "/mentor round open seed=42")
    assert not opened.error, opened.text
    wants = {"kinds": "research", "focus": "interventional-oncology"}
    await _fill(bot, mentor, "/mentor signup", wants | {"stage": "attending", "capacity": "2"})
    await _fill(bot, mentor, "/mentor details", {"timezone": "America/Chicago"})
    await _fill(bot, mentee, "/mentee signup", wants | {"stage": "ms3", "goal": "an abstract"})
    await _fill(bot, mentee, "/mentee details", {"timezone": "Asia/Kolkata"})
    closed = await bot.rounds.run_line(organiser(fake_discord), "/mentor round close")
    assert not closed.error, closed.text
    dm = fake_discord.dm_channel(amir)["id"]
    mark = fake_discord.mark()
    await interact(
        fake_discord,
        fake_discord.slash_command(
            "mentor",
            subcommand("round", option("action", "publish")),
            permissions=MANAGE_GUILD,
        ),
    )
    intro = await fake_discord.wait_for_call("POST", rf"/channels/{dm}/messages", since=mark)
    accept = intro.json["components"][0]["components"][0]["custom_id"]

    reply = await interact(fake_discord, fake_discord.button_press(accept, user=amir, in_dm=True))

    assert "Thank you" in said(reply), said(reply)
