"""Request-to-ack latency of /help and /checkin: our Slack app against a bare
slack-bolt app with default settings answering the same command (ack only),
side by side in one run, both over HTTP on 127.0.0.1 with signed requests.

    python -m bench.slack_ack [--requests 300] [--concurrency 1,50]
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

from adapters.slack.app import SlackBot, make_client
from bot.commands import Actor
from bot.config import Settings
from bot.content import load_content
from bot.core import Rounds
from bot.storage.db import Database
from tests.fakes.slack_api import TEAM_ID, FakeSlackAPI
from tests.fakes.slack_requests import USER_ID, bolt_server, sign, slash_command

SECRET = "bench-secret"


def bare_app(api_url: str) -> AsyncApp:
    app = AsyncApp(
        client=AsyncWebClient(token="xoxb-bench", base_url=api_url), signing_secret=SECRET
    )

    async def just_ack(ack: Any) -> None:
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
                aiohttp.ClientSession() as session,
            ):
                apps: dict[str, str] = {"rounds": ours_url, "bare bolt": bare_url}
                for url in apps.values():  # warm up: auth.test, users.info cache
                    await measure(session, url, "/help", "", 20, 1)
                for command in ("/help", "/checkin"):
                    for level in levels:
                        for name, url in apps.items():
                            t = await measure(session, url, command, "", requests, level)
                            rows.append((command, level, name, pct(t, 50), pct(t, 99)))
        await db.close()
    print(f"{'command':9} {'conc':>4}  {'app':10} {'p50 ms':>8} {'p99 ms':>8}  ratio p50/p99")
    for i in range(0, len(rows), 2):
        (cmd, lvl, a, a50, a99), (_, _, b, b50, b99) = rows[i], rows[i + 1]
        print(f"{cmd:9} {lvl:>4}  {a:10} {a50:8.2f} {a99:8.2f}")
        print(f"{'':9} {'':>4}  {b:10} {b50:8.2f} {b99:8.2f}  {a50 / b50:.2f}x / {a99 / b99:.2f}x")


def run(argv: list[str] | None = None, runner: Callable[..., Awaitable[None]] = main) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", default="1,50")
    args = parser.parse_args(argv)
    asyncio.run(runner(args.requests, [int(x) for x in args.concurrency.split(",")]))


if __name__ == "__main__":
    run()
