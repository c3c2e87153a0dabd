"""Publishing a round right after its preview proposes the pairs the organiser was
shown, without solving the same problem again; whatever changed since the
preview (an exclusion, a late sign-up in a round still open) is what publish
goes by. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from bot.core import Rounds
from bot.features.mentoring import planning
from tests.conversation import Conversation
from tests.conversations.mentoring_people import AMIR, ANA, BEA, BEN, BO


@pytest.fixture
def any_chat(any_rounds: Rounds) -> Conversation:
    return Conversation(any_rounds, community="demo", organisers={"olivia"})


async def _pool(chat: Conversation) -> None:
    await chat.ok("olivia", "/mentor round open seed=42")
    for member, line in (("ana", ANA), ("ben", BEN), ("amir", AMIR), ("bea", BEA)):
        await chat.ok(member, line)


def _pairs(data: list[dict[str, object]]) -> set[tuple[object, object]]:
    return {(p["mentee"], p["mentor"]) for p in data}


async def test_publish_proposes_the_pairs_its_preview_showed(
    any_chat: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _pool(any_chat)
    await any_chat.ok("olivia", "/mentor round close")
    preview = (await any_chat.ok("olivia", "/mentor round preview")).data["preview"]

    def solve_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("publish solved the round again")

    monkeypatch.setattr(planning, "make_plan", solve_again)
    published = await any_chat.ok("olivia", "/mentor round publish")
    shown = published.data["published"]
    assert _pairs(shown["pairs"]) == _pairs(preview["pairs"]) == {("amir", "ana"), ("bea", "ben")}
    intros = {
        p.message.data["mentoring_intro"]["with"]: p.message.data["mentoring_intro"]["why"]
        for p in published.also
        if p.to.member_id in ("ana", "ben") and "mentoring_intro" in p.message.data
    }
    assert intros == {p["mentee"]: p["why"] for p in preview["pairs"]}
    await any_chat.fails("olivia", "/mentor round publish")  # published once
    export = (await any_chat.ok("olivia", "/mentor export")).data["csv"]
    assert export.count("proposed") == 2


async def test_what_changed_since_the_preview_counts_at_publish(any_chat: Conversation) -> None:
    await _pool(any_chat)  # the round stays open: publish takes the live sign-ups
    preview = (await any_chat.ok("olivia", "/mentor round preview")).data["preview"]
    assert ("bea", "ben") in _pairs(preview["pairs"])
    await any_chat.ok("bea", "/mentee exclude @ben")
    await any_chat.ok("bo", BO)
    published = (await any_chat.ok("olivia", "/mentor round publish")).data["published"]
    pairs = _pairs(published["pairs"])
    assert ("bea", "ben") not in pairs and ("bo", "ben") in pairs
    assert {e for e, _ in pairs} | set(published["unmatched"]) == {"amir", "bea", "bo"}
