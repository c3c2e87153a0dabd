"""A form whose submission answers with the next form, on Discord: a modal cannot
answer a modal (the fake refuses it as Discord does), so the answer says what
the core said with a Continue button that opens the next form, once the posts
it speaks of went out; when the member's DM was refused, the answer says so
and offers no next form."""

from __future__ import annotations

from typing import Any

from bot.core import Rounds
from tests.adapters.plan import COPY_SENT, with_plan
from tests.fakes.discord_api import CALLBACK_MESSAGE, CALLBACK_MODAL, EPHEMERAL, FakeDiscord
from tests.security.discord_support import fresh_bot, interact, said


def _plan(rounds: Rounds) -> Rounds:
    return Rounds(rounds.db, rounds.content, clock=rounds.clock, commands=with_plan())


async def _submit_first_step(fake: FakeDiscord, user: dict[str, Any]) -> dict[str, Any]:
    await interact(fake, fake.slash_command("help", user=user))  # the welcome, first
    opened = await interact(fake, fake.slash_command("plan", user=user))
    assert opened["type"] == CALLBACK_MODAL
    return await interact(
        fake, fake.modal_submit(opened["data"]["custom_id"], {"goal": "email Dr Rao"}, user=user)
    )


async def test_the_next_form_opens_from_a_button_after_the_dm_went_out(
    rounds: Rounds, fake_discord: FakeDiscord
) -> None:
    fake, rounds = fake_discord, _plan(rounds)
    ines = fake.add_user("ines")
    dm = fake.dm_channel(ines)["id"]
    async with fresh_bot(rounds, fake):
        mark = fake.mark()
        answer = await _submit_first_step(fake, ines)
        assert answer["type"] == CALLBACK_MESSAGE and answer["data"]["flags"] & EPHEMERAL
        assert COPY_SENT in said(answer)
        copies = [
            c
            for c in fake.requests[mark:]
            if c.matches("POST", rf"/channels/{dm}/messages") and "email Dr Rao" in str(c.json)
        ]
        assert len(copies) == 1  # sent before the answer said so
        [button] = answer["data"]["components"][0]["components"]
        assert button["label"] == rounds.content.msg("form_continue")
    async with fresh_bot(rounds, fake):  # the next form is kept, not in memory
        step = await interact(fake, fake.button_press(button["custom_id"], user=ines))
        assert step["type"] == CALLBACK_MODAL
        assert step["data"]["components"][0]["components"][0]["custom_id"] == "steps"
        done = await interact(
            fake,
            fake.modal_submit(step["data"]["custom_id"], {"steps": "draft it"}, user=ines),
        )
    assert "Saved: draft it" in said(done)


async def test_a_refused_dm_is_said_and_no_next_form_is_offered(
    rounds: Rounds, fake_discord: FakeDiscord
) -> None:
    fake, rounds = fake_discord, _plan(rounds)
    shy = fake.add_user("shy")
    async with fresh_bot(rounds, fake):
        await interact(fake, fake.slash_command("help", user=shy))
        fake.close_dms(shy["id"])
        opened = await interact(fake, fake.slash_command("plan", user=shy))
        answer = await interact(
            fake, fake.modal_submit(opened["data"]["custom_id"], {"goal": "x"}, user=shy)
        )
    assert answer["type"] == CALLBACK_MESSAGE
    assert "they are closed to me" in said(answer) and COPY_SENT not in said(answer)
    assert not answer["data"].get("components")
