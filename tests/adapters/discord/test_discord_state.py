"""Issue 16: the Discord adapter keeps no state in memory between messages.
The real discord.py client is restarted (a new core and client on the same
database) between rendering a button and pressing it, and between the steps of
a form longer than one modal; both still work, and a second process finishes
a form the first one opened while both are up. A form left past its expiry
answers that it expired. (A long button action across a restart:
tests/security/test_discord_stored_actions.py.)"""

from __future__ import annotations

from datetime import timedelta

from adapters.discord.app import FORM_LIFETIME
from bot.clock import FakeClock
from bot.commands import Command
from bot.context import Context
from bot.core import Rounds
from bot.registry import Registry, registry
from bot.responses import Form, FormField, Response
from tests.fakes.discord_api import CALLBACK_MESSAGE, CALLBACK_MODAL, FakeDiscord, subcommand
from tests.security.discord_support import fresh_bot, interact, said

KEYS = tuple(f"q{i}" for i in range(1, 8))  # seven questions: two modals


def _with_survey() -> Registry:
    """The bot's commands plus a seven-question form that echoes its answers."""
    reg = Registry()
    reg.commands = dict(registry.commands)
    reg.command("survey", "A long form")

    @reg.sub("survey", "open", "Open it", opens_form=True)
    async def open_(ctx: Context, cmd: Command) -> Response:
        fields = tuple(FormField(k, f"Question {k}", required=False) for k in KEYS)
        return Response(form=Form("Survey", "survey save", fields))

    @reg.sub("survey", "save", "Save it", hidden=True)
    async def save(ctx: Context, cmd: Command) -> Response:
        return Response(text="answers: " + " ".join(cmd.opt(k) for k in KEYS))

    return reg


def _inputs(body: dict[str, object]) -> list[str]:
    data = body["data"]
    assert isinstance(data, dict)
    return [row["components"][0]["custom_id"] for row in data["components"]]


async def test_a_long_form_survives_a_restart_between_its_steps(
    rounds: Rounds, fake_discord: FakeDiscord
) -> None:
    rounds = Rounds(rounds.db, rounds.content, clock=rounds.clock, commands=_with_survey())
    async with fresh_bot(rounds, fake_discord):
        first = await interact(
            fake_discord, fake_discord.slash_command("survey", subcommand("open"))
        )
        assert first["type"] == CALLBACK_MODAL and _inputs(first) == list(KEYS[:5])
        step = await interact(
            fake_discord,
            fake_discord.modal_submit(first["data"]["custom_id"], {k: k.upper() for k in KEYS[:5]}),
        )
    [more] = step["data"]["components"][0]["components"]

    async with fresh_bot(rounds, fake_discord):  # restarted between the steps
        second = await interact(fake_discord, fake_discord.button_press(more["custom_id"]))
        assert second["type"] == CALLBACK_MODAL and _inputs(second) == list(KEYS[5:])
        done = await interact(
            fake_discord,
            fake_discord.modal_submit(second["data"]["custom_id"], {"q6": "Q6", "q7": "Q7"}),
        )
    assert done["type"] == CALLBACK_MESSAGE
    assert "answers: Q1 Q2 Q3 Q4 Q5 Q6 Q7" in said(done)


async def test_a_button_and_its_form_survive_a_restart(
    rounds: Rounds, fake_discord: FakeDiscord
) -> None:
    async with fresh_bot(rounds, fake_discord):
        shown = await interact(
            fake_discord, fake_discord.slash_command("profile", subcommand("show"))
        )
    edit = shown["data"]["components"][0]["components"][0]["custom_id"]
    async with fresh_bot(rounds, fake_discord):
        form = await interact(fake_discord, fake_discord.button_press(edit))
    assert form["type"] == CALLBACK_MODAL
    async with fresh_bot(rounds, fake_discord):  # restarted with the modal open
        saved = await interact(
            fake_discord,
            fake_discord.modal_submit(
                form["data"]["custom_id"],
                {"timezone": "Asia/Kolkata", "stage": "ms4", "pack": "ir", "interests": ""},
            ),
        )
        shown = await interact(
            fake_discord, fake_discord.slash_command("profile", subcommand("show"))
        )
    assert "expired" not in said(saved)
    assert "Asia/Kolkata" in said(shown)


async def test_a_form_past_its_expiry_answers_that_it_expired(
    rounds: Rounds, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    async with fresh_bot(rounds, fake_discord) as bot:
        form = await interact(
            fake_discord, fake_discord.slash_command("profile", subcommand("edit"))
        )
        clock.advance(FORM_LIFETIME + timedelta(minutes=1))
        late = await interact(
            fake_discord,
            fake_discord.modal_submit(form["data"]["custom_id"], {"timezone": "Asia/Tokyo"}),
        )
        assert said(late).count(bot.rounds.content.msg("form_expired")) == 1
        shown = await interact(
            fake_discord, fake_discord.slash_command("profile", subcommand("show"))
        )
    assert "Asia/Tokyo" not in said(shown)


async def test_a_second_process_finishes_a_form_the_first_one_opened(
    rounds: Rounds, fake_discord: FakeDiscord
) -> None:
    rounds = Rounds(rounds.db, rounds.content, clock=rounds.clock, commands=_with_survey())
    async with fresh_bot(rounds, fake_discord):  # stays up while the second one connects
        first = await interact(
            fake_discord, fake_discord.slash_command("survey", subcommand("open"))
        )
        async with fresh_bot(rounds, fake_discord):  # the gateway now talks to this one
            step = await interact(
                fake_discord,
                fake_discord.modal_submit(first["data"]["custom_id"], {"q1": "one"}),
            )
            [more] = step["data"]["components"][0]["components"]
            second = await interact(fake_discord, fake_discord.button_press(more["custom_id"]))
            done = await interact(
                fake_discord,
                fake_discord.modal_submit(second["data"]["custom_id"], {"q7": "seven"}),
            )
    assert said(done).count("answers: one") == 1 and "seven" in said(done)
