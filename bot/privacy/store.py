"""A member's data in one community, read and erased by the declarations in
`bot.privacy.rules` (so a table declared there can never be left out)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot import features
from bot.privacy.rules import (
    ERASED,
    RULES,
    STEPS,
    Anonymise,
    Derived,
    JsonMembers,
    Linked,
    Rows,
    label,
)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return value


def _row(mapping: Mapping[Any, Any], omit: tuple[str, ...]) -> dict[str, Any]:
    names = ((str(k), v) for k, v in mapping.items())
    return {k: _json_value(v) for k, v in names if k != "community_id" and k not in omit}


def _sorted(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = [c.name for c in table.primary_key.columns]
    return sorted(rows, key=lambda row: tuple(str(row.get(n, "")) for n in names))


def _linked_ids(rule: Linked, community_id: str, member_id: str) -> Any:
    parent = rule.parent
    return select(parent.c[rule.parent_key]).where(
        parent.c.community_id == community_id, parent.c[rule.owner] == member_id
    )


async def export_member(conn: AsyncConnection, community_id: str, member_id: str) -> dict[str, Any]:
    """Every row of the member's in this community, by section (JSON-ready)."""
    features.load()
    sections: dict[str, list[dict[str, Any]]] = {}
    for rule in RULES:
        if isinstance(rule, Rows | Anonymise):
            t = rule.table
            omit = rule.omit if isinstance(rule, Rows) else ()
            rows = await conn.execute(
                select(t).where(t.c.community_id == community_id, t.c[rule.column] == member_id)
            )
            found = [_row(r._mapping, omit) for r in rows]
        elif isinstance(rule, Linked):
            t = rule.table
            rows = await conn.execute(
                select(t).where(
                    t.c.community_id == community_id,
                    t.c[rule.column].in_(_linked_ids(rule, community_id, member_id)),
                )
            )
            found = [_row(r._mapping, rule.omit) for r in rows]
        elif isinstance(rule, JsonMembers):
            t = rule.table
            pk = [c.name for c in t.primary_key.columns]
            rows = await conn.execute(
                select(*[t.c[n] for n in pk], t.c[rule.column]).where(
                    t.c.community_id == community_id, t.c[rule.column].is_not(None)
                )
            )
            found = []
            for r in rows:
                for entry in _entries(r._mapping[rule.column], rule.key, member_id):
                    found.append({**{n: r._mapping[n] for n in pk}, rule.column: entry})
            found = [_json_value(f) for f in found]
        else:
            continue
        sections.setdefault(label(rule), []).extend(found)
    tables = {name: rows for name, rows in sections.items() if rows}
    for rule in RULES:
        if isinstance(rule, Rows | Linked | Anonymise) and label(rule) in tables:
            tables[label(rule)] = _sorted(rule.table, tables[label(rule)])
    return {"community": community_id, "member": member_id, "tables": tables}


def _entries(value: Any, key: str, member_id: str) -> list[Any]:
    if not isinstance(value, list):
        return []
    return [e for e in value if isinstance(e, dict) and e.get(key) == member_id]


async def erase_member(
    conn: AsyncConnection, community_id: str, member_id: str, now: datetime
) -> dict[str, int]:
    """Remove the member from this community: feature steps, then rows hanging off
    theirs, then their rows; kept rows lose the member's id, and rows derived from
    the community's go. Returns counts by section. Run it in one transaction."""
    features.load()
    counts: dict[str, int] = {}

    def add(rule: Rows | Linked | Anonymise | JsonMembers, n: int) -> None:
        if n:
            counts[label(rule)] = counts.get(label(rule), 0) + n

    for step in STEPS:
        await step(conn, community_id, member_id, now)
    for rule in RULES:
        if isinstance(rule, Linked):
            t = rule.table
            result = await conn.execute(
                delete(t).where(
                    t.c.community_id == community_id,
                    t.c[rule.column].in_(_linked_ids(rule, community_id, member_id)),
                )
            )
            add(rule, int(result.rowcount or 0))
    for rule in RULES:
        if isinstance(rule, JsonMembers):
            add(rule, await _erase_json(conn, rule, community_id, member_id))
        elif isinstance(rule, Anonymise):
            t = rule.table
            result = await conn.execute(
                update(t)
                .where(t.c.community_id == community_id, t.c[rule.column] == member_id)
                .values({rule.column: ERASED})
            )
            add(rule, int(result.rowcount or 0))
    for rule in RULES:
        if isinstance(rule, Rows):
            t = rule.table
            result = await conn.execute(
                delete(t).where(t.c.community_id == community_id, t.c[rule.column] == member_id)
            )
            add(rule, int(result.rowcount or 0))
        elif isinstance(rule, Derived):
            await conn.execute(delete(rule.table).where(rule.table.c.community_id == community_id))
    return counts


async def _erase_json(
    conn: AsyncConnection, rule: JsonMembers, community_id: str, member_id: str
) -> int:
    t = rule.table
    pk = [c.name for c in t.primary_key.columns]
    rows = await conn.execute(
        select(*[t.c[n] for n in pk], t.c[rule.column]).where(
            t.c.community_id == community_id, t.c[rule.column].is_not(None)
        )
    )
    removed = 0
    for r in rows.all():
        value = r._mapping[rule.column]
        mine = _entries(value, rule.key, member_id)
        if not mine:
            continue
        kept = [e for e in value if not (isinstance(e, dict) and e.get(rule.key) == member_id)]
        where = [t.c[n] == r._mapping[n] for n in pk]
        await conn.execute(
            update(t).where(t.c.community_id == community_id, *where).values({rule.column: kept})
        )
        removed += len(mine)
    return removed
