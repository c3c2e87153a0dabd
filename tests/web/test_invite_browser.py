"""Mentors who are not on the platform, in headless chromium: the invite page
shows /mentor signup's own form; a sign-up submitted there is matched in the
next round like any other mentor; the introduction arrives by email (a local
aiosmtpd) with Accept and Decline links that work; bad input gets the slash
command's message and stores nothing."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from adapters.mail.deliver import MailDeliverer, Smtp
from bot.clock import FakeClock
from bot.core import Rounds
from bot.features.invites.tables import email_members
from bot.features.mentoring.tables import mentoring_pairs, mentoring_signups
from bot.storage.tables import members
from tests.conversation import Conversation
from tests.web.browser import chromium, screenshot_dir
from tests.web.mail import smtp_server
from tests.web.support import dashboard_link, served

URL = re.compile(r"(http://127\.0\.0\.1:\d+/\S+)")
AMIR = "/mentee signup kinds=research focus=interventional-oncology stage=ms3 goal='an abstract'"


async def _invite(chat: Conversation) -> str:
    reply = await chat.ok("org", "/mentor invite 3 7")
    return str(reply.data["invite"]["url"])


async def _fill(page: Any, name: str, email: str, capacity: str) -> None:
    await page.fill("#f-name", name)
    await page.fill("#f-email", email)
    await page.fill("#f-kinds", "research, career")
    await page.fill("#f-focus", "interventional-oncology")
    await page.select_option("#f-stage", "attending")
    await page.fill("#f-capacity", capacity)
    await page.click("#submit")


async def _mail_rows(rounds: Rounds) -> tuple[int, int, int]:
    async with rounds.db.connect() as conn:
        counts = []
        for table, column in (
            (email_members, email_members.c.member_id),
            (mentoring_signups, mentoring_signups.c.member_id),
            (members, members.c.member_id),
        ):
            query = select(func.count()).select_from(table).where(column.like("mail.%"))
            counts.append(int((await conn.execute(query)).scalar_one()))
    return counts[0], counts[1], counts[2]


async def test_invited_mentor_is_matched_and_answers_by_email(
    rounds: Rounds, clock: FakeClock, tmp_path: Path
) -> None:
    chat = Conversation(rounds, "north", organisers=["org"])
    with smtp_server() as (inbox, port):
        rounds.outbox.register(
            "mail",
            MailDeliverer(rounds, Smtp("127.0.0.1", port, False, None, None), "rounds@example.org"),
        )
        async with served(rounds), chromium() as browser:
            await chat.ok("org", "/mentor round open")
            invite = await _invite(chat)
            page = await (await browser.new_context()).new_page()
            await page.goto(invite)
            slash = (await chat.ok("org", "/mentor signup")).form
            assert slash is not None
            keys = [
                await e.get_attribute("name") for e in await page.locator("#signup [name]").all()
            ]
            assert keys == ["name", "email", *[f.key for f in slash.fields]]
            await page.set_viewport_size({"width": 900, "height": 800})
            await page.screenshot(path=str(screenshot_dir(tmp_path) / "invite.png"), full_page=True)
            await _fill(page, "Dr Rao", "rao@example.org", "2")
            assert "/me/" in page.url and "signed up" in await page.inner_text("#notice")
            await chat.ok("amir", AMIR)
            org = await (await browser.new_context()).new_page()
            await org.goto(await dashboard_link(chat, "org"))
            await org.click("#signin")
            await org.click("text=Mentoring")
            for action in ("close", "publish"):
                await org.click(f"#round-{action}")
            async with rounds.db.connect() as conn:
                (pair,) = (await conn.execute(select(mentoring_pairs))).all()
            assert pair.mentor_id.startswith("mail.") and pair.mentee_id == "amir"
            (intro,) = [b for b in inbox.bodies("rao@example.org") if "Accept" in b]
            # No chat welcome by email: /help and its buttons are not an email mentor's.
            assert inbox.bodies("rao@example.org", "Welcome to Rounds") == []
            links = dict(re.findall(r"^(Accept|Decline)\S*: (\S+)$", intro, re.M))
            assert set(links) == {"Accept", "Decline"}
            decline = await (await browser.new_context()).new_page()
            await decline.goto(links["Decline"])
            assert await decline.locator("#confirm").inner_text() == "Decline"
            accept = await (await browser.new_context()).new_page()
            await accept.goto(links["Accept"])
            await accept.click("#confirm")
            assert "let amir know" in await accept.inner_text("#notice")
            async with rounds.db.connect() as conn:
                answer = (await conn.execute(select(mentoring_pairs.c.mentor_answer))).scalar_one()
            assert answer == "accepted"
            await chat.ok("amir", f"/mentee accept {pair.id}")
            await chat.advance("15d")  # the scheduler's "did you meet?" goes by email too
            (meet,) = inbox.bodies("rao@example.org", "Did you meet")
            assert re.search(r"^Yes, we met: http://127\.0\.0\.1:\d+/act/", meet, re.M), meet
        assert URL.search(intro.split("--")[-1])  # the withdraw / export-and-delete link


async def test_bad_input_gets_the_slash_commands_message_and_stores_nothing(
    rounds: Rounds, clock: FakeClock
) -> None:
    chat = Conversation(rounds, "north", organisers=["org"])
    zero = await chat.fails(
        "ben",
        "/mentor signup kinds=research focus=interventional-oncology stage=attending capacity=0",
    )
    async with served(rounds), chromium() as browser:
        invite = await _invite(chat)
        before = await _mail_rows(rounds)
        page = await (await browser.new_context()).new_page()
        await page.goto(invite)
        await _fill(page, "Dr Rao", "rao@example.org", "0")
        assert (await page.inner_text("#notice")).strip() == zero.text.strip()
        assert await page.input_value("#f-name") == "Dr Rao"  # the answers are kept
        await _fill(page, "Dr Rao", "not an address", "2")
        assert "does not look like an email address" in await page.inner_text("#notice")
        assert await _mail_rows(rounds) == before == (0, 0, 0)


async def test_an_email_mentor_exports_and_deletes_their_data(
    rounds: Rounds, clock: FakeClock
) -> None:
    chat = Conversation(rounds, "north", organisers=["org"])
    async with served(rounds) as base, chromium() as browser:
        invite = await _invite(chat)
        context = await browser.new_context(accept_downloads=True)
        page = await context.new_page()
        await page.goto(invite)
        await _fill(page, "Dr Rao", "rao@example.org", "2")
        mine = page.url.split("?")[0]
        await page.fill("#f-timezone", "Europe/Berlin")
        await page.click("#save-details")
        assert not await page.locator("#notice.error").count()
        async with page.expect_download() as info:
            await page.click("#export")
        path = Path(await (await info.value).path())
        exported = await asyncio.to_thread(path.read_text, encoding="utf-8")
        assert "rao@example.org" in exported and "Europe/Berlin" in exported
        await page.click("#delete")
        assert "Delete my data" in await page.inner_text("form[action^='/act/'] button")
        await page.click("form[action^='/act/'] button")
        assert await _mail_rows(rounds) == (0, 0, 0)
        gone = await page.goto(mine)
        assert gone is not None and gone.status == 404
        assert base
