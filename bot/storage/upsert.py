"""Dialect-aware INSERT ... ON CONFLICT, the one place the two databases differ."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


def insert_ignore(conn: AsyncConnection, table: Table, index: Sequence[str]) -> Any:
    """An INSERT that does nothing when a row with the same `index` columns exists."""
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing(index_elements=list(index))


def upsert(
    conn: AsyncConnection,
    table: Table,
    index: Sequence[str],
    values: dict[str, Any],
    update: Sequence[str],
) -> Any:
    """INSERT, or UPDATE the `update` columns when `index` already exists."""
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = module.insert(table).values(**values)
    return stmt.on_conflict_do_update(
        index_elements=list(index), set_={c: stmt.excluded[c] for c in update}
    )
