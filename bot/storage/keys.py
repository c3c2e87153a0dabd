"""Many keys as one table in a statement whose shape never changes with their
number: PostgreSQL unnests one array per column, SQLite reads one JSON array.
A batch of lookups (bot.storage.batch) joins its tables to this one."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import CTE, String, bindparam, column, func, select, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import TypeEngine

Columns = Mapping[str, TypeEngine[Any]]


def key_table(dialect: str, columns: Columns, name: str = "keys") -> CTE:
    """A CTE `name` with `columns`, its rows from `key_params` (same name)."""
    if dialect == "postgresql":
        arrays = [bindparam(f"{name}_{c}", type_=ARRAY(t)) for c, t in columns.items()]
        cols = [column(c, t) for c, t in columns.items()]
        rows = func.unnest(*arrays).table_valued(*cols, name=f"{name}_rows").render_derived()
        return select(rows).cte(name)
    each = func.json_each(bindparam(name, type_=String())).table_valued("value")
    picked = [
        type_coerce(func.json_extract(each.c.value, f"$[{i}]"), t).label(c)
        for i, (c, t) in enumerate(columns.items())
    ]
    return select(*picked).select_from(each).cte(name)


def key_params(
    dialect: str, columns: Columns, rows: Sequence[Sequence[Any]], name: str = "keys"
) -> dict[str, Any]:
    """The bind parameters that fill `key_table(dialect, columns, name)` with `rows`
    (values: str, int or date)."""
    if dialect == "postgresql":
        return {f"{name}_{c}": [row[i] for row in rows] for i, c in enumerate(columns)}
    return {name: json.dumps(rows, default=date.isoformat)}
