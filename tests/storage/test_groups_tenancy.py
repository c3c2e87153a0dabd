"""Groups and check-ins are per community: every /group and /checkin subcommand
run from community A with B's group name, member names and row ids leaves B's
groups, check-ins, skips and requests unchanged and shows none of them."""

from __future__ import annotations

from bot.commands import Actor
from bot.core import Rounds
from tests.storage.test_tenancy import _ids, _lines, _snapshot

A, B = "slack:TA", "slack:TB"
SECRET_ZONE = "Pacific/Chatham"


async def test_groups_never_cross_communities(any_rounds: Rounds) -> None:
    bob = Actor(B, "bob", "Bob", platform_organiser=True)
    # B's group is called "bob" too, so A's commands name it whichever way they try.
    for who, line in [
        ("bob", f"/group create bob mon 09:00 {SECRET_ZONE}"),
        ("bea", "/group join bob"),
        ("bix", "/group join bob"),
        ("bob", '/checkin next="Secret plan"'),
        ("bea", "/checkin skip 2 Bravo exam"),
        ("bud", "/group want"),
    ]:
        actor = bob if who == "bob" else Actor(B, who, who)
        form = await any_rounds.run_line(actor, line)
        assert not form.error, form.text
        if form.form:
            submit = f"/{form.form.submit} next=Secret"
            assert not (await any_rounds.run_line(actor, submit)).error
    alice = Actor(A, "alice", "Alice", platform_organiser=True)
    await any_rounds.run_line(alice, "/profile")
    before = await _snapshot(any_rounds, B)
    assert before["peer_groups"] and before["checkins"] and before["checkin_skips"]
    b_ids = await _ids(any_rounds, B)
    ran = 0
    for name in ("group", "checkin"):
        for sub in any_rounds.registry.commands[name].subs.values():
            for line in _lines(sub, b_ids):
                response = await any_rounds.run_line(alice, line)
                ran += 1
                shown = repr(response.to_dict())
                assert SECRET_ZONE not in shown and "Secret" not in shown, line
                assert "bea" not in shown and "bix" not in shown, line
    assert ran > 20
    assert await _snapshot(any_rounds, B) == before
