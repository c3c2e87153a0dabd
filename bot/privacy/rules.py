"""What each table holds of a member, declared next to the table.

Every feature's tables module calls `declare(...)` for each of its tables:

- `Rows(table, column)`: rows that belong to the member named in `column`;
  exported and deleted.
- `Linked(table, column, parent, owner)`: rows hanging off a member's own row
  (a pitch's versions hang off the pitch); exported and deleted with it.
- `Anonymise(table, column, reason)`: rows the community keeps (a group the
  member created); exported, and the member's id replaced by `ERASED`.
- `Keep(table, column, reason)`: the member's id in someone else's row, kept
  on purpose and never exported (another member's request not to be matched).
- `JsonMembers(table, column)`: a JSON list of objects, some of them the
  member's (`key` names the member); those are exported and removed.
- `NotMember(table, column, reason)`: a column named like a member id that is
  something else (the dispatcher's worker id).
- `Free(table, column, reason)`: a JSON column that never holds member ids.
- `Unowned(table, reason)`: a table with nothing of any member in it.
- `Derived(table, reason)`: rows computed from other rows to save work (a
  round's plan); not exported, since what they are computed from is, and all
  of the community's rows are deleted when any member is erased.

Steps that need a feature's own logic (cancelling the other side's follow-ups
of a mentoring pair, closing a group its last member leaves) are registered
with `@erase_step`. tests/privacy/test_declarations.py fails when a table, a
column named like a member id, or a JSON column is not declared.

This module imports nothing else from the bot, so tables modules can use it.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Table

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection

ERASED = "[erased]"  # never a platform member id (brackets are not allowed in them)

# Column names that hold a member's id; the declaration test checks them all.
MEMBER_COLUMN = re.compile(
    r"^(member_id|user_id|owner_id|author_id|reviewer_id|mentor_id|mentee_id|excluded_id"
    r"|contact_id|.+_member|.+_member_id|.+_by)$"
)


@dataclass(frozen=True)
class Rows:
    table: Table
    column: str
    label: str = ""  # the export's section name (default: the table's name)
    omit: tuple[str, ...] = ()  # columns left out of the export


@dataclass(frozen=True)
class Linked:
    table: Table
    column: str  # the column holding the parent's key
    parent: Table
    owner: str  # the parent's member column
    parent_key: str = "id"
    label: str = ""
    omit: tuple[str, ...] = ()


@dataclass(frozen=True)
class Anonymise:
    table: Table
    column: str
    reason: str
    label: str = ""


@dataclass(frozen=True)
class Keep:
    table: Table
    column: str
    reason: str


@dataclass(frozen=True)
class JsonMembers:
    table: Table
    column: str
    key: str = "member_id"
    label: str = ""


@dataclass(frozen=True)
class NotMember:
    table: Table
    column: str
    reason: str


@dataclass(frozen=True)
class Free:
    table: Table
    column: str
    reason: str


@dataclass(frozen=True)
class Unowned:
    table: Table
    reason: str


@dataclass(frozen=True)
class Derived:
    table: Table
    reason: str


Rule = Rows | Linked | Anonymise | Keep | JsonMembers | NotMember | Free | Unowned | Derived
EraseStep = Callable[["AsyncConnection", str, str, datetime], Awaitable[None]]

RULES: list[Rule] = []
STEPS: list[EraseStep] = []


def declare(*rules: Rule) -> tuple[Rule, ...]:
    for rule in rules:
        for name in _columns(rule):
            if name not in rule.table.c:
                raise KeyError(f"{rule.table.name} has no column {name!r}")
        if rule not in RULES:
            RULES.append(rule)
    return rules


def erase_step(step: EraseStep) -> EraseStep:
    """Register a feature's own erase step; steps run first, in one transaction
    with the declared deletions, before any row is removed."""
    if step not in STEPS:
        STEPS.append(step)
    return step


def label(rule: Rows | Linked | Anonymise | JsonMembers) -> str:
    return rule.label or rule.table.name


def _columns(rule: Rule) -> tuple[str, ...]:
    if isinstance(rule, Unowned | Derived):
        return ()
    if isinstance(rule, Linked):
        return (rule.column, *rule.omit)
    if isinstance(rule, Rows):
        return (rule.column, *rule.omit)
    return (rule.column,)
