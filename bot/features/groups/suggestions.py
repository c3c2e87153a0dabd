"""Suggested commitments for the check-in form. Groups know nothing of other
features: a feature registers a suggester (e.g. conference mode offers "send 4
post-conference follow-ups") as a SQL count the member-state query carries, so
the form still opens with one query after the member's context."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.sql.elements import ColumnElement

from bot.context import Context


@dataclass(frozen=True)
class Suggester:
    """`count(community_id, member_id)` is a scalar SQL expression over those two
    columns and the bind parameters `params(ctx)` gives (their names prefixed with
    `name`); `text(ctx, n)` words the commitment when the count is not zero.
    Members whose parameters are equal share one statement, so keep them coarse
    (a date, a minute)."""

    name: str
    count: Callable[[ColumnElement[str], ColumnElement[str]], ColumnElement[int]]
    params: Callable[[Context], Mapping[str, Any]]
    text: Callable[[Context, int], str]


SUGGESTERS: list[Suggester] = []


def commitment_suggester(suggester: Suggester) -> Suggester:
    """Register a suggester for every member's next check-in form."""
    SUGGESTERS.append(suggester)
    return suggester


def suggestion_params(ctx: Context) -> dict[str, Any]:
    return {k: v for s in SUGGESTERS for k, v in s.params(ctx).items()}


def suggestions(ctx: Context, counts: Mapping[str, int]) -> list[str]:
    """The commitments to suggest, given each suggester's count from the member state."""
    return [s.text(ctx, counts[s.name]) for s in SUGGESTERS if counts.get(s.name)]
