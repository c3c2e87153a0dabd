"""Publishing a round right after its preview proposes the pairs the organiser was
shown, without solving the same problem again, in whichever process answers the
Publish button (the plan is kept in the database); whatever changed since the
preview (an exclusion, a late sign-up in a round still open, a member's data
deleted) is what publish goes by. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.content import load_content
from bot.core import Rounds
from bot.features.mentoring import planning
from bot.features.mentoring.tables import mentoring_plans
from tests.conversation import Conversation
from tests.conversations.mentoring_people import AMIR, ANA, BEA, BEN, BO


@pytest.fixture
def any_chat(any_rounds: Rounds) -> Conversation:
    return Conversation(any_rounds, community="demo", organisers={"olivia"})


@pytest.fixture
def elsewhere(any_rounds: Rounds, clock: FakeClock) -> Conversation:
    """The same community through another process: a Rounds of its own (its own
    memory and content) on the same database."""
    other = Rounds(any_rounds.db, load_content(), clock=clock)
    return Conversation(other, community="demo", organisers={"olivia"})


@pytest.fixture
def solves(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry each time the solver runs, in any process."""
    calls: list[int] = []
    real = planning.match

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(planning, "match", spy)
    return calls


async def _pool(chat: Conversation) -> None:
    await chat.ok("olivia", "/mentor round open seed=42")
    for member, line in (("ana", ANA), ("ben", BEN), ("amir", AMIR), ("bea", BEA)):
        await chat.ok(member, line)


def _pairs(data: list[dict[str, object]]) -> set[tuple[object, object]]:
    return {(p["mentee"], p["mentor"]) for p in data}


async def test_publish_proposes_the_pairs_its_preview_showed(
    any_chat: Conversation, solves: list[int]
) -> None:
    await _pool(any_chat)
    await any_chat.ok("olivia", "/mentor round close")
    preview = (await any_chat.ok("olivia", "/mentor round preview")).data["preview"]
    assert len(solves) == 1
    published = await any_chat.ok("olivia", "/mentor round publish")
    assert len(solves) == 1  # publish did not solve again
    shown = published.data["published"]
    assert _pairs(shown["pairs"]) == _pairs(preview["pairs"]) == {("amir", "ana"), ("bea", "ben")}
    assert _intros(published) == {p["mentee"]: p["why"] for p in preview["pairs"]}
    await any_chat.fails("olivia", "/mentor round publish")  # published once
    export = (await any_chat.ok("olivia", "/mentor export")).data["csv"]
    assert export.count("proposed") == 2
    assert await _kept(any_chat) == []  # a published round's plan is not kept


def _intros(published: Any) -> dict[str, str]:
    """Each introduced mentor's mentee and the reason they were paired."""
    return {
        p.message.data["mentoring_intro"]["with"]: p.message.data["mentoring_intro"]["why"]
        for p in published.also
        if p.to.member_id in ("ana", "ben") and "mentoring_intro" in p.message.data
    }


async def _kept(chat: Conversation) -> list[Any]:
    """The community's kept plans, as (round, pairs) rows."""
    t = mentoring_plans
    async with chat.rounds.db.connect() as conn:
        rows = await conn.execute(
            select(t.c.round_id, t.c.plan).where(t.c.community_id == chat.community_id)
        )
        return [(r.round_id, r.plan["pairs"]) for r in rows]


async def test_publish_in_another_process_proposes_the_pairs_its_preview_showed(
    any_chat: Conversation, elsewhere: Conversation, solves: list[int]
) -> None:
    await _pool(any_chat)
    await any_chat.ok("olivia", "/mentor round close")
    preview = (await any_chat.ok("olivia", "/mentor round preview")).data["preview"]
    export = (await elsewhere.ok("olivia", "/mentor export")).data["csv"]
    assert export.count("preview") == 2
    published = await elsewhere.ok("olivia", "/mentor round publish")
    assert len(solves) == 1  # the preview's solve only
    shown = published.data["published"]
    assert _pairs(shown["pairs"]) == _pairs(preview["pairs"]) == {("amir", "ana"), ("bea", "ben")}
    assert _intros(published) == {p["mentee"]: p["why"] for p in preview["pairs"]}
    await any_chat.fails("olivia", "/mentor round publish")  # published once, in either


@pytest.mark.parametrize("where", ["here", "elsewhere"])
async def test_what_changed_since_the_preview_counts_at_publish(
    any_chat: Conversation, elsewhere: Conversation, solves: list[int], where: str
) -> None:
    publisher = any_chat if where == "here" else elsewhere
    await _pool(any_chat)  # the round stays open: publish takes the live sign-ups
    preview = (await any_chat.ok("olivia", "/mentor round preview")).data["preview"]
    assert ("bea", "ben") in _pairs(preview["pairs"])
    await any_chat.ok("bea", "/mentee exclude @ben")
    await any_chat.ok("bo", BO)
    published = (await publisher.ok("olivia", "/mentor round publish")).data["published"]
    assert len(solves) == 2  # the kept plan was made for other inputs
    pairs = _pairs(published["pairs"])
    assert ("bea", "ben") not in pairs and ("bo", "ben") in pairs
    assert {e for e, _ in pairs} | set(published["unmatched"]) == {"amir", "bea", "bo"}


async def test_a_withdrawn_mentor_or_a_new_seed_counts_at_publish(
    any_chat: Conversation, elsewhere: Conversation, solves: list[int]
) -> None:
    await _pool(any_chat)
    await any_chat.ok("olivia", "/mentor round preview")
    await any_chat.ok("ana", "/mentor withdraw")
    published = (await elsewhere.ok("olivia", "/mentor round publish")).data["published"]
    assert len(solves) == 2
    assert "ana" not in {m for _, m in _pairs(published["pairs"])}


async def test_deleting_a_members_data_drops_the_kept_plan_of_their_community_only(
    any_chat: Conversation, elsewhere: Conversation, solves: list[int]
) -> None:
    other = Conversation(any_chat.rounds, community="other", organisers={"olivia"})
    for chat in (any_chat, other):
        await _pool(chat)
        await chat.ok("olivia", "/mentor round preview")
    assert [pairs for _, pairs in await _kept(any_chat)] == [
        pairs for _, pairs in await _kept(other)
    ]
    asked = await any_chat.ok("ana", "/privacy delete")
    await any_chat.ok("ana", "/" + asked.buttons[0].action)
    assert await _kept(any_chat) == []
    assert "ana" in str(await _kept(other))
    published = (await elsewhere.ok("olivia", "/mentor round publish")).data["published"]
    assert len(solves) == 3  # two previews, and this publish
    assert "ana" not in str(published)
