"""One Slack app in a process of its own, for the latency bench: ours (the real
SlackBot on the real core), or a bare slack-bolt app with default settings that
acks each command, optionally after one SELECT of the member's row on the same
database (the baseline the targets name).

    python -m bench.slack_apps rounds|bare|bare-select DB_URL SLACK_API_URL [asyncio|uvloop]

It prints its request URL on the first line of stdout and serves until stdin closes;
then it prints the process's peak resident memory in MB and the CPU seconds it used."""

from __future__ import annotations

import asyncio
import resource
import sys
from pathlib import Path
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from adapters.slack.app import SlackBot, make_client
from bot.config import Settings
from bot.content import load_content
from bot.core import Rounds
from bot.storage.db import Database
from bot.storage.tables import members
from tests.fakes.slack_api import serve as serve_app
from tests.fakes.slack_requests import bolt_server

SECRET = "bench-secret"
ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ("/help", "/profile", "/checkin")
PATH = "/slack/events"


def bare_app(api_url: str, db: Database | None = None) -> AsyncApp:
    """A bare Bolt app with default settings that acks; with `db`, after one SELECT."""
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

    for name in COMMANDS:
        app.command(name)(just_ack)
    return app


async def serve(kind: str, url: str, api_url: str) -> None:
    db = Database(url)
    if kind == "rounds":
        settings = Settings(
            SLACK_BOT_TOKEN="xoxb-bench", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=api_url
        )
        bot: SlackBot | None = SlackBot(Rounds(db, load_content()), make_client(settings), SECRET)
        app = bot.app
    else:
        bot, app = None, bare_app(api_url, db if kind == "bare-select" else None)
    # ours through its production endpoint (signature, retry de-duplication, then Bolt)
    server = serve_app(bot.web_app(PATH)) if bot is not None else bolt_server(app, PATH)
    async with server as base:
        print(base if bot is None else base + PATH, flush=True)
        await asyncio.to_thread(sys.stdin.read)
    if bot is not None:
        await bot.close()
    await db.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, flush=True)


async def start(
    kind: str, url: str, api_url: str, loop: str = "asyncio", within: float = 120.0
) -> tuple[asyncio.subprocess.Process, str]:
    """Start `python -m bench.slack_apps` in a process of its own; returns it and the
    request URL it printed, or raises if it printed none within `within` seconds."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.slack_apps",
        kind,
        url,
        api_url,
        loop,
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    try:
        line = (await asyncio.wait_for(proc.stdout.readline(), within)).decode().strip()
    except TimeoutError:
        line = ""
    if not line.startswith("http://127.0.0.1:"):
        proc.kill()
        await proc.wait()
        raise RuntimeError(f"the {kind} Slack app did not start")
    return proc, line


def run(argv: list[str]) -> None:
    """`kind url api_url [asyncio|uvloop]`: serve on the event loop named (asyncio's own
    by default; uvloop when asked and installed)."""
    if argv[3:4] == ["uvloop"]:
        import uvloop

        uvloop.run(serve(*argv[:3]))
    else:
        asyncio.run(serve(*argv[:3]))


if __name__ == "__main__":
    run(sys.argv[1:])
