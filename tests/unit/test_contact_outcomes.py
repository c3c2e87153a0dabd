"""Typed /contact log lines and the outcome each must record (None: ask which).
A negation is never read as the positive outcome."""

from __future__ import annotations

import pytest

from bot.content import load_content
from bot.features.contacts.outcomes import outcome_of
from bot.features.contacts.rules import rules

RULES = rules(load_content().pack("ir"))

NEGATIONS = [
    ("still no reply", "no-reply"),
    ("no reply", "no-reply"),
    ("haven't heard back yet", "no-reply"),
    ("haven’t heard back", "no-reply"),
    ("not yet", "no-reply"),
    ("didn't reply", "no-reply"),
    ("she didn't respond to my email", "no-reply"),
    ("no response after two weeks", "no-reply"),
    ("never replied", "no-reply"),
    ("still waiting to hear back", "no-reply"),
    ("nothing back from his office", "no-reply"),
    ("hasn't replied since the conference", "no-reply"),
    ("did not reply", "no-reply"),
    ("ghosted, sadly", "no-reply"),
    ("yet to hear from her", "no-reply"),
    ("didn't get back to me", "no-reply"),
    ("no answer to my follow-up", "no-reply"),
    ("didn't meet him after all", None),
    ("haven't emailed yet", None),
    ("couldn't call, the office was closed", None),
    ("not emailed, will do monday", None),
    ("we never met in the end", None),
]
POSITIVES = [
    ("emailed", "emailed"),
    ("emailed about a research project", "emailed"),
    ("sent my CV", "emailed"),
    ("messaged on LinkedIn", "emailed"),
    ("followed up after the talk", "emailed"),
    ("reached out through the program coordinator", "emailed"),
    ("replied", "replied"),
    ("she replied, happy to meet", "replied"),
    ("got a reply this morning", "replied"),
    ("he wrote back with two dates", "replied"),
    ("emailed and she replied the same day", "replied"),
    ("met", "met"),
    ("met at SIR, talked about the IO rotation", "met"),
    ("coffee at the poster session", "met"),
    ("zoom for 20 minutes", "met"),
    ("had a call about research", "met"),
    ("called his office, left a message", "called"),
    ("left a voicemail", "called"),
    ("phoned the department", "called"),
    ("called", "called"),
]
UNCLEAR = [
    ("thinking about what to write", None),
    ("asked Dr Chen to introduce us", None),
    ("met at SIR and emailed after", None),
    ("sent a thank-you card, then called", None),
    ("interesting person", None),
]
TABLE = NEGATIONS + POSITIVES + UNCLEAR
POSITIVE_KINDS = {"met", "emailed", "replied", "called"}


@pytest.mark.parametrize("line, expected", TABLE)
def test_typed_outcome_lines(line: str, expected: str | None) -> None:
    assert outcome_of(line, RULES) == expected


def test_the_table_is_big_enough_and_no_negation_reads_as_positive() -> None:
    assert len(TABLE) >= 40 and len(NEGATIONS) >= 15
    assert all(outcome_of(line, RULES) not in POSITIVE_KINDS for line, _ in NEGATIONS)


def test_every_pack_offers_the_six_outcomes_in_order() -> None:
    for pack in load_content().packs.values():
        kinds = [o.kind for o in rules(pack).outcomes]
        assert kinds == ["met", "emailed", "replied", "no-reply", "called", "note"]
