"""Request-to-ack latency of /help and /checkin: our Slack app against a bare
slack-bolt app with default settings answering the same command (ack only),
side by side in one run, both over HTTP on 127.0.0.1 with signed requests.

    python -m bench.slack_ack [--requests 300] [--concurrency 1,50,200]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from adapters.slack.app import SlackBot, make_client
from bot.commands import Actor
from bot.config import Settings
from bot.content import load_content
from bot.core import Rounds
from bot.storage.db import Database
from bot.storage.tables import members
from tests.fakes.slack_api import TEAM_ID, FakeSlackAPI
from tests.fakes.slack_requests import USER_ID, bolt_server, sign, slash_command

SECRET = "bench-secret"


def bare_app(api_url: str, db: Database | None = None) -> AsyncApp:
    """A bare Bolt app with default settings that acks; with `db`, after one SELECT
    of the member's row on the same database (the guide's baseline)."""
    app = AsyncApp(
        client=AsyncWebClient(token="xoxb-bench", base_url=api_url), signing_secret=SECRET
    )

    async def just_ack(ack: Any, command: dict[str, Any]) -> None:
        if db is not None:
            async with db.connect() as conn:
                await conn.execute(
                    select(members).where(
                        members.c.community_id == f"slack:{command['team_id']}",
                        members.c.member_id == command["user_id"],
                    )
                )
        await ack()

    app.command("/help")(just_ack)
    app.command("/checkin")(just_ack)
    return app


async def measure(
    session: aiohttp.ClientSession,
    url: str,
    command: str,
    text: str,
    requests: int,
    concurrency: int,
) -> list[float]:
    sem = asyncio.Semaphore(concurrency)
    times: list[float] = []

    async def one() -> None:
        body = slash_command(command, text)
        async with sem:
            start = time.perf_counter()
            async with session.post(
                url,
                data=body,
                headers={**sign(body, SECRET), "Content-Type": "application/x-www-form-urlencoded"},
            ) as resp:
                await resp.read()
                assert resp.status == 200, resp.status
            times.append((time.perf_counter() - start) * 1000)

    await asyncio.gather(*(one() for _ in range(requests)))
    return times


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def main(requests: int, levels: list[int]) -> None:
    rows: list[tuple[str, int, str, float, float]] = []
    apps: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
        await db.migrate()
        rounds = Rounds(db, load_content())
        actor = Actor(f"slack:{TEAM_ID}", USER_ID, "bench")
        await rounds.run_line(actor, "/group create bench-crew monday 09:00 UTC")
        async with FakeSlackAPI() as api:
            settings = Settings(
                SLACK_BOT_TOKEN="xoxb-bench", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=api.url
            )
            ours = SlackBot(rounds, make_client(settings), SECRET).app
            async with (
                bolt_server(ours) as ours_url,
                bolt_server(bare_app(api.url)) as bare_url,
                bolt_server(bare_app(api.url, db)) as select_url,
                aiohttp.ClientSession() as session,
            ):
                apps = {"rounds": ours_url, "bare bolt": bare_url, "bare+SELECT": select_url}
                for url in apps.values():  # warm up: auth.test, users.info cache
                    await measure(session, url, "/help", "", 20, 1)
                for command in ("/help", "/checkin"):
                    for level in levels:
                        for name, url in apps.items():
                            t = await measure(session, url, command, "", requests, level)
                            rows.append((command, level, name, pct(t, 50), pct(t, 99)))
        await db.close()
    print(f"{'command':9} {'conc':>4}  {'app':12} {'p50 ms':>8} {'p99 ms':>8}  ours/this p50, p99")
    for i in range(0, len(rows), len(apps)):
        group = rows[i : i + len(apps)]
        o50, o99 = group[0][3], group[0][4]
        for cmd, lvl, name, p50, p99 in group:
            ratio = "" if name == "rounds" else f"{o50 / p50:.2f}x, {o99 / p99:.2f}x"
            print(f"{cmd:9} {lvl:>4}  {name:12} {p50:8.2f} {p99:8.2f}  {ratio}")


def run(argv: list[str] | None = None, runner: Callable[..., Awaitable[None]] = main) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", default="1,50,200")
    args = parser.parse_args(argv)
    asyncio.run(runner(args.requests, [int(x) for x in args.concurrency.split(",")]))


if __name__ == "__main__":
    run()
