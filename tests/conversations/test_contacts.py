"""/contact as an applicant uses it: follow-ups after meeting someone, the
no-reply nudge that a reply cancels, the periodic update, cadences an organiser
can change, and bad input that changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.core import Rounds
from bot.features.contacts.tables import contact_events, contacts
from bot.scheduling.tables import jobs
from tests.conversation import Conversation, Talk

ADD = '/contact add "Dr Jane Lee" role="IR fellow" institution="Mass General" where="SIR 2027"'


@pytest.fixture
async def any_chat(talk: Talk, any_rounds: Rounds) -> Conversation:
    return await talk(any_rounds, community="demo", organisers={"olivia"})


def _titles(deliveries: list[dict[str, Any]]) -> list[str]:
    return [d["message"]["title"] for d in deliveries]


async def _rows(rounds: Rounds) -> list[Any]:
    out: list[Any] = []
    async with rounds.db.connect() as conn:
        for table in (contacts, contact_events, jobs):
            out += [tuple(r) for r in await conn.execute(select(table).order_by(table.c.id))]
    return out


async def test_met_at_an_event_schedules_the_follow_up(any_chat: Conversation) -> None:
    chat = any_chat
    await chat.ok("alice", "/profile set timezone America/Chicago")
    added = await chat.ok("alice", ADD)
    assert "within 3-5 days" in added.text
    follow = datetime.fromisoformat(added.data["contact"]["follow_up"])
    local = follow.astimezone(ZoneInfo("America/Chicago"))
    assert (local.date().isoformat(), local.hour) == ("2027-01-07", 9)  # 3 days on, 9am
    assert await chat.at((follow - timedelta(minutes=1)).isoformat()) == []
    got = await chat.at(follow.isoformat())
    assert _titles(got) == ["Follow up with Dr Jane Lee"]
    assert "by Sat 09 Jan 2027" in got[0]["message"]["text"]  # the 5-day deadline
    assert got[0]["message"]["buttons"][0]["action"] == "contact log 1 emailed"


async def test_emailed_sets_the_no_reply_nudge_and_a_reply_cancels_it(
    any_chat: Conversation,
) -> None:
    chat = any_chat
    cid = (await chat.ok("alice", ADD)).data["contact"]["id"]
    logged = await chat.ok("alice", f"/contact log {cid} emailed a thank-you and my CV")
    assert logged.data["logged"]["kind"] == "emailed"
    assert "dropped the follow-up nudge" in logged.text
    nudges = (await chat.ok("alice", f"/contact show {cid}")).data["contact"]["nudges"]
    assert set(nudges) == {"no-reply", "update"}
    assert nudges["no-reply"].startswith("2027-01-11T09:00")  # 7 days on, 9am local (UTC)
    await chat.ok("alice", f"/contact log {cid} she replied and offered a call")
    shown = (await chat.ok("alice", f"/contact show {cid}")).data["contact"]
    assert set(shown["nudges"]) == {"update"} and not shown["awaiting_reply"]
    assert await chat.advance("30d") == []


async def test_no_reply_nudge_then_one_follow_up_then_rest(any_chat: Conversation) -> None:
    chat = any_chat
    cid = (await chat.ok("alice", '/contact add "Dr Omar Haddad" role=PD')).data["contact"]["id"]
    await chat.ok("alice", f"/contact log {cid} emailed asking about an away rotation")
    got = await chat.advance("7d")
    assert _titles(got) == ["No reply from Dr Omar Haddad yet"]
    again = await chat.ok("alice", f"/contact log {cid} emailed a short polite follow-up")
    assert "let it rest" in again.text
    assert set((await chat.ok("alice", f"/contact show {cid}")).data["contact"]["nudges"]) == {
        "update"
    }
    assert await chat.advance("20d") == []


async def test_the_update_nudge_counts_from_the_last_contact(
    any_chat: Conversation,
) -> None:
    chat = any_chat
    cid = (await chat.ok("alice", '/contact add "Dr Ana Ruiz"')).data["contact"]["id"]
    assert await chat.advance("60d") == []
    await chat.ok("alice", f"/contact log {cid} met on zoom about her Y-90 study")
    got = await chat.advance("35d")  # 95 days after adding: the clock restarted at day 60
    assert "Time for an update to Dr Ana Ruiz" not in _titles(got)
    got = await chat.advance("55d")
    assert "Time for an update to Dr Ana Ruiz" in _titles(got)
    got = await chat.advance("90d")  # and again, while nothing is logged
    assert "Time for an update to Dr Ana Ruiz" in _titles(got)


async def test_update_nudges_only_for_mentors_and_people_who_replied_or_met(
    any_chat: Conversation,
) -> None:
    chat = any_chat
    mentor = await chat.ok("alice", '/contact add "Dr Ruth Park" role="IR attending, my mentor"')
    peer = await chat.ok("alice", '/contact add "Sam Ortiz" role="MS3 classmate" where="SIR 2027"')
    cold = await chat.ok("alice", '/contact add "Dr Omar Haddad" institution=Emory')
    nudges = {
        c: (await chat.ok("alice", f"/contact show {c}")).data["contact"]["nudges"]
        for c in (1, 2, 3)
    }
    # The mentor is kept updated from the start, on the pack's 90-day cadence; the
    # peer (met at SIR) gets a follow-up but no update nudge; the cold contact none yet.
    assert nudges[1] == {"update": "2027-04-04T09:00:00+00:00"}
    assert set(nudges[2]) == {"follow-up"} and set(nudges[3]) == set()
    assert "every 90 days" in mentor.text
    assert mentor.data["contact"]["update"] == nudges[1]["update"]
    assert peer.data["contact"]["update"] is None and "/contact updates 2 on" in peer.text
    assert cold.data["contact"]["update"] is None
    emailed = await chat.ok("alice", "/contact log 3 emailed asking about an away rotation")
    assert "update" not in emailed.text
    await chat.ok("alice", "/contact log 3 emailed one polite follow-up")
    got = await chat.advance("100d")
    assert "Time for an update to Dr Ruth Park" in _titles(got)
    # Nothing for the peer, nor for someone who never answered.
    assert "Time for an update to Sam Ortiz" not in _titles(got)
    assert "Time for an update to Dr Omar Haddad" not in _titles(got)
    # He replies: from then on, updates every 90 days.
    replied = await chat.ok("alice", "/contact log 3 he replied and offered a call")
    assert "every 90 days" in replied.text
    # Alice asks for updates to her classmate after all; a peer met at a
    # conference gets none either until she does.
    on = await chat.ok("alice", "/contact updates 2 on")
    assert on.data["updates"]["next"] is not None
    got = await chat.advance("91d")
    titles = _titles(got)
    assert "Time for an update to Dr Omar Haddad" in titles
    assert "Time for an update to Sam Ortiz" in titles
    off = await chat.ok("alice", "/contact updates 1 off")
    assert off.data["updates"]["next"] is None
    assert "Time for an update to Dr Ruth Park" not in _titles(await chat.advance("100d"))


async def test_a_peer_met_at_a_conference_gets_no_update_nudge(any_chat: Conversation) -> None:
    chat = any_chat
    await chat.ok(
        "olivia", '/conference add "SIR 2027" 2027-01-05 2027-01-07 Chicago America/Chicago'
    )
    await chat.ok("alice", "/conference attend sir-2027")
    await chat.advance("1d")
    await chat.ok("alice", '/conference met "Priya Nair" peer')
    await chat.ok("alice", '/conference met "Dr Lee" faculty')
    shown = {
        c: (await chat.ok("alice", f"/contact show {c}")).data["contact"]["nudges"] for c in (1, 2)
    }
    assert set(shown[1]) == {"follow-up"}  # the peer: a follow-up, no update nudge
    assert set(shown[2]) == {"follow-up", "update"}


async def test_list_next_and_remove(any_chat: Conversation) -> None:
    chat = any_chat
    jane = (await chat.ok("alice", ADD)).data["contact"]["id"]
    omar = (await chat.ok("alice", '/contact add "Dr Omar Haddad"')).data["contact"]["id"]
    await chat.ok("alice", f"/contact log {omar} emailed about research")
    listed = (await chat.ok("alice", "/contact list")).data["contacts"]
    assert [c["name"] for c in listed] == ["Dr Jane Lee", "Dr Omar Haddad"]
    nxt = (await chat.ok("alice", "/contact next")).data
    assert [(n["contact"], n["which"]) for n in nxt["next"]][:2] == [
        (jane, "follow-up"),
        (omar, "no-reply"),
    ]
    assert nxt["awaiting_reply"] == ["Dr Omar Haddad"]
    await chat.ok("alice", f"/contact remove {omar}")
    assert [n["contact"] for n in (await chat.ok("alice", "/contact next")).data["next"]] == [
        jane,
        jane,
    ]
    assert (await chat.ok("bob", "/contact list")).data["contacts"] == []


async def test_add_without_a_name_opens_a_form(chat: Conversation) -> None:
    shown = await chat.ok("alice", "/contact add")
    assert shown.form is not None and shown.form.submit == "contact add"
    assert len(shown.form.fields) <= 5 and len(shown.form.title) <= 24
    done = await chat.ok("alice", '/contact add name="Dr Kim" where="AUA 2027"')
    assert done.data["contact"]["follow_up"]


async def test_organisers_change_cadences_for_their_community(
    talk: Talk, any_chat: Conversation
) -> None:
    chat = any_chat
    await chat.fails("alice", "/admin cadence no-reply 3 5")
    await chat.ok("olivia", "/admin cadence no-reply 5 8")
    await chat.ok("olivia", "/admin cadence follow-up 2 4")
    shown = (await chat.ok("olivia", "/admin cadence")).data["cadences"]
    assert shown["no-reply"] == {"min": 5, "max": 8}
    assert shown["update"] == {"min": 90, "max": 120}  # the pack's default
    added = await chat.ok("alice", ADD)
    assert added.data["contact"]["follow_up"].startswith("2027-01-06T09:00")
    cid = added.data["contact"]["id"]
    await chat.ok("alice", f"/contact log {cid} emailed")
    nudges = (await chat.ok("alice", f"/contact show {cid}")).data["contact"]["nudges"]
    assert nudges["no-reply"].startswith("2027-01-09T09:00")
    await chat.ok("olivia", "/admin cadence no-reply default")
    assert (await chat.ok("olivia", "/admin cadence")).data["cadences"]["no-reply"] == {
        "min": 7,
        "max": 10,
    }
    other = await talk(chat.rounds, community="elsewhere", organisers={"zed"})
    assert (await other.ok("zed", "/admin cadence")).data["cadences"]["no-reply"]["min"] == 7


@pytest.mark.parametrize(
    "line, says",
    [
        ("/admin cadence no-reply 9 3", "smaller first"),
        ("/admin cadence no-reply 0", "from 1 to 365"),
        ("/admin cadence no-reply soon", "whole numbers"),
        ("/contact log 1 " + "y" * 5000, "limit is"),
        ("/contact log 99 emailed", "no contact #99"),
        ('/contact add "' + "z" * 300 + '"', "limit is"),
        ("/contact add Bob notes=<@U123> hi @everyone " + "n" * 1100, "limit is"),
    ],
)
async def test_bad_input_changes_nothing(
    any_chat: Conversation, any_rounds: Rounds, line: str, says: str
) -> None:
    await any_chat.ok("alice", ADD)
    before = await _rows(any_rounds)
    cadences = (await any_chat.ok("olivia", "/admin cadence")).data
    who = "olivia" if line.startswith("/admin") else "alice"
    bad = await any_chat.fails(who, line)
    assert says in bad.text, bad.text
    assert await _rows(any_rounds) == before
    assert (await any_chat.ok("olivia", "/admin cadence")).data == cadences


async def test_mentions_in_contact_text_never_ping(chat: Conversation) -> None:
    cid = (await chat.ok("alice", '/contact add "@everyone <@U123>"')).data["contact"]["id"]
    shown = await chat.ok("alice", f"/contact show {cid}")
    assert "@everyone" not in shown.title.replace("@\u200beveryone", "")  # type: ignore[union-attr]
    assert "<@U123>" not in repr(shown.to_dict())


async def test_someone_elses_contacts_are_out_of_reach(
    talk: Talk, any_chat: Conversation, any_rounds: Rounds
) -> None:
    chat = any_chat
    cid = (await chat.ok("alice", ADD)).data["contact"]["id"]
    other = await talk(any_rounds, community="bravo")
    before = await _rows(any_rounds)
    for who, conv in (("bob", chat), ("alice", other)):
        for line in (
            f"/contact show {cid}",
            f"/contact log {cid} emailed",
            f"/contact remove {cid}",
        ):
            bad = await conv.fails(who, line)
            assert f"no contact #{cid}" in bad.text
        assert "Jane" not in repr((await conv.ok(who, "/contact next")).to_dict())
    assert await _rows(any_rounds) == before
