"""Time zones typed the way members type them, through each adapter and on both
databases: a city or a word is stored as its zone and the reply says which; an
offset or an ambiguous word stores nothing and names the zones it could mean."""

from __future__ import annotations

from bot.clock import FakeClock
from bot.content import Content
from bot.core import Rounds
from bot.storage.db import Database
from tests.conftest import Talk
from tests.conversation import Conversation


async def _zone(chat: Conversation, member: str) -> str:
    return str((await chat.ok(member, "/profile")).data["profile"]["timezone"])


async def test_city_stored_offset_and_ambiguous_refused(
    talk: Talk, any_db: Database, content: Content, clock: FakeClock
) -> None:
    chat = await talk(Rounds(any_db, content, clock=clock), "demo", {"olivia"})
    saved = await chat.ok("alice", "/profile set timezone Cairo")
    assert saved.text.startswith("Saved your time zone: Africa/Cairo (you typed Cairo). ")
    assert await _zone(chat, "alice") == "Africa/Cairo"
    offset = await chat.fails("alice", "/profile set timezone GMT+2")
    assert "UTC+2 is an offset" in offset.text and "Africa/Cairo" in offset.text
    assert "Etc/" not in offset.text
    asked = await chat.fails("alice", "/profile set timezone IST")
    assert "Asia/Kolkata (India)" in asked.text and "Asia/Jerusalem (Israel)" in asked.text
    assert await _zone(chat, "alice") == "Africa/Cairo"
    literal = await chat.ok("alice", "/profile set timezone america/new york")
    assert literal.text.startswith("Saved your time zone: America/New_York. ")
    await chat.ok("bob", "/profile set timezone Lahore")
    assert await _zone(chat, "bob") == "Asia/Karachi"


async def test_words_in_groups_conferences_and_settings(
    talk: Talk, any_db: Database, content: Content, clock: FakeClock
) -> None:
    chat = await talk(Rounds(any_db, content, clock=clock), "demo", {"olivia"})
    made = await chat.ok("alice", "/group create night-owls tue 18:30 EST")
    assert made.data["group"]["timezone"] == "America/New_York"
    assert "Time zone: America/New_York (you typed EST)." in made.text
    await chat.fails("alice", "/group set timezone UTC+5:30")
    moved = await chat.ok("alice", "/group set timezone Mumbai")
    assert moved.data["group"]["timezone"] == "Asia/Kolkata"
    conf = await chat.ok(
        "olivia", '/conference add "SIR 2027" 2027-03-06 2027-03-08 Boston Eastern'
    )
    assert (conf.data["conference"]["city"], conf.data["conference"]["timezone"]) == (
        "Boston",
        "America/New_York",
    )
    offset = '/conference add "AUA 2027" 2027-03-10 2027-03-12 Cairo GMT+2'
    assert "Africa/Cairo" in (await chat.fails("olivia", offset)).text
    await chat.ok("olivia", "/admin set timezone Abuja")
    assert (await chat.ok("olivia", "/admin show")).data["community"]["timezone"] == "Africa/Lagos"
    await chat.fails("olivia", "/admin set timezone Etc/GMT+2")
    assert (await chat.ok("olivia", "/admin show")).data["community"]["timezone"] == "Africa/Lagos"


async def test_the_profile_form_reads_a_city(chat: Conversation) -> None:
    saved = await chat.ok("alice", "/profile edit timezone=Karachi stage=ms4")
    assert "Time zone: Asia/Karachi (you typed Karachi)." in saved.text
    assert await _zone(chat, "alice") == "Asia/Karachi"
    await chat.fails("alice", "/profile save timezone=gmt-4")
    assert await _zone(chat, "alice") == "Asia/Karachi"
    button = await chat.ok("alice", "/profile zone Eastern")  # the welcome's Change time zone
    assert "America/New_York (you typed Eastern)" in button.text
    assert await _zone(chat, "alice") == "America/New_York"
