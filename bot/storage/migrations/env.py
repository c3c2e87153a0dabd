"""Alembic environment: runs on the connection Database.migrate() hands over,
or on ROUNDS_DATABASE_URL when called from the alembic command line."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from bot.schema import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def _online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from bot.config import load_settings
    from bot.storage.db import Database

    async def go() -> None:
        db = Database(load_settings().database_url)
        async with db.engine.begin() as conn:
            await conn.run_sync(_run)
        await db.close()

    asyncio.run(go())


_online()
