"""Build the core from settings: content checked, database reached and migrated."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import DBAPIError

from bot.clock import Clock
from bot.config import Settings
from bot.content import load_content
from bot.core import Rounds
from bot.storage.db import Database, DatabaseUnreachable

log = logging.getLogger(__name__)


async def build(settings: Settings, clock: Clock | None = None) -> Rounds:
    """Load content (ContentError on a broken pack), then open and migrate the
    database, waiting up to `settings.database_wait` seconds for it to accept
    connections (DatabaseUnreachable after that)."""
    content = load_content(settings.content_dir)
    db = Database(settings.database_url, pool_size=settings.database_pool)
    loop = asyncio.get_running_loop()
    started = loop.time()
    deadline = started + settings.database_wait
    while True:
        try:
            await db.migrate()
            break
        except (OSError, DBAPIError) as exc:
            if loop.time() >= deadline:
                await db.close()
                raise DatabaseUnreachable(db.url, exc, loop.time() - started) from None
            log.warning("database not reachable yet (%s); retrying", type(exc).__name__)
            await asyncio.sleep(2)
    rounds = Rounds(db, content, clock=clock, default_pack=settings.default_pack)
    rounds.retention_days = settings.retention_days
    return rounds
