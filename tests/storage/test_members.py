"""Members and communities on both databases; the context costs one round trip."""

from __future__ import annotations

from sqlalchemy import event

from bot.commands import Actor
from bot.core import Rounds


async def test_first_command_creates_member_then_one_round_trip(any_rounds: Rounds) -> None:
    actor = Actor("slack:T1", "U1", "Ana")
    first = await any_rounds.run_line(actor, "/profile set timezone Asia/Tokyo")
    assert not first.error
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(any_rounds.db.engine.sync_engine, "before_cursor_execute", count)
    try:
        shown = await any_rounds.run_line(actor, "/profile")
    finally:
        event.remove(any_rounds.db.engine.sync_engine, "before_cursor_execute", count)
    assert shown.data["profile"]["timezone"] == "Asia/Tokyo"
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


async def test_platform_organiser_flag_is_per_command(any_rounds: Rounds) -> None:
    admin = Actor("discord:9", "1", "Owner", platform_organiser=True)
    member = Actor("discord:9", "2", "Member")
    assert not (await any_rounds.run_line(admin, "/admin set pack ir")).error
    assert (await any_rounds.run_line(member, "/admin set pack ir")).error
