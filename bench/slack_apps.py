"""One Slack app in a process of its own, for the latency bench: ours (the real
SlackBot on the real core), or a bare slack-bolt app with default settings that
acks each command, optionally after one SELECT of the member's row on the same
database (the baseline the targets name).

    python -m bench.slack_apps rounds|bare|bare-select DB_URL SLACK_API_URL

It prints its request URL on the first line of stdout and serves until stdin closes;
then it prints the process's peak resident memory in MB."""

from __future__ import annotations

import asyncio
import resource
import sys
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
from tests.fakes.slack_requests import bolt_server

SECRET = "bench-secret"
COMMANDS = ("/help", "/profile", "/checkin")


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
    async with bolt_server(app) as request_url:
        print(request_url, flush=True)
        await asyncio.to_thread(sys.stdin.read)
    if bot is not None:
        await bot.close()
    await db.close()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, flush=True)


if __name__ == "__main__":
    asyncio.run(serve(*sys.argv[1:4]))
