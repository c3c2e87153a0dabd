"""A small mentoring pool made through the core (forms answered as a member
would), for adapter tests that need a round to export."""

from __future__ import annotations

from bot.commands import Actor
from bot.core import Rounds

MENTOR_ANSWERS = {"kinds": "near-peer,career", "focus": "venous-disease", "stage": "pgy3"}
MENTEE_ANSWERS = {"kinds": "near-peer", "focus": "venous-disease", "stage": "ms2"}


async def _sign_up(rounds: Rounds, actor: Actor, line: str, answers: dict[str, str]) -> None:
    response = await rounds.run_line(actor, line)
    if response.form:
        values = {f.key: answers.get(f.key, f.default) for f in response.form.fields}
        response = await rounds.submit_form(actor, response.form.submit, values)
    assert not response.error, response.text


async def open_round_with_a_pair(
    rounds: Rounds, community: str, organiser: str, mentor: str, mentee: str
) -> None:
    """Round 1 open, with one mentor and one mentee who fit each other."""
    opened = await rounds.run_line(Actor(community, organiser, "o", True), "/mentor round open")
    assert not opened.error, opened.text
    await _sign_up(
        rounds, Actor(community, mentor), "/mentor signup", MENTOR_ANSWERS | {"capacity": "1"}
    )
    await _sign_up(
        rounds,
        Actor(community, mentee),
        "/mentee signup",
        MENTEE_ANSWERS | {"goal": "plan away rotations"},
    )
