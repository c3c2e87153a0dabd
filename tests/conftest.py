"""Shared fixtures: a migrated database on SQLite and (when configured) PostgreSQL,
a controllable clock, the core, and console conversations."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import text

from bot.clock import FakeClock
from bot.content import Content, load_content
from bot.core import Rounds
from bot.schema import metadata
from bot.storage.db import Database
from tests.conversation import ADAPTERS, Conversation, Talk

# CI runs the property tests on a fixed sequence of examples, so a run is repeatable;
# locally they explore new examples each time.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

PG_ADMIN_URL = os.environ.get("ROUNDS_TEST_POSTGRES_URL")  # e.g. ...@127.0.0.1:5432/postgres
START = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)  # a Monday


def _run(coro_factory: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run set-up code on a loop of its own (a test's loop may already be running)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coro_factory()).result()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "template.db"

    async def go() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        await db.migrate()
        await db.close()

    _run(go)
    return path


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated once, dropped after."""
    if not PG_ADMIN_URL:
        pytest.skip("ROUNDS_TEST_POSTGRES_URL is not set")
    import asyncpg

    name = f"rounds_test_{uuid.uuid4().hex[:10]}"
    admin = PG_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name

    async def create() -> None:
        conn = await asyncpg.connect(admin)
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()
        db = Database(url)
        await db.migrate()
        await db.close()

    async def drop() -> None:
        conn = await asyncpg.connect(admin)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    _run(create)
    yield url
    _run(drop)


async def _sqlite(template: Path, tmp_path: Path) -> Database:
    path = tmp_path / "rounds.db"
    shutil.copy(template, path)
    return Database(f"sqlite+aiosqlite:///{path}")


async def _postgres(url: str) -> Database:
    db = Database(url)
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    async with db.begin() as conn:
        await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    return db


@pytest.fixture(params=["sqlite", "postgres"])
async def any_db(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path
) -> AsyncIterator[Database]:
    """The same test on both backends (PostgreSQL skipped when not configured)."""
    if request.param == "sqlite":
        db = await _sqlite(sqlite_template, tmp_path)
    else:
        db = await _postgres(request.getfixturevalue("pg_url"))
    yield db
    await db.close()


@pytest.fixture
async def sqlite_db(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Database]:
    db = await _sqlite(sqlite_template, tmp_path)
    yield db
    await db.close()


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def rounds(sqlite_db: Database, content: Content, clock: FakeClock) -> Rounds:
    return Rounds(sqlite_db, content, clock=clock)


@pytest.fixture
def any_rounds(any_db: Database, content: Content, clock: FakeClock) -> Rounds:
    return Rounds(any_db, content, clock=clock)


@pytest.fixture(params=ADAPTERS)
def adapter(request: pytest.FixtureRequest) -> str:
    """Each conversation test runs through the console, Slack and Discord; a test marked
    `gap(adapter, reason)` is expected to fail on that adapter until the gap is closed."""
    for gap in request.node.iter_markers("gap"):
        if gap.args[0] == request.param:
            request.applymarker(pytest.mark.xfail(reason=gap.kwargs["reason"], strict=False))
    return str(request.param)


@pytest.fixture
async def talk(adapter: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Talk]:
    """`await talk(rounds, community, organisers)`: a conversation on the adapter under
    test. Each Rounds (a process) gets its own bot; the platform (a Slack workspace per
    community, one fake Discord) is shared by all of them, as the real one would be."""
    if adapter == "console":

        async def console(
            rounds: Rounds, community: str = "demo", organisers: Iterable[str] = ()
        ) -> Conversation:
            return Conversation(rounds, community, organisers)

        yield console
        return
    from tests.fakes.conftest import refuse_outside

    refuse_outside(monkeypatch)
    async with AsyncExitStack() as stack:
        platform: Any
        if adapter == "slack":
            from tests.conversation_slack import SlackPlatform

            platform = SlackPlatform(stack)
        else:
            from tests.conversation_discord import DiscordPlatform

            platform = await DiscordPlatform.start(stack)
        yield platform.conversation


@pytest.fixture
async def chat(talk: Talk, rounds: Rounds) -> Conversation:
    """A conversation in community 'demo', organiser 'olivia', on each adapter."""
    return await talk(rounds, community="demo", organisers={"olivia"})
