"""A page's numbers as one table: the HTML table (for screen readers and print)
and the CSV download are made from the same rows, so they always agree."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

Cell = str | int | float


@dataclass(frozen=True)
class NumberTable:
    key: str  # names the table in the CSV ("weeks", "groups", ...)
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def to_csv(tables: Sequence[NumberTable]) -> str:
    """Every table in one CSV: a `table` column first names the table of each row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for t in tables:
        writer.writerow(("table", *t.headers))
        for row in t.rows:
            writer.writerow((t.key, *(_plain(c) for c in row)))
    return out.getvalue()


def _plain(cell: Cell) -> str:
    """A cell as text a spreadsheet cannot run as a formula."""
    text = str(cell)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
