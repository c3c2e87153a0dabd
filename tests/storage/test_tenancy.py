"""Every community is a tenant: no command run in community A can read or change
community B's data. The test runs every registered subcommand (hidden ones too)
from A, with arguments that name B's members and every row id B holds."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import Integer, select

from bot.commands import Actor, OptionSpec, SubSpec
from bot.core import Rounds
from bot.schema import metadata
from bot.storage.inbound import inbound_keys
from bot.storage.tables import communities

A, B = "slack:TA", "slack:TB"
SECRET_ZONE = "Pacific/Chatham"
# Hashes of platform requests already run, claimed before anyone reads which
# community sent them: nothing of any community or member is in them.
TABLES = [t for t in metadata.sorted_tables if t is not inbound_keys]


def test_every_table_carries_the_tenant() -> None:
    assert set(inbound_keys.c.keys()) == {"key", "claimed_at"}  # still no community data
    for table in TABLES:
        if table is communities:
            continue
        assert "community_id" in table.c, f"{table.name} has no community_id column"


async def _snapshot(rounds: Rounds, community: str) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    async with rounds.db.connect() as conn:
        for table in TABLES:
            col = table.c.id if table is communities else table.c.community_id
            rows = (await conn.execute(select(table).where(col == community))).all()
            out[table.name] = sorted(repr(tuple(r)) for r in rows)
    return out


async def _ids(rounds: Rounds, community: str) -> set[str]:
    ids: set[str] = set()
    async with rounds.db.connect() as conn:
        for table in TABLES:
            if table is communities:
                continue
            int_cols = [c for c in table.c if isinstance(c.type, Integer) and c.primary_key]
            for col in int_cols:
                rows = await conn.execute(select(col).where(table.c.community_id == community))
                ids.update(str(r[0]) for r in rows)
    return ids


def _values(opt: OptionSpec, b_ids: set[str]) -> list[str]:
    if opt.kind == "member":
        return ["bob"]
    if opt.kind == "int":
        return sorted(b_ids)[:5] or ["1"]
    if opt.kind == "choice" and opt.choices:
        return list(opt.choices)
    return ["bob", *sorted(b_ids)[:3]]


def _lines(sub: SubSpec, b_ids: set[str]) -> list[str]:
    pools = [_values(o, b_ids) for o in sub.options]
    lines = []
    for combo in itertools.islice(itertools.product(*pools), 40):
        args = " ".join(f'{o.name}="{v}"' for o, v in zip(sub.options, combo, strict=True))
        lines.append(f"/{sub.command} {sub.name} {args}".strip())
    return lines


async def test_no_command_crosses_communities(any_rounds: Rounds) -> None:
    bob = Actor(B, "bob", "Bob", platform_organiser=True)
    for line in (
        f"/profile set timezone {SECRET_ZONE}",
        "/profile set stage ms4",
        "/admin set name Bravo",
    ):
        assert not (await any_rounds.run_line(bob, line)).error
    alice = Actor(A, "alice", "Alice", platform_organiser=True)
    await any_rounds.run_line(alice, "/profile")
    before = await _snapshot(any_rounds, B)
    b_ids = await _ids(any_rounds, B)
    ran = 0
    for spec in any_rounds.registry.commands.values():
        for sub in spec.subs.values():
            for line in _lines(sub, b_ids):
                response = await any_rounds.run_line(alice, line)
                ran += 1
                shown = repr(response.to_dict())
                assert SECRET_ZONE not in shown and "Bravo" not in shown, line
    assert ran > 10
    assert await _snapshot(any_rounds, B) == before
