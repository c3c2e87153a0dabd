"""Command latency at 1, 50 and 200 concurrent members, through the console
path (the core plus the console renderer, in process) and the Slack path (signed
HTTP requests to the real Bolt app in a process of its own, the Web API faked in
the load generator's process), each beside its baseline on the same database:

- console: one SELECT of the member's row per request (the least a command reads);
- Slack: a bare slack-bolt app with default settings acking the same command,
  with and without one SELECT of the member's row.

Each request comes from a different member (200 members in groups of five), so
/checkin opens a real form and the Slack admin cache is per member."""

from __future__ import annotations

import asyncio
import io
import itertools
import time
from asyncio.subprocess import Process
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from sqlalchemy import event, select

from adapters.console.app import Console
from bench.common import members_in_groups, pct
from bench.slack_apps import COMMANDS, SECRET, start
from bot.content import load_content
from bot.core import Rounds
from bot.storage.db import Database
from bot.storage.tables import members
from tests.fakes.slack_api import TEAM_ID, FakeSlackAPI, JSONDict
from tests.fakes.slack_requests import sign, slash_command

LEVELS = (1, 50, 200)
MEMBERS = 200
Row = dict[str, Any]


async def _timed(calls: int, level: int, one: Callable[[int], Awaitable[None]]) -> list[float]:
    """Latencies in ms of `calls` calls of `one(i)`, at most `level` at a time."""
    sem = asyncio.Semaphore(level)
    times: list[float] = []

    async def timed(i: int) -> None:
        async with sem:
            start = time.perf_counter()
            await one(i)
            times.append((time.perf_counter() - start) * 1000)

    await asyncio.gather(*(timed(i) for i in range(calls)))
    return times


def _calls(calls: int, level: int, alone: int | None) -> int:
    return alone if level == 1 and alone is not None else calls


def _row(path: str, command: str, level: int, app: str, times: list[float], **more: Any) -> Row:
    return {
        "path": path,
        "command": command,
        "concurrent": level,
        "app": app,
        "p50_ms": pct(times, 50),
        "p99_ms": pct(times, 99),
        "requests": len(times),
        **more,
    }


async def statements(db: Database, run: Callable[[], Awaitable[object]]) -> int:
    """How many SQL statements `run()` sends (its database round trips)."""
    count = 0

    def counted(*_: object) -> None:
        nonlocal count
        count += 1

    event.listen(db.engine.sync_engine, "before_cursor_execute", counted)
    try:
        await run()
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", counted)
    return count


async def console(
    url: str,
    calls: int,
    levels: tuple[int, ...] = LEVELS,
    people: int = MEMBERS,
    alone: int | None = None,
) -> list[Row]:
    """`calls` requests per command and level; `alone` of them (default `calls`) at
    one member at a time, where the spread is small."""
    db = Database(url)
    await db.migrate()
    rounds = Rounds(db, load_content())
    community = "console:bench"
    actors = await members_in_groups(rounds, community, people)
    shell = Console(rounds, member=actors[0].member_id, community="bench", out=io.StringIO())

    async def select_member(i: int) -> None:
        async with db.connect() as conn:
            query = select(members).where(
                members.c.community_id == community,
                members.c.member_id == actors[i % people].member_id,
            )
            (await conn.execute(query)).first()

    rows: list[Row] = []
    for command in COMMANDS:

        async def one(i: int, command: str = command) -> None:
            shell.out = io.StringIO()
            await shell.line(f"@{actors[i % people].member_id} {command}")

        trips = await statements(db, lambda: one(1))
        for level in levels:
            n = _calls(calls, level, alone)
            base = await _timed(n, level, select_member)
            ours = await _timed(n, level, one)
            rows.append(_row("console", command, level, "rounds", ours, statements=trips))
            rows.append(_row("console", command, level, "one SELECT", base, statements=1))
    await db.close()
    return rows


async def _stop(proc: Process) -> float:
    """Close the app's stdin and return the peak memory (MB) it printed."""
    out, _ = await asyncio.wait_for(proc.communicate(b""), 30)
    return float(out.split()[-2])


class ModalClock(FakeSlackAPI):
    """The fake Web API, waking whoever waits for a trigger's views.open."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting: dict[str, asyncio.Event] = {}

    def _api_views_open(self, body: JSONDict) -> JSONDict:
        self.waiting.setdefault(body.get("trigger_id", ""), asyncio.Event()).set()
        return super()._api_views_open(body)

    async def modal(self, trigger: str) -> bool:
        """Wait (up to Slack's 3 s trigger lifetime, and then some) for the modal."""
        opened = self.waiting.setdefault(trigger, asyncio.Event())
        try:
            await asyncio.wait_for(opened.wait(), 10)
            return True
        except TimeoutError:
            return False
        finally:
            del self.waiting[trigger]


async def slack(
    url: str,
    calls: int,
    levels: tuple[int, ...] = LEVELS,
    people: int = MEMBERS,
    alone: int | None = None,
) -> list[Row]:
    """Each app in its own process; requests and the fake Web API in this one;
    `calls` requests per command, level and app (`alone` at one member at a time).
    Rounds acks /checkin before it works (the ack carries nothing), so there a
    member's turn ends when the modal opens: the time that matters to them."""
    db = Database(url)
    await db.migrate()
    actors = await members_in_groups(Rounds(db, load_content()), f"slack:{TEAM_ID}", people)
    await db.close()
    rows: list[Row] = []
    triggers = itertools.count()
    async with ModalClock() as api, aiohttp.ClientSession() as session:
        apps = {kind: await start(kind, url, api.url) for kind in ("rounds", "bare", "bare-select")}
        try:

            def sender(
                request_url: str, command: str, acks: list[float], modal: bool = False
            ) -> Callable[[int], Awaitable[None]]:
                async def one(i: int) -> None:
                    trigger = f"bench.{next(triggers)}"
                    user = actors[i % people].member_id
                    body = slash_command(command, user_id=user, trigger_id=trigger)
                    headers = {
                        **sign(body, SECRET),
                        "Content-Type": "application/x-www-form-urlencoded",
                    }
                    start = time.perf_counter()
                    async with session.post(request_url, data=body, headers=headers) as resp:
                        await resp.read()
                        assert resp.status == 200, resp.status
                    acks.append((time.perf_counter() - start) * 1000)
                    if modal:
                        assert await api.modal(trigger), "the check-in modal never opened"

                return one

            for _, request_url in apps.values():  # warm up: connections, users.info per member
                await _timed(people, 10, sender(request_url, "/help", []))
            for command in COMMANDS:
                for level in levels:
                    for kind, (_, request_url) in apps.items():
                        acks: list[float] = []
                        modal = kind == "rounds" and command == "/checkin"
                        turns = await _timed(
                            _calls(calls, level, alone),
                            level,
                            sender(request_url, command, acks, modal),
                        )
                        row = _row("slack", command, level, kind, acks)
                        if modal:
                            row |= {"modal_p50_ms": pct(turns, 50), "modal_p99_ms": pct(turns, 99)}
                        rows.append(row)
        finally:
            memory = {kind: await _stop(proc) for kind, (proc, _) in apps.items()}
    for row in rows:
        row["peak_mb"] = memory[row["app"]]
    return rows
