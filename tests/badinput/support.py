"""What the bad-input properties share: hostile and plausible values for each
option kind, a community with data in every feature to run them against, a
snapshot of every table, and the checks every answer must pass."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import event
from hypothesis import strategies as st
from sqlalchemy import select

from bot import features
from bot.commands import Actor, OptionSpec, SubSpec
from bot.core import Rounds
from bot.registry import registry
from bot.responses import Response
from bot.schema import metadata
from tests.conversation import Conversation

# ROUNDS_FUZZ_EXAMPLES=500 for a deeper run than the test command's
EXAMPLES = int(os.environ.get("ROUNDS_FUZZ_EXAMPLES", "40"))
COMMUNITY = "console:demo"
MEMBERS = ("alice", "bob", "carol", "dan", "olivia")
GENERIC_FAILURE = "Something went wrong on our side"

features.load()
SUBS: list[SubSpec] = [s for c in registry.commands.values() for s in c.subs.values()]
COMMANDS = sorted(registry.commands)

# Words a member might plausibly type: they get handlers past the first checks.
PLAUSIBLE = (
    "alice", "bob", "@carol", "<@dan>", "olivia", "nobody", "crew", "Tuesday-Crew", "x",
    "mon", "Tuesday", "fri", "sunday", "9am", "18:30", "12pm", "0:00", "25:00", "9",
    "America/Chicago", "europe/berlin", "Asia/Kolkata", "UTC", "Mars/Olympus", "EST",
    "ir", "urology", "prelim-im", "ms3", "ms4", "pgy1", "attending", "img", "experienced",
    "interventional-oncology", "venous-disease", "research", "career", "near-peer",
    "timezone", "stage", "pack", "interests", "name", "channel", "review-channel",
    "yes", "not-yet", "not-a-fit", "on", "off", "add", "remove", "open", "close",
    "preview", "publish", "spoken", "cold-email", "update", "done", "partly", "not done",
    "1", "2", "3", "0", "-1", "2027-01-04", "2027-01-11", "english, hindi",
    "I'm Sam Ortiz, an MS3 at Drexel interested in IR. Could we talk for 15 minutes?",
)  # fmt: skip
NASTY = (
    '"', "'", "“", "”", "‘", "=", "==", "\\", "\x00", "\n", "\r\n", "\t", "\x1b[31m",
    "@everyone", "@here", "<!channel>", "<@&123>", "<#C1>", "\u202e", "\u200b", "\ufeff",
    "🙂", "👩🏽‍⚕️", "ß", "İ", "ǅ", "٣", "𝟗", "½", "ｍｏｎ", "NaN", "inf", "1e309",
    "99999999999999999999999", "-9223372036854775809", "%s", "{0}", "{name}", "'; DROP TABLE x;--",
)  # fmt: skip

BIG_NUMBERS = (
    "2147483647", "2147483648", "9223372036854775807", "9223372036854775808",
    "-9223372036854775809", "99999999999999999999999", "٣", "𝟗", "007", "-0",
)  # fmt: skip
_chars = st.characters(codec="utf-8", exclude_categories=("Cs",))
junk = st.text(_chars, max_size=40)
long_text = st.builds(
    lambda n, s: (s or "x") * (n // max(1, len(s or "x"))),
    st.integers(150, 5000),
    st.text(_chars, min_size=1, max_size=5),
)
key_value = st.builds(
    lambda k, v: f"{k}={v}", st.from_regex(r"[a-z][a-z0-9_-]{0,10}", fullmatch=True), junk
)
word = st.one_of(
    st.sampled_from(PLAUSIBLE),
    st.sampled_from(NASTY),
    junk,
    st.builds(lambda a, b: a + b, st.sampled_from(PLAUSIBLE), st.sampled_from(NASTY)),
)
anything = st.one_of(word, word, long_text, key_value)


def value_for(opt: OptionSpec) -> st.SearchStrategy[str]:
    """Values for one option: mostly plausible for its kind, often hostile."""
    if opt.kind == "int":
        typed = st.one_of(
            st.integers(-2, 8).map(str),
            st.sampled_from(BIG_NUMBERS),
            st.integers().map(str),
        )
    elif opt.kind == "member":
        typed = st.sampled_from([*MEMBERS, "@alice", "<@bob>", "<@!carol|Carol>", "zed"])
    elif opt.kind == "choice":
        typed = st.sampled_from(opt.choices or ("x",))
    else:
        typed = word
    return st.one_of(typed, typed, anything)


def form_value(
    kind: str, default: str, choices: tuple[str, ...], placeholder: str = ""
) -> st.SearchStrategy[str]:
    """Mostly what a member would enter (the default, a choice, items the
    placeholder suggests, a number), often hostile."""
    if choices:  # a select: adapters send one of its values, a forged payload anything
        pick = st.sampled_from(choices)
        return st.one_of(pick, pick, pick, pick, pick, pick, pick, st.just(default), anything)
    typed: list[st.SearchStrategy[str]] = [st.just(default)]
    hinted = tuple(p.strip() for p in placeholder.split(",") if p.strip())
    if hinted:
        typed.append(st.sampled_from(hinted))
        typed.append(st.lists(st.sampled_from(hinted), min_size=1, max_size=4).map(", ".join))
    if kind == "number":
        typed.append(st.integers(-2, 12).map(str))
    return st.one_of(*typed, *typed, *typed, anything)


async def build_community(rounds: Rounds) -> None:
    """Data in every feature: groups and check-ins, a pitch with a review, a
    published mentoring round with pairs, a contact with a letter request, a
    reminder, a conference, and organiser settings."""
    chat = Conversation(rounds, community="demo", organisers={"olivia"})
    for line in (
        "@olivia /admin set review-channel reviews",
        "@olivia /admin set groups-channel groups",
        "@alice /profile set timezone America/Chicago",
        "@alice /group create crew mon 9am",
        "@bob /group join crew",
        '@alice /checkin win="A reply" next="Two emails; One call"',
        "@carol /group want",
        "@dan /profile set stage ms3",
        "@bob /pitch-review submit I'm Bo Ruiz, an MS3 at Drexel. I did a chart review "
        "in IR. Could I ask for 15 minutes?",
        "@alice /pitch-review review 1 clarity=4 specificity=3 memorability=3 ask=4",
        "@olivia /mentor round open seed=7",
        "@alice /mentor signup kinds=research,career focus=interventional-oncology "
        "stage=attending capacity=2",
        "@carol /mentee signup kinds=research focus=interventional-oncology stage=ms3 "
        "goal='an abstract'",
        "@dan /mentee signup kinds=career stage=ms3 goal='a plan'",
        "@dan /mentee exclude alice",
        "@olivia /mentor round close",
        "@olivia /mentor round publish",
        "@carol /mentee accept 1",
        "@olivia /mentor round open seed=8",
        "@bob /mentor signup kinds=career stage=pgy1 capacity=1",
        '@alice /contact add "Jane Lee" "IR fellow" Emory "SIR 2027"',
        "@alice /remind me in 3 days email Jane",
        "@alice /letters request #1 2027-04-01 IR programs",
        "@olivia /conference add sir-2027 2027-03-20 2027-03-24 Boston America/New_York",
        "@bob /conference attend sir-2027",
    ):
        member, _, command = line.partition(" ")
        response = await chat.say(member[1:], command)
        assert not response.error, f"{line}: {response.text}"


def actor(member: str) -> Actor:
    return Actor(COMMUNITY, member, member, platform_organiser=member == "olivia")


async def snapshot(rounds: Rounds) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    async with rounds.db.connect() as conn:
        for table in metadata.sorted_tables:
            rows = (await conn.execute(select(table))).all()
            out[table.name] = sorted(repr(tuple(r)) for r in rows)
    return out


class Failures(logging.Handler):
    """Collects the core's and the dispatcher's "failed" records."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def failures() -> Iterator[Failures]:
    handler = Failures()
    loggers = [logging.getLogger(n) for n in ("bot.core", "bot.scheduling.dispatcher")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


async def check_answer(
    rounds: Rounds,
    response: Response,
    before: dict[str, list[str]],
    caught: Failures,
    what: Any,
) -> None:
    """No unhandled exception, a message with every rejection, nothing stored on one."""
    event("rejected" if response.error else "accepted")  # --hypothesis-show-statistics
    assert GENERIC_FAILURE not in response.text, f"unhandled exception for {what!r}"
    assert not caught.records, f"logged failure for {what!r}: {caught.records[0].getMessage()}"
    if response.error:
        assert response.text.strip(), f"a rejection without a message for {what!r}"
        assert await snapshot(rounds) == before, f"data changed on a rejected {what!r}"
