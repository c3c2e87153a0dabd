"""A new table cannot be forgotten by /privacy: every table, every column named
like a member id and every JSON column must be declared in bot.privacy.rules
(exported and deleted, anonymised or kept with a reason, or not a member's)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, MetaData, String, Table

from bot import features
from bot.privacy import rules
from bot.privacy.rules import (
    MEMBER_COLUMN,
    Anonymise,
    Derived,
    Free,
    JsonMembers,
    Keep,
    Linked,
    NotMember,
    Rows,
    Rule,
)
from bot.schema import metadata


def _problems(tables: list[Table], declared: list[Rule]) -> list[str]:
    covered = {r.table.name for r in declared}
    member_cols = {
        (r.table.name, r.column)
        for r in declared
        if isinstance(r, Rows | Anonymise | Keep | NotMember)
    }
    json_cols = {(r.table.name, r.column) for r in declared if isinstance(r, JsonMembers | Free)}
    # a table whose every row belongs to a member, or goes when any member does:
    # its JSON goes with the row
    owned = {
        r.table.name
        for r in declared
        if isinstance(r, Linked | Derived)
        or (isinstance(r, Rows) and not r.table.c[r.column].nullable)
    }
    problems = []
    for table in tables:
        if table.name not in covered:
            problems.append(f"table {table.name} is not declared in bot.privacy.rules")
        for col in table.c:
            key = (table.name, col.name)
            if MEMBER_COLUMN.match(col.name) and key not in member_cols:
                problems.append(f"{table.name}.{col.name} looks like a member id: declare it")
            if isinstance(col.type, JSON) and table.name not in owned and key not in json_cols:
                problems.append(f"{table.name}.{col.name} is JSON: declare what it holds")
    for r in declared:
        if isinstance(r, Anonymise | Keep | NotMember | Free) and len(r.reason) < 20:
            problems.append(f"{r.table.name}.{r.column}: give a real reason")
        if isinstance(r, Derived) and len(r.reason) < 20:
            problems.append(f"{r.table.name}: give a real reason")
    return problems


def test_every_table_and_member_column_is_declared() -> None:
    features.load()
    assert _problems(list(metadata.sorted_tables), rules.RULES) == []


def test_an_undeclared_member_table_is_caught() -> None:
    features.load()
    meta = MetaData()
    notes = Table(
        "contact_notes",
        meta,
        Column("community_id", String(80)),
        Column("written_by", String(80), nullable=False),
        Column("about", JSON),
    )
    assert _problems([notes], rules.RULES) == [
        "table contact_notes is not declared in bot.privacy.rules",
        "contact_notes.written_by looks like a member id: declare it",
        "contact_notes.about is JSON: declare what it holds",
    ]
    fixed = [*rules.RULES, Rows(notes, "written_by")]
    assert _problems([notes], fixed) == []  # a member's rows: their JSON goes with them
    kept = [*rules.RULES, Anonymise(notes, "written_by", "short")]
    assert _problems([notes], kept) == [
        "contact_notes.about is JSON: declare what it holds",
        "contact_notes.written_by: give a real reason",
    ]


def test_member_column_names() -> None:
    for name in ("member_id", "author_id", "reviewer_id", "mentor_id", "mentee_id", "created_by"):
        assert MEMBER_COLUMN.match(name), name
    for name in ("excluded_id", "owner_member", "invited_member_id", "opened_by"):
        assert MEMBER_COLUMN.match(name), name
    for name in ("community_id", "pitch_id", "group_id", "channel_id", "id", "key"):
        assert not MEMBER_COLUMN.match(name), name
