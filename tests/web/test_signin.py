"""Sign-in through /dashboard's DM, and what is refused: a used or expired link,
a forged cookie, a member who is no organiser, another community's pages."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest

from adapters.web.auth import COOKIE
from bot.clock import FakeClock
from bot.core import Rounds
from tests.conversation import Conversation
from tests.web.support import dashboard_link, seed, served


def browser(**kwargs: object) -> aiohttp.ClientSession:
    """A client that keeps cookies of 127.0.0.1 (aiohttp's jar skips IP hosts by default)."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), **kwargs)  # type: ignore[arg-type]


async def _sign_in(http: aiohttp.ClientSession, link: str) -> aiohttp.ClientResponse:
    return await http.post(link, allow_redirects=False)


async def test_a_link_signs_in_once(rounds: Rounds, clock: FakeClock) -> None:
    seeded = await seed(rounds, "north", 3, clock.now())
    chat = Conversation(rounds, "north", organisers=["org"])
    async with served(rounds) as url, browser() as http:
        link = await dashboard_link(chat, "org")
        page = await http.get(link)  # a preview's GET does not use the link
        assert page.status == 200 and "Sign in" in await page.text()
        first = await _sign_in(http, link)
        assert first.status == 303
        assert first.headers["Location"] == f"{seeded.base}/accountability"
        cookie = first.cookies[COOKIE]
        assert cookie["httponly"] and cookie["samesite"] == "Strict"
        assert int(cookie["max-age"]) == 3600  # a console organiser: the platform's word
        ok = await http.get(url + first.headers["Location"])
        assert ok.status == 200
        async with browser() as other:
            again = await _sign_in(other, link)
            assert again.status == 403
            assert "expired or was used" in await again.text()


async def test_an_expired_link_and_an_expired_session_are_refused(
    rounds: Rounds, clock: FakeClock
) -> None:
    await seed(rounds, "north", 2, clock.now())
    chat = Conversation(rounds, "north", organisers=["org"])
    async with served(rounds) as url, browser() as http:
        link = await dashboard_link(chat, "org")
        clock.advance(timedelta(minutes=15, seconds=1))
        assert (await _sign_in(http, link)).status == 403
        fresh = await dashboard_link(chat, "org")
        where = (await _sign_in(http, fresh)).headers["Location"]
        assert (await http.get(url + where)).status == 200
        clock.advance(timedelta(hours=12, seconds=1))
        assert (await http.get(url + where)).status == 401


async def test_the_platforms_word_holds_an_hour(rounds: Rounds, clock: FakeClock) -> None:
    """An organiser only because the platform says so (a server admin, the
    organiser role) cannot be asked again from the web: their session ends
    after an hour, and a new /dashboard link signs them in again."""
    seeded = await seed(rounds, "north", 2, clock.now())
    chat = Conversation(rounds, "north", organisers=["org"])
    async with served(rounds) as url, browser() as http:
        await _sign_in(http, await dashboard_link(chat, "org"))
        page = f"{url}{seeded.base}/accountability"
        clock.advance(timedelta(minutes=59))
        assert (await http.get(page)).status == 200
        clock.advance(timedelta(minutes=1, seconds=1))
        assert (await http.get(page)).status == 401
        await _sign_in(http, await dashboard_link(chat, "org"))
        assert (await http.get(page)).status == 200


async def test_an_organiser_removed_is_signed_out_at_once(rounds: Rounds, clock: FakeClock) -> None:
    """An organiser by Rounds' record keeps a 12-hour session while they stay one;
    `/admin organiser remove` ends it on their next page or action, CSV included."""
    seeded = await seed(rounds, "north", 2, clock.now())
    chat = Conversation(rounds, "north", organisers=["org"])
    await chat.ok("olivia", "/help")
    await chat.ok("org", "/admin organiser add olivia")
    async with served(rounds) as url, browser() as http:
        signed = await _sign_in(http, await dashboard_link(chat, "olivia"))
        assert int(signed.cookies[COOKIE]["max-age"]) == 12 * 3600
        page = f"{url}{seeded.base}/accountability"
        clock.advance(timedelta(hours=11))
        assert (await http.get(page)).status == 200
        await chat.ok("org", "/admin organiser remove olivia")
        assert (await http.get(page)).status == 401
        assert (await http.get(page + ".csv")).status == 401
        assert "for organisers" in (await chat.fails("olivia", "/dashboard")).text


async def test_a_forged_or_altered_cookie_is_refused(rounds: Rounds, clock: FakeClock) -> None:
    seeded = await seed(rounds, "north", 2, clock.now())
    chat = Conversation(rounds, "north", organisers=["org"])
    async with served(rounds) as url:
        async with browser() as http:
            real = (await _sign_in(http, await dashboard_link(chat, "org"))).cookies[COOKIE].value
        sid, _, mac = real.rpartition(".")
        for forged in (f"{sid}.{'0' * len(mac)}", f"{sid}x.{mac}", sid, "", "a.b"):
            async with browser(cookies={COOKIE: forged}) as http:
                got = await http.get(f"{url}{seeded.base}/accountability.csv")
                assert got.status == 401, forged


async def test_only_organisers_get_a_link(rounds: Rounds, clock: FakeClock) -> None:
    await seed(rounds, "north", 2, clock.now())
    chat = Conversation(rounds, "north", organisers=["org"])
    async with served(rounds):
        reply = await chat.fails("m0", "/dashboard")
        assert "for organisers" in reply.text and not reply.also


async def test_no_link_when_the_web_side_is_off(rounds: Rounds, clock: FakeClock) -> None:
    chat = Conversation(rounds, "north", organisers=["org"])
    reply = await chat.fails("org", "/dashboard")
    assert "not running" in reply.text


@pytest.mark.parametrize("suffix", ["accountability", "accountability.csv"])
async def test_a_session_never_opens_another_community(
    rounds: Rounds, clock: FakeClock, suffix: str
) -> None:
    north = await seed(rounds, "north", 2, clock.now())
    south = await seed(rounds, "south", 3, clock.now())
    chat = Conversation(rounds, "north", organisers=["org"])
    async with served(rounds) as url, browser() as http:
        await _sign_in(http, await dashboard_link(chat, "org"))
        assert (await http.get(f"{url}{north.base}/{suffix}")).status == 200
        assert (await http.get(f"{url}{south.base}/{suffix}")).status == 404
