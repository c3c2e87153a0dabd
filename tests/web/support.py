"""The web side under test: the real aiohttp app on 127.0.0.1 (a free port),
the console as the platform that delivers /dashboard's DM, and a community
seeded with twelve weeks of check-ins."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiohttp import web

from adapters.web.app import WebApp
from adapters.web.auth import community_path
from bot.core import Rounds
from bot.features.groups import store
from bot.features.groups.cycle import Cycle
from bot.members import create_community, create_member
from tests.conversation import Conversation

KEY = b"test-web-secret"
LINK = re.compile(r"(http://127\.0\.0\.1:\d+/signin/[A-Za-z0-9_-]+)")


@asynccontextmanager
async def served(rounds: Rounds) -> AsyncIterator[str]:
    """The web app on a free port of 127.0.0.1; yields its base URL."""
    runner = web.AppRunner(WebApp(rounds, KEY).application(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    rounds.web_url = f"http://127.0.0.1:{port}"
    try:
        yield rounds.web_url
    finally:
        rounds.web_url = None
        await runner.cleanup()


async def dashboard_link(chat: Conversation, organiser: str) -> str:
    """Run /dashboard in the console; the sign-in link from the DM it sends."""
    reply = await chat.ok(organiser, "/dashboard")
    links = [LINK.search(p.message.text) for p in reply.also if p.to.member_id == organiser]
    found = [m.group(1) for m in links if m]
    assert len(found) == 1, reply.to_dict()
    return found[0]


@dataclass(frozen=True)
class Seeded:
    community_id: str
    group_id: int
    checked: dict[str, int]  # week (ISO Monday) -> members checked in
    helped: dict[str, int]

    @property
    def base(self) -> str:
        return community_path(self.community_id)


async def seed(rounds: Rounds, community: str, members: int, now: datetime) -> Seeded:
    """A community with one group and `members` members who joined 13 weeks ago;
    in week i (0 = 11 weeks ago) the first (i % members) + 1 members check in,
    and in every third week the first of them asks for help."""
    cid = f"console:{community}"
    monday = (now - timedelta(days=now.weekday())).date()
    weeks = [monday - timedelta(weeks=w) for w in range(11, -1, -1)]
    joined = now - timedelta(weeks=13)
    checked, helped = {}, {}
    async with rounds.db.begin() as conn:
        await create_community(conn, cid, "ir", joined, name=community.title())
        cycle = Cycle(0, 9, 0, "UTC", 2 * 1440, 720)
        gid = await store.create_group(conn, cid, "crew", "ir", cycle, "org", joined)
        assert gid is not None
        names = [f"m{i}" for i in range(members)]
        for name in names:
            await create_member(conn, cid, name, name, joined, None)
            await store.add_member(conn, cid, gid, name, joined)
        for i, week in enumerate(weeks):
            who = names[: (i % members) + 1]
            for name in who:
                await store.save_checkin(
                    conn,
                    cid,
                    name,
                    week,
                    gid,
                    review=[],
                    win="w",
                    blocker="b",
                    commitments=["c"],
                    now=now,
                )
            if i % 3 == 0:
                await store.set_wants_help(conn, cid, who[0], week, True)
            checked[week.isoformat()] = len(who)
            helped[week.isoformat()] = 1 if i % 3 == 0 else 0
    return Seeded(cid, gid, checked, helped)
