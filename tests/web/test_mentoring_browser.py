"""The mentoring and conferences-and-research pages in headless chromium: a round opened,
closed, previewed and published from the page (the same core commands as
/mentor round), its funnel and CSVs checked against the database; the
page's counts against /conference report and /research report."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.core import Rounds
from bot.features.mentoring.tables import mentoring_pairs
from tests.conversation import Conversation
from tests.web.browser import chromium, screenshot_dir
from tests.web.support import dashboard_link, served

ANA = (
    "/mentor signup pack=ir kinds=research,career focus=interventional-oncology "
    "stage=attending capacity=2"
)
BEN = "/mentor signup kinds=near-peer,career focus=venous-disease stage=pgy3 capacity=1"
AMIR = "/mentee signup kinds=research focus=interventional-oncology stage=ms3 goal='an abstract'"
BEA = "/mentee signup kinds=near-peer focus=venous-disease stage=ms2 goal='away rotations'"


async def _download(page: Any, link: str) -> list[list[str]]:
    async with page.expect_download() as info:
        await page.click(link)
    path = Path(await (await info.value).path())
    text = await asyncio.to_thread(path.read_text, encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


async def _pairs(rounds: Rounds, cid: str) -> int:
    query = select(func.count()).where(mentoring_pairs.c.community_id == cid)
    async with rounds.db.connect() as conn:
        return int((await conn.execute(query)).scalar_one())


async def test_a_round_run_from_the_page(rounds: Rounds, clock: FakeClock, tmp_path: Path) -> None:
    chat = Conversation(rounds, "north", organisers=["org"])
    async with served(rounds), chromium() as browser:
        context = await browser.new_context(accept_downloads=True)
        page = await context.new_page()
        await page.goto(await dashboard_link(chat, "org"))
        await page.click("#signin")
        await page.click("text=Mentoring")
        await page.click("#round-open")
        assert "is open for sign-ups" in await page.inner_text("#notice")
        for member, line in (("ana", ANA), ("ben", BEN), ("amir", AMIR), ("bea", BEA)):
            await chat.ok(member, line)
        await page.click("#round-close")
        await page.click("#round-preview")
        preview = await page.inner_text("#notice")
        assert "amir" in preview and "bea" in preview
        await page.click("#round-publish")
        assert not await page.locator("#notice.error").count()
        delivered = [p["delivery"] for p in chat.printed() if "delivery" in p]
        assert {"amir", "bea"} <= {d["to"]["member"] for d in delivered}  # introductions sent
        funnel = page.locator("#table-funnel tbody tr")
        assert await funnel.count() == 1
        cells = await funnel.nth(0).locator("td").all_inner_texts()
        assert cells[1] == "published" and cells[2:4] == ["2", "2"]
        await page.set_viewport_size({"width": 900, "height": 800})
        shot = screenshot_dir(tmp_path) / "mentoring.png"
        await page.screenshot(path=str(shot), full_page=True)
        rows = await _download(page, "text=Download these numbers (CSV)")
        pairs = await _download(page, "#round-csv-1")
    (funnel_row,) = [r for r in rows if r[0] == "funnel"]
    assert int(funnel_row[4]) == await _pairs(rounds, chat.community_id) == 2
    assert len(pairs) - 1 == 2  # the export's header and one line per pair


async def test_conferences_page_counts(rounds: Rounds, clock: FakeClock, tmp_path: Path) -> None:
    chat = Conversation(rounds, "north", organisers=["org"])
    await chat.ok(
        "org", '/conference add "SIR 2027" 2027-03-20 2027-03-24 Seattle America/Los_Angeles'
    )
    await chat.ok("org", '/conference add "RFS 2027" 2027-02-06 2027-02-07 Chicago America/Chicago')
    for member in ("ana", "ben", "amir"):
        await chat.ok(member, "/conference attend SIR 2027")
    await chat.ok("ana", "/conference attend RFS 2027")
    await chat.ok("ana", "/research add abstract role=presenting venue=SIR Splenic embolization")
    await chat.ok("ben", "/research add case-report role=first venue=JVIR Y-90 dosimetry")
    report = await chat.ok("org", "/conference report SIR 2027")
    research = (await chat.ok("org", "/research report")).data["research_report"]
    async with served(rounds), chromium() as browser:
        context = await browser.new_context(accept_downloads=True)
        page = await context.new_page()
        await page.goto(await dashboard_link(chat, "org"))
        await page.click("#signin")
        await page.click("text=Conferences")
        assert await page.locator("svg.chart rect.bar").count() == 2
        await page.set_viewport_size({"width": 900, "height": 800})
        shot = screenshot_dir(tmp_path) / "conferences.png"
        await page.screenshot(path=str(shot), full_page=True)
        rows = await _download(page, "text=Download these numbers (CSV)")
    by_name = {r[1]: r for r in rows if r[0] == "conferences"}
    assert list(by_name) == ["RFS 2027", "SIR 2027"]
    sir = report.data["conference_report"]
    assert int(by_name["SIR 2027"][4]) == len(sir["attendees"]) == 3
    assert int(by_name["RFS 2027"][4]) == 1
    assert int(by_name["SIR 2027"][6]) == sir["follow_ups_due"]
    counts = {r[1]: int(r[2]) for r in rows if r[0] == "research"}
    assert counts == research and counts["projects"] == 2 and counts["members"] == 2
