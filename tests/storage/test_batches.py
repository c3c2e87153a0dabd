"""Lookups gathered into one statement (bot.storage.batch): concurrent keys share
a batch, a lone key is a batch of one, answers go back to their own askers, a
failed batch fails only its own askers, and a cancelled asker leaves the rest."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from sqlalchemy import event

from bot.commands import Actor
from bot.core import Rounds
from bot.members import load_memberships
from bot.storage.batch import MOST, Batches


class Doubler:
    def __init__(self, fail_on: str = "") -> None:
        self.batches: list[list[str]] = []
        self.fail_on = fail_on
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self, keys: Sequence[str]) -> list[str]:
        self.batches.append(list(keys))
        await self.gate.wait()
        await asyncio.sleep(0)
        if self.fail_on in keys:
            raise RuntimeError("the database went away")
        return [k * 2 for k in keys]


async def test_concurrent_keys_share_a_batch_and_get_their_own_answers() -> None:
    run = Doubler()
    batches = Batches(run)
    assert await batches("a") == "aa"  # alone: a batch of one, at once
    run.gate.clear()
    first = asyncio.ensure_future(batches("b"))
    await asyncio.sleep(0)  # b's batch is in flight; these wait for the next
    rest = [asyncio.ensure_future(batches(k)) for k in ("c", "d", "c")]
    run.gate.set()
    assert await first == "bb"
    assert [await r for r in rest] == ["cc", "dd", "cc"]
    assert run.batches == [["a"], ["b"], ["c", "d", "c"]]


async def test_a_long_queue_goes_in_bounded_batches() -> None:
    run = Doubler()
    batches = Batches(run)
    keys = [str(i) for i in range(MOST * 2 + 5)]
    assert await asyncio.gather(*(batches(k) for k in keys)) == [k * 2 for k in keys]
    assert [len(b) for b in run.batches] == [MOST, MOST, 5]


async def test_a_failed_batch_fails_its_askers_only() -> None:
    run = Doubler(fail_on="bad")
    batches = Batches(run)
    run.gate.clear()
    early = asyncio.ensure_future(batches("bad"))
    await asyncio.sleep(0)
    later = asyncio.ensure_future(batches("fine"))
    run.gate.set()
    with pytest.raises(RuntimeError, match="went away"):
        await early
    assert await later == "finefine"


async def test_a_cancelled_asker_leaves_the_others_their_answers() -> None:
    run = Doubler()
    batches = Batches(run)
    run.gate.clear()
    gone = asyncio.ensure_future(batches("x"))
    stays = asyncio.ensure_future(batches("y"))
    await asyncio.sleep(0)
    gone.cancel()
    run.gate.set()
    assert await stays == "yy"
    assert gone.cancelled()


async def test_memberships_in_one_batch_are_each_their_own(rounds: Rounds) -> None:
    """Namesakes in two communities, a member never seen and a community never
    seen: each key gets its own community and profile, as one lookup would."""
    for community in ("console:one", "console:two"):
        await rounds.run_line(Actor(community, "sam", f"Sam of {community}"), "/help")
    await rounds.run_line(Actor("console:one", "lee", "Lee"), "/help")
    keys = [
        ("console:one", "sam"),
        ("console:two", "sam"),
        ("console:two", "lee"),  # lee is known in one only
        ("console:three", "sam"),
        ("console:one", "lee"),
    ]
    async with rounds.db.connect() as conn:
        found = await load_memberships(conn, keys)
    assert [(c.id if c else None, p.display_name if p else None) for c, p in found] == [
        ("console:one", "Sam of console:one"),
        ("console:two", "Sam of console:two"),
        ("console:two", None),
        (None, None),
        ("console:one", "Lee"),
    ]
    assert all(p is None or p.community_id == c.id for c, p in found if c)


async def test_a_burst_of_first_visits_makes_each_member_once(rounds: Rounds) -> None:
    """Many members new to the bot at once: each gets exactly one welcome, and a
    second command by each is no first visit."""
    actors = [Actor("console:burst", f"m{i}", f"Member {i}") for i in range(40)]
    first = await asyncio.gather(*(rounds.run_line(a, "/help") for a in actors))
    assert all(len([p for p in r.also if p.aside]) == 1 for r in first)
    again = await asyncio.gather(*(rounds.run_line(a, "/help") for a in actors))
    assert all(not r.also for r in again)


async def test_check_in_forms_opened_at_once_each_show_their_own(any_rounds: Rounds) -> None:
    """A burst of /checkin from members of two communities with namesakes, shared
    in a few statements: each form shows its own member's saved answers and group,
    and a member in no group is told so. (Everyone has used Rounds before: a first
    visit's own writes and welcome put that member in a later batch.)"""
    rounds = any_rounds
    people = [Actor(c, f"m{i}", f"M{i}") for c in ("console:one", "console:two") for i in range(6)]
    for community in ("console:one", "console:two"):
        await rounds.run_line(Actor(community, "m0", "M0"), f"/group create crew-{community[8:]}")
    for actor in people:
        if actor.member_id != "m0" and actor.member_id != "m5":
            joined = await rounds.run_line(actor, f"/group join crew-{actor.community_id[8:]}")
            assert not joined.error, joined.text
        if actor.member_id == "m5":
            assert not (await rounds.run_line(actor, "/help")).error
        else:
            form = (await rounds.run_line(actor, "/checkin")).form
            assert form is not None
            line = f'/{form.submit} next="{actor.community_id} {actor.member_id}"'
            saved = await rounds.run_line(actor, line)
            assert not saved.error, saved.text
    statements: list[str] = []

    def count(_c: object, _cur: object, sql: str, *_rest: object) -> None:
        if "keys" in sql:
            statements.append(sql)

    event.listen(rounds.db.engine.sync_engine, "before_cursor_execute", count)
    try:
        opened = await asyncio.gather(*(rounds.run_line(a, "/checkin") for a in people))
    finally:
        event.remove(rounds.db.engine.sync_engine, "before_cursor_execute", count)
    for actor, response in zip(people, opened, strict=True):
        if actor.member_id == "m5":
            assert response.error and "not in a group" in response.text
            continue
        assert response.form is not None, response.text
        defaults = {f.key: f.default for f in response.form.fields}
        assert defaults["next"] == f"{actor.community_id} {actor.member_id}"
        assert response.data["checkin_form"]["group"] == f"crew-{actor.community_id[8:]}"
    assert 1 <= len(statements) < len(people) // 2
