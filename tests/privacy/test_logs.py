"""Logs never carry tokens or what members wrote: commands with secret text run
(some of them crashing with that text in the exception and in SQL parameters),
and adapter-like log lines quote tokens; the log output holds neither."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import insert

from bot.clock import FakeClock
from bot.commands import Actor, Command, OptionSpec
from bot.content import Content
from bot.context import Context
from bot.core import Rounds
from bot.logs import REDACTED, redact, setup_logging
from bot.registry import Registry, registry
from bot.responses import Response
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.jobs import KINDS, Job, schedule
from bot.storage.db import Database
from bot.storage.tables import members
from tests.fakes.outbox import RecordingDeliverer

SECRET = "my-private-words-4471"
SLACK_BOT = "xoxb-2219-88301-Hq7Zb0Rw1Lx9KfTgYbN2aC4d"
SLACK_APP = "xapp-1-A0123456789-8765432101234-0a1b2c3d4e5f67890a1b2c3d"
SLACK_REFRESH = "xoxe.xoxp-1-Mi0yLTExMTExMTExMTExLTIyMjIy"
DISCORD = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GhT2xk.aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5zA"
SIGNING = "8f14e45fceea167a5a36dedd4bea2543"
TOKENS = (SLACK_BOT, SLACK_APP, SLACK_REFRESH, DISCORD, SIGNING)


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    out = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = setup_logging("DEBUG", secrets=(SIGNING, None), stream=out)
    yield out
    root.removeHandler(handler)
    root.setLevel(level)


def _crashing_registry() -> Registry:
    """/help and /profile as usual, plus commands that crash with the text given."""
    reg = Registry()
    reg.commands.update(registry.commands)
    reg.command("boom", "crashes")

    @reg.sub("boom", "raise", "raise", OptionSpec("text", "text", kind="text"))
    async def boom(ctx: Context, cmd: Command) -> Response:
        raise ValueError(f"could not handle {cmd.opt('text')} with {SLACK_BOT}")

    @reg.sub("boom", "sql", "bad SQL", OptionSpec("text", "text", kind="text"))
    async def sql(ctx: Context, cmd: Command) -> Response:
        async with ctx.db.begin() as conn:  # the member's row exists: a duplicate key
            await conn.execute(
                insert(members).values(
                    community_id=ctx.community_id,
                    member_id=ctx.member_id,
                    display_name=cmd.opt("text"),
                    interests=[],
                    is_organiser=False,
                    created_at=ctx.now(),
                    updated_at=ctx.now(),
                )
            )
        return Response(text="unreachable")

    return reg


async def test_no_token_or_member_text_reaches_the_logs(
    sqlite_db: Database, content: Content, clock: FakeClock, log_output: io.StringIO
) -> None:
    rounds = Rounds(sqlite_db, content, clock=clock, commands=_crashing_registry())
    alice = Actor("slack:T1", "alice", "Alice")
    for line in (
        f"/boom raise {SECRET}",
        f"/boom sql {SECRET}",
        f"/profile set name {SECRET} {SLACK_BOT}",
        f"/pitch-review check I'm {SECRET}, an MS3. {DISCORD}",
        f"/group create {SECRET}",
    ):
        await rounds.run_line(alice, line)
    crashed = await rounds.run_line(alice, f"/boom raise {SECRET}")
    assert crashed.error and "Something went wrong" in crashed.text

    # a scheduled job whose handler crashes with a member's text
    async def explode(rounds: Rounds, job: Job, now: object) -> list[object]:
        raise RuntimeError(f"{SECRET} {job.payload['text']}")

    KINDS["test.explode"] = explode  # type: ignore[assignment]
    try:
        async with sqlite_db.begin() as conn:
            await schedule(
                conn,
                community_id="slack:T1",
                kind="test.explode",
                due_at=clock.now(),
                now=clock.now(),
                member_id="alice",
                payload={"text": SECRET},
            )
        rounds.outbox.register("slack", RecordingDeliverer())
        await Dispatcher(rounds, rounds.outbox).run_once()
        clock.advance(timedelta(hours=1))
    finally:
        del KINDS["test.explode"]

    # an adapter-like module logging a request with its headers and an error
    adapter = logging.getLogger("adapters.slack.app")
    adapter.info("POST chat.postMessage headers=%s", {"Authorization": f"Bearer {SLACK_BOT}"})
    adapter.warning("discord gateway: Authorization: Bot %s", DISCORD)
    adapter.debug("socket mode with %s, refresh %s, signing %s", SLACK_APP, SLACK_REFRESH, SIGNING)
    try:
        raise ConnectionError(f"handshake failed for token {SLACK_APP}")
    except ConnectionError:
        adapter.exception("reconnecting")

    logged = log_output.getvalue()
    assert "command /boom raise failed" in logged and "ValueError" in logged
    assert "command /boom sql failed" in logged and "IntegrityError" in logged
    assert re.search(r"job \d+ \(test.explode\) failed", logged) and "RuntimeError" in logged
    assert "reconnecting" in logged and logged.count(REDACTED) >= 6
    assert SECRET not in logged
    for token in TOKENS:
        assert token not in logged, token
        assert token[6:30] not in logged, token  # no part of it either


def test_redact_leaves_ordinary_text() -> None:
    line = "command /group join failed; Bot commands synced for guild 1234; xoxo hugs"
    assert redact(line) == line
    assert redact(f"token={SLACK_BOT}!") == f"token={REDACTED}!"
    assert redact(f"Bot {DISCORD}") == f"Bot {REDACTED}"
    assert redact("secret saucebox", secrets=("saucebox",)) == f"secret {REDACTED}"


THIRD_PARTY = (
    "slack_bolt.App",
    "slack_bolt.AsyncApp",
    "slack_sdk.web.async_base_client",
    "slack_sdk.socket_mode.aiohttp",
    "discord.client",
    "discord.gateway",
    "discord.http",
    "aiohttp.access",
    "aiohttp.server",
    "asyncpg",
    "sqlalchemy.engine.Engine",
    "asyncio",
    "some.library.we.never.heard.of",
)


def test_third_party_loggers_never_carry_member_text(log_output: io.StringIO) -> None:
    body = {"text": f"/remind me {SECRET}", "user": "U1"}
    levels = {name: logging.getLogger(name).level for name in THIRD_PARTY}
    try:
        for name in THIRD_PARTY:
            lib = logging.getLogger(name)
            lib.setLevel(logging.DEBUG)  # as a library may do for itself, or an operator
            lib.debug("Received the following event: %s", body)
            lib.info(f"Sending a request - url: https://slack.com/api/chat.postMessage, {body}")
            lib.warning(f"Unhandled request ({body})")
            lib.warning("Shard ID %s heartbeat blocked for more than %s seconds: %s", 0, 10, body)
            lib.error("Ignoring exception in view %r for item %r", body, SECRET)
            try:
                raise ValueError(f"could not parse {SECRET}")
            except ValueError:
                lib.exception(f"Error: could not handle {SECRET}")
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
    logged = log_output.getvalue()
    assert SECRET not in logged
    for name in THIRD_PARTY:  # what happened still shows, with its numbers
        assert f"WARNING {name}: Unhandled request [" in logged, name
        assert f"{name}: Shard ID 0 heartbeat blocked for more than 10 seconds" in logged
        assert f"ERROR {name}: Error [" in logged
        assert f"INFO {name}" not in logged and f"DEBUG {name}" not in logged
    assert "builtins.ValueError (message withheld)" in logged


def test_a_second_handler_keeps_the_exception_type(log_output: io.StringIO) -> None:
    """Every handler's filter sees the same record: withholding twice must not
    erase what the first pass kept (seen when an earlier handler was still installed)."""
    first = setup_logging("DEBUG", stream=io.StringIO())
    root = logging.getLogger()
    root.removeHandler(first)
    root.handlers.insert(0, first)  # runs before the fixture's handler
    try:
        try:
            raise ValueError(f"could not parse {SECRET}")
        except ValueError:
            logging.getLogger("slack_bolt").exception(f"Error: could not handle {SECRET}")
    finally:
        root.removeHandler(first)
    logged = log_output.getvalue()
    assert SECRET not in logged
    assert "builtins.ValueError (message withheld)" in logged
