"""Names with spaces typed without quotes in /conference met and target add: the
whole name is kept, a guessed split is shown before anything is stored."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.core import Rounds
from bot.features.contacts.tables import contacts
from tests.conversation import Conversation

ADD = '/conference add "SIR 2027" 2027-02-06 2027-02-08 Chicago America/Chicago'
DAY1 = "2027-02-06T15:00:00+00:00"  # 09:00 in Chicago on the first day


async def _attending(chat: Conversation) -> None:
    await chat.ok("olivia", ADD)
    await chat.ok("alice", "/conference attend sir-2027")


async def _shown(chat: Conversation, contact: int) -> dict[str, str]:
    """The contact as /contact show presents it: its data and its Notes field."""
    shown = await chat.ok("alice", f"/contact show {contact}")
    notes = next((f.value for f in shown.fields if f.name == "Notes"), "")
    return {**shown.data["contact"], "notes": notes}


async def _contacts(rounds: Rounds) -> int:
    async with rounds.db.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(contacts))).scalar_one())


async def test_met_reads_the_name_up_to_the_kind_word(chat: Conversation) -> None:
    await _attending(chat)
    await chat.at(DAY1)
    met = await chat.ok(
        "alice", "/conference met Dr Sam Lee faculty deep asked about the IR pathway"
    )
    assert (met.data["met"]["name"], met.data["met"]["kind"], met.data["met"]["deep"]) == (
        "Dr Sam Lee",
        "faculty",
        True,
    )
    shown = await _shown(chat, met.data["met"]["contact"])
    assert shown["name"] == "Dr Sam Lee" and "asked about the IR pathway" in shown["notes"]
    peer = await chat.ok("alice", "/conference met Priya Raman Kaur resident at=sir-2027")
    assert (peer.data["met"]["name"], peer.data["met"]["kind"]) == ("Priya Raman Kaur", "peer")
    assert peer.data["met"]["deep"] is False


async def test_met_without_a_kind_word_still_asks_for_one(
    chat: Conversation, rounds: Rounds
) -> None:
    await _attending(chat)
    await chat.at(DAY1)
    before = await _contacts(rounds)
    refused = await chat.fails("alice", "/conference met Dr Sam Lee great chat")
    assert "faculty" in refused.text and "peer" in refused.text
    assert await _contacts(rounds) == before


async def test_target_with_commas_or_a_plain_name_is_stored_whole(chat: Conversation) -> None:
    await _attending(chat)
    added = await chat.ok(
        "alice", "/conference target add Dr Jane Lee, IR attending, Mass General why=dosimetry"
    )
    assert added.data["target"]["name"] == "Dr Jane Lee"
    shown = await _shown(chat, 1)
    assert (shown["name"], shown["role"], shown["institution"]) == (
        "Dr Jane Lee",
        "IR attending",
        "Mass General",
    )
    assert "dosimetry" in shown["notes"]
    plain = await chat.ok("alice", "/conference target add Dr Omar Haddad")
    assert plain.data["target"]["name"] == "Dr Omar Haddad"
    await chat.at(DAY1)
    met = await chat.ok("alice", "/conference met Dr Jane Lee faculty")
    assert met.data["met"]["target"] is True and met.data["met"]["contact"] == 1


async def test_a_guessed_split_is_shown_and_nothing_is_stored_until_yes(
    chat: Conversation, rounds: Rounds
) -> None:
    await _attending(chat)
    before = await _contacts(rounds)
    asked = await chat.ok(
        "alice", "/conference target add Dr Omar Haddad IR fellow Emory University find=poster"
    )
    assert asked.data["target_check"] == {
        "name": "Dr Omar Haddad",
        "role": "IR fellow",
        "institution": "Emory University",
    }
    assert "Nothing is saved" in asked.text and await _contacts(rounds) == before
    (yes,) = asked.buttons
    added = await chat.ok("alice", "/" + yes.action)
    assert added.data["target"]["name"] == "Dr Omar Haddad"
    shown = await _shown(chat, added.data["target"]["id"])
    assert (shown["role"], shown["institution"]) == ("IR fellow", "Emory University")
    assert "poster" in shown["notes"]


async def test_a_conference_name_spaced_another_way_is_the_same_meeting(
    chat: Conversation,
) -> None:
    await chat.ok("olivia", ADD)
    again = await chat.fails("olivia", "/conference add SIR2027 2027-02-06 2027-02-08")
    assert "already has **SIR 2027**" in again.text
    joined = await chat.ok("alice", "/conference attend sir2027")
    assert joined.data["attend"]["conference"] == "SIR 2027"
    listed = (await chat.ok("alice", "/conference list")).data["conferences"]
    assert [c["name"] for c in listed] == ["SIR 2027"]
