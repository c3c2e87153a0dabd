"""Members and communities on both databases; the context costs one round trip,
and the commands members run most cost at most two."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date

import pytest
from sqlalchemy import event

from bot.commands import Actor
from bot.core import Rounds
from bot.responses import Response


async def _statements(rounds: Rounds, run: Awaitable[Response]) -> tuple[Response, list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(rounds.db.engine.sync_engine, "before_cursor_execute", count)
    try:
        return await run, statements
    finally:
        event.remove(rounds.db.engine.sync_engine, "before_cursor_execute", count)


async def test_first_command_creates_member_then_one_round_trip(any_rounds: Rounds) -> None:
    actor = Actor("slack:T1", "U1", "Ana")
    first = await any_rounds.run_line(actor, "/profile set timezone Asia/Tokyo")
    assert not first.error
    shown, statements = await _statements(any_rounds, any_rounds.run_line(actor, "/profile"))
    assert shown.data["profile"]["timezone"] == "Asia/Tokyo"
    reads = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert len(reads) == 1


async def test_platform_organiser_flag_is_per_command(any_rounds: Rounds) -> None:
    admin = Actor("discord:9", "1", "Owner", platform_organiser=True)
    member = Actor("discord:9", "2", "Member")
    assert not (await any_rounds.run_line(admin, "/admin set pack ir")).error
    assert (await any_rounds.run_line(member, "/admin set pack ir")).error


@pytest.mark.parametrize("line", ["/help", "/profile", "/checkin"])
async def test_hot_commands_cost_at_most_two_statements(any_rounds: Rounds, line: str) -> None:
    """/checkin opens the form with the member's context and one query for the
    group, recent weeks and suggested commitments (a conference follow-up here)."""
    organiser = Actor("console:rt", "olivia", "Olivia", platform_organiser=True)
    alice = Actor("console:rt", "alice", "Alice")
    start = date.fromisoformat("2027-01-04")  # the fixture's today: the meeting is on
    for setup in (
        f"/conference add sir-2027 {start} {start} Nashville America/Chicago",
        "/group create crew",
        "/conference attend sir-2027",
        '/conference met "Dr Lee" faculty',
    ):
        actor = organiser if setup.startswith("/conference add") else alice
        assert not (await any_rounds.run_line(actor, setup)).error, setup
    shown, statements = await _statements(any_rounds, any_rounds.run_line(alice, line))
    assert not shown.error, shown.text
    assert len(statements) <= (1 if line != "/checkin" else 2), statements
    if line == "/checkin":
        assert shown.data["checkin_form"]["suggested"] == ["Send 1 post-conference follow-ups"]
