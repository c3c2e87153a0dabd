"""The dashboard in a real headless chromium: sign in through the link /dashboard
sends in the console, see the check-in chart with one point per week, download
the CSV and compare it with the database; used and expired links, forged
cookies and another community's URLs are refused."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import timedelta
from pathlib import Path

from sqlalchemy import distinct, func, select

from adapters.web.app import WebApp
from adapters.web.auth import COOKIE
from bot.clock import FakeClock
from bot.core import Rounds
from bot.features.groups.tables import checkins
from tests.conversation import Conversation
from tests.web.browser import chromium, screenshot_dir
from tests.web.support import KEY, dashboard_link, seed, served


async def _db_weeks(rounds: Rounds, cid: str) -> dict[str, int]:
    c = checkins
    query = (
        select(c.c.week, func.count(distinct(c.c.member_id)))
        .where(c.c.community_id == cid)
        .group_by(c.c.week)
    )
    async with rounds.db.connect() as conn:
        return {r[0].isoformat(): int(r[1]) for r in await conn.execute(query)}


async def _sign_in(browser: object, link: str) -> object:
    context = await browser.new_context(accept_downloads=True)  # type: ignore[attr-defined]
    page = await context.new_page()
    await page.goto(link)
    await page.click("#signin")
    return page


def _community_urls(rounds: Rounds, cid: str, rid: int) -> list[tuple[str, str]]:
    """Every route of the app that names a community, with `cid` and round `rid` in it."""
    out = []
    for resource in WebApp(rounds, KEY).application().router.resources():
        path = resource.canonical
        if "{cid}" in path:
            for route in resource:
                if route.method in ("GET", "POST"):
                    filled = path.replace("{cid}", cid).replace("{rid}", str(rid))
                    out.append((route.method, filled))
    return out


async def _round(chat: Conversation, organiser: str) -> int:
    reply = await chat.ok(organiser, "/mentor round open")
    return int(reply.text.split()[1])


async def test_sign_in_chart_and_csv(rounds: Rounds, clock: FakeClock, tmp_path: Path) -> None:
    north = await seed(rounds, "north", 4, clock.now())
    chat = Conversation(rounds, "north", organisers=["org"])
    async with served(rounds), chromium() as browser:
        page = await _sign_in(browser, await dashboard_link(chat, "org"))
        assert page.url.endswith(f"{north.base}/accountability")
        assert await page.inner_text("h1") == "Accountability"
        points = page.locator("svg.chart circle.point")
        assert await points.count() == 12
        titles = [await points.nth(i).locator("title").text_content() for i in range(12)]
        assert [int(str(t).rsplit(": ", 1)[1]) for t in titles] == list(north.checked.values())
        await page.set_viewport_size({"width": 900, "height": 800})
        await page.screenshot(
            path=str(screenshot_dir(tmp_path) / "accountability.png"), full_page=True
        )
        async with page.expect_download() as info:
            await page.click("text=Download these numbers (CSV)")
        download = await info.value
        text = await asyncio.to_thread(Path(await download.path()).read_text, encoding="utf-8")
    rows = [r for r in csv.reader(io.StringIO(text)) if r[0] == "weeks"]
    from_csv = {r[1]: int(r[2]) for r in rows}
    assert from_csv == await _db_weeks(rounds, north.community_id) == north.checked
    assert {r[1]: int(r[3]) for r in rows} == north.helped


async def test_another_communitys_urls_are_refused(rounds: Rounds, clock: FakeClock) -> None:
    north = await seed(rounds, "north", 2, clock.now())
    south = await seed(rounds, "south", 3, clock.now())
    chat = Conversation(rounds, "north", organisers=["org"])
    south_chat = Conversation(rounds, "south", organisers=["sam"])
    await _round(chat, "org")
    south_round = await _round(south_chat, "sam")
    await south_chat.ok("sam", "/mentor round close")
    urls = _community_urls(rounds, south.community_id, south_round)
    assert len(urls) == 11  # 3 pages and their CSVs, 4 round actions, a round's CSV
    # this community's URLs naming the other's round: the core finds no such round
    mixed = [
        u
        for u in _community_urls(rounds, north.community_id, south_round)
        if "{rid}" not in u[1] and str(south_round) in u[1]
    ]
    assert mixed
    async with served(rounds) as base, chromium() as browser:
        page = await _sign_in(browser, await dashboard_link(chat, "org"))
        for method, path in urls + mixed:
            if method == "GET":
                got = await page.request.get(base + path)
            else:
                got = await page.request.post(base + path, form={"csrf": "x"})
            assert got.status == 404, (method, path, got.status)
            assert "South" not in await got.text()
    status = await south_chat.ok("sam", "/mentor round status")
    assert "closed" in status.text  # no action of the page reached the other community


async def test_used_expired_and_forged_are_refused(rounds: Rounds, clock: FakeClock) -> None:
    north = await seed(rounds, "north", 2, clock.now())
    chat = Conversation(rounds, "north", organisers=["org"])
    async with served(rounds) as base, chromium() as browser:
        link = await dashboard_link(chat, "org")
        first = await _sign_in(browser, link)
        assert first.url.endswith("/accountability")
        again = await _sign_in(browser, link)
        assert "expired or was used" in await again.inner_text("main")
        stale = await dashboard_link(chat, "org")
        clock.advance(timedelta(minutes=16))
        late = await _sign_in(browser, stale)
        assert "expired or was used" in await late.inner_text("main")
        cookies = await first.context.cookies()
        real = next(c for c in cookies if c["name"] == COOKIE)
        assert real["httpOnly"] and real["sameSite"] == "Strict"
        forged_context = await browser.new_context()
        sid = real["value"].rpartition(".")[0]
        await forged_context.add_cookies([{**real, "value": f"{sid}.{'f' * 64}"}])
        forged = await forged_context.new_page()
        answer = await forged.goto(f"{base}{north.base}/accountability")
        assert answer.status == 401
        await first.click("text=Sign out")
        after = await first.goto(f"{base}{north.base}/accountability")
        assert after.status == 401
