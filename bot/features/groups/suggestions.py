"""Suggested commitments for the check-in form. Groups know nothing of other
features: a feature registers a suggester (e.g. conference mode offers "send 4
post-conference follow-ups"), and the form shows what they return."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.context import Context

log = logging.getLogger(__name__)

Suggester = Callable[[AsyncConnection, Context], Awaitable[list[str]]]
SUGGESTERS: list[Suggester] = []


def commitment_suggester(fn: Suggester) -> Suggester:
    """Register `fn(conn, ctx) -> [commitment, ...]` for the member's next form."""
    SUGGESTERS.append(fn)
    return fn


async def suggestions(ctx: Context) -> list[str]:
    """Every registered suggestion for this member, in one read-only connection.
    A failing suggester is logged and skipped: the form must still open."""
    if not SUGGESTERS:
        return []
    out: list[str] = []
    async with ctx.db.connect() as conn:
        for fn in SUGGESTERS:
            try:
                out += await fn(conn, ctx)
            except Exception:
                log.exception("commitment suggester %s failed", getattr(fn, "__name__", fn))
    return out
