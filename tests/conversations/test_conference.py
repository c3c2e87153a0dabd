"""/conference as members and organisers use it: dates as data with clear
refusals, the log-anyway offer outside a conference, targets becoming contacts,
leaving, the check-in suggestion, the organiser report, and lead times that
follow the content pack."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from bot.clock import FakeClock
from bot.content import load_content
from bot.core import Rounds
from bot.features.conference.tables import conference_attendees, conference_contacts, conferences
from bot.features.contacts.tables import contacts
from bot.scheduling.tables import jobs
from bot.storage.db import Database
from tests.conversation import Conversation, Talk

ADD = '/conference add "SIR 2027" 2027-02-06 2027-02-08 Chicago America/Chicago'
DAY1 = "2027-02-06T15:00:00+00:00"  # 09:00 in Chicago on the first day


@pytest.fixture
async def any_chat(talk: Talk, any_rounds: Rounds) -> Conversation:
    return await talk(any_rounds, community="demo", organisers={"olivia"})


async def _rows(rounds: Rounds) -> list[Any]:
    out: list[Any] = []
    async with rounds.db.connect() as conn:
        for table in (conferences, conference_attendees, conference_contacts, contacts, jobs):
            out += sorted(repr(tuple(r)) for r in await conn.execute(select(table)))
    return out


async def _live_jobs(rounds: Rounds, prefix: str) -> list[str]:
    async with rounds.db.connect() as conn:
        rows = await conn.execute(
            select(jobs.c.key).where(jobs.c.status == "pending", jobs.c.key.startswith(prefix))
        )
        return sorted(r[0] for r in rows)


async def test_bad_dates_and_names_are_refused_and_store_nothing(
    talk: Talk, any_chat: Conversation, any_rounds: Rounds
) -> None:
    chat = any_chat
    before = await _rows(any_rounds)
    cases = {
        '/conference add "SIR 2027" 2027-02-08 2027-02-06': "before the start",
        '/conference add "SIR 2026" 2026-12-01 2026-12-03': "ended on",
        '/conference add "SIR 2027" someday 2027-02-08': "couldn't find two dates",
        '/conference add "SIR 2027" 2027-02-30 2027-03-02': "not a real date",
        '/conference add "SIR 2027" 2027-02-06 2027-03-08': "at most 10",
        '/conference add "SIR 2027" 2027-02-06 2027-02-08 Chicago Mars/Olympus': "time zone",
        '/conference add "@@@" 2027-02-06 2027-02-08': "letters or digits",
    }
    for line, words in cases.items():
        assert words in (await chat.fails("olivia", line)).text, line
    choice = await chat.ok("olivia", '/conference add "SIR 2027" 04/02/2027 2027-02-08')
    assert "two ways" in choice.text and len(choice.buttons) == 2  # asks, stores nothing
    assert "for organisers" in (await chat.fails("alice", ADD)).text
    assert await _rows(any_rounds) == before

    made = await chat.ok("olivia", ADD)
    assert made.data["conference"]["timezone"] == "America/Chicago"
    again = await chat.fails("olivia", '/conference add "sir 2027" 2027-03-01 2027-03-02')
    assert "already has **SIR 2027**" in again.text
    # Another community may use the same name.
    other = await talk(any_rounds, community="other", organisers={"oscar"})
    await other.ok("oscar", ADD)
    async with any_rounds.db.connect() as conn:
        assert len((await conn.execute(select(conferences))).all()) == 2


async def test_dates_in_words_and_the_organisers_zone(chat: Conversation) -> None:
    await chat.ok("olivia", "/profile set timezone Europe/Berlin")
    made = await chat.ok(
        "olivia", '/conference add "ECIO 2027" "12 Apr 2027" "14 April 2027" Lisbon'
    )
    conf = made.data["conference"]
    assert (conf["start"], conf["end"], conf["timezone"]) == (
        "2027-04-12",
        "2027-04-14",
        "Europe/Berlin",
    )
    assert conf["city"] == "Lisbon"


async def test_met_outside_a_conference_offers_to_log_anyway(
    any_chat: Conversation, any_rounds: Rounds
) -> None:
    chat = any_chat
    await chat.ok("olivia", ADD)
    before = await _rows(any_rounds)
    # Not attending anything.
    refused = await chat.fails("alice", '/conference met "Dr Jane Lee" faculty great chat')
    assert "not attending" in refused.text
    (button,) = refused.buttons
    assert button.action == 'contact add name="Dr Jane Lee" notes="great chat"'
    # Attending, but before its dates.
    await chat.ok("alice", "/conference attend sir-2027")
    before = await _rows(any_rounds)
    early = await chat.fails("alice", '/conference met "Dr Jane Lee" faculty')
    assert "outside its dates" in early.text and early.buttons
    # Naming a conference she does not attend.
    await chat.ok("olivia", '/conference add "AUA 2027" 2027-01-04 2027-01-06 America/Chicago')
    before = await _rows(any_rounds)
    named = await chat.fails("alice", '/conference met "Dr Rao" peer at=aua-2027')
    assert "not attending AUA 2027" in named.text
    assert 'where="AUA 2027"' in named.buttons[0].action
    assert await _rows(any_rounds) == before
    # Pressing the button logs the contact, untagged, with the contact log's follow-up.
    logged = await chat.ok("alice", "/" + named.buttons[0].action)
    assert logged.data["contact"]["follow_up"] is not None
    async with any_rounds.db.connect() as conn:
        assert (await conn.execute(select(conference_contacts))).all() == []
    # A kind that is neither faculty nor peer is refused.
    await chat.at(DAY1)
    assert "faculty" in (await chat.fails("alice", '/conference met "Dr Lee" friend')).text


async def test_targets_become_contacts_and_are_marked_met(
    chat: Conversation, rounds: Rounds
) -> None:
    await chat.ok("olivia", ADD)
    assert "not attending" in (await chat.fails("alice", '/conference target add "Dr Lee"')).text
    await chat.ok("alice", "/conference attend sir-2027")
    await chat.ok(
        "alice",
        '/conference target add "Dr Jane Lee <@&123>" "IR attending" "Mass General" '
        'why="Y-90 dosimetry" find="Saturday session"',
    )
    twice = await chat.fails("alice", '/conference target add "dr jane lee <@&123>"')
    assert "already" in twice.text
    shown = await chat.ok("alice", "/contact show 1")
    assert "<@&123>" not in repr(shown.to_dict())  # mentions never ping
    assert shown.data["contact"]["nudges"] == {}  # no follow-up before meeting them
    await chat.at(DAY1)
    met = await chat.ok("alice", '/conference met "Dr Jane Lee <\u200b@&123>" faculty deep')
    assert met.data["met"]["target"] is True and met.data["met"]["contact"] == 1
    listed = await chat.ok("alice", "/conference targets")
    assert listed.data["targets"][0]["met"] is True
    assert "#9 is not one" in (await chat.fails("alice", "/conference met #9 faculty")).text


async def test_leaving_cancels_every_reminder(chat: Conversation, rounds: Rounds) -> None:
    await chat.ok("olivia", ADD)
    attended = await chat.ok("alice", "/conference attend SIR-2027")
    kinds = [s["kind"] for s in attended.data["attend"]["scheduled"]]
    assert kinds.count("conference.prep") == 4
    assert kinds.count("conference.morning") == kinds.count("conference.evening") == 3
    assert kinds.count("conference.after") == 1
    assert len(await _live_jobs(rounds, f"conf:1:{chat.id('alice')}:")) == 11
    assert "already" in (await chat.ok("alice", "/conference attend sir-2027")).text
    await chat.ok("alice", "/conference leave")
    assert await _live_jobs(rounds, f"conf:1:{chat.id('alice')}:") == []
    assert await chat.advance("40d") == []


async def test_checkin_form_suggests_post_conference_follow_ups(chat: Conversation) -> None:
    await chat.ok("olivia", ADD)
    await chat.ok("alice", "/group create crew")
    await chat.ok("bob", "/group join crew")
    await chat.ok("alice", "/conference attend sir-2027")
    form = await chat.ok("alice", "/checkin")
    assert form.data["checkin_form"]["suggested"] == []
    await chat.at(DAY1)
    for line in ('"Dr Lee" faculty', '"Dr Rao" fellow', '"Sam Ortiz" resident'):
        await chat.ok("alice", f"/conference met {line}")
    await chat.ok("alice", "/contact log 1 emailed thanks")
    form = await chat.ok("alice", "/checkin")
    assert form.data["checkin_form"]["suggested"] == ["Send 2 post-conference follow-ups"]
    assert form.form is not None
    assert {f.key: f.placeholder for f in form.form.fields}["next"] == (
        "Send 2 post-conference follow-ups"
    )
    assert "Suggested" in form.text
    # Bob met nobody: no suggestion for him.
    assert (await chat.ok("bob", "/checkin")).data["checkin_form"]["suggested"] == []


async def test_report_counts_without_notes(any_chat: Conversation) -> None:
    chat = any_chat
    await chat.ok("olivia", ADD)
    for member in ("alice", "bob"):
        await chat.ok(member, "/conference attend sir-2027")
    await chat.ok("alice", '/conference target add "Dr Omar Haddad"')
    await chat.at(DAY1)
    await chat.ok("alice", '/conference met "Dr Lee" faculty deep SECRET research idea')
    await chat.ok("alice", '/conference met "Sam Ortiz" peer')
    await chat.ok("bob", '/conference met "Dr Chen" faculty')
    await chat.ok("alice", "/contact log 2 emailed thank you")  # on time
    await chat.at("2027-02-20T15:00:00+00:00")
    await chat.ok("bob", "/contact log 4 emailed thanks, late")  # after the 5-day window
    assert "organisers" in (await chat.fails("alice", "/conference report sir-2027")).text
    report = await chat.ok("olivia", "/conference report sir-2027")
    data = report.data["conference_report"]
    assert data["attendees"] == ["alice", "bob"]
    assert data["per_attendee"]["alice"] | {} == {
        "met": 2,
        "faculty": 1,
        "peers": 1,
        "deep": 1,
        "targets": 1,
        "targets_met": 0,
        "due": 2,
        "on_time": 1,
    }
    assert (data["follow_ups_on_time"], data["follow_ups_due"]) == (1, 3)
    assert "SECRET" not in repr(report.to_dict())
    assert "1/3 (33%)" in report.text


def _copy_content(tmp_path: Path, edits: dict[str, dict[str, Any]]) -> Path:
    root = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content", root)
    for rel, changes in edits.items():
        path = root / "packs" / "ir" / rel
        data = yaml.safe_load(path.read_text())
        for dotted, value in changes.items():
            *parents, last = dotted.split(".")
            node = data
            for p in parents:
                node = node[p]
            node[last] = value
        path.write_text(yaml.safe_dump(data))
    return root


async def _plan(db: Database, root: Path | None) -> dict[str, Any]:
    content = load_content(root) if root else load_content()
    rounds = Rounds(db, content, clock=FakeClock(datetime(2027, 1, 4, 14, tzinfo=UTC)))
    chat = Conversation(rounds, community=f"c{id(content)}", organisers={"olivia"})
    await chat.ok("olivia", ADD)
    attended = await chat.ok("alice", "/conference attend sir-2027")
    letter = await chat.ok("alice", '/letters request "Dr Gomez" 2027-04-20')
    await chat.at(DAY1)
    met = await chat.ok("alice", '/conference met "Dr Lee" faculty')
    prompts = await chat.at("2027-02-07T13:30:00+00:00")
    return {
        "first_prep": attended.data["attend"]["scheduled"][0]["due"],
        "letter": letter.data["letter"]["reminders"],
        "follow_up": met.data["met"]["follow_up"],
        "goal": next(
            c["goal"]
            for p in prompts
            if (c := p["message"]["data"]["conference"])["kind"] == "morning"
        ),
    }


async def test_lead_times_and_counts_follow_the_pack(sqlite_db: Database, tmp_path: Path) -> None:
    default = await _plan(sqlite_db, None)
    changed = await _plan(
        sqlite_db,
        _copy_content(
            tmp_path,
            {
                "pack.yaml": {
                    "cadences.conference_prep_weeks": 2,
                    "cadences.letter_lead_weeks": 8,
                    "cadences.letter_gentle_check_weeks": 3,
                    "cadences.follow_up_after_meeting_days": {"min": 2, "max": 4},
                },
                "conference.yaml": {"daily.faculty": 4, "daily.peers": 3, "daily.deep": 2},
            },
        ),
    )
    assert default["first_prep"] == "2027-01-16T15:00:00+00:00"  # 3 weeks before, 09:00 Chicago
    assert changed["first_prep"] == "2027-01-23T15:00:00+00:00"  # 2 weeks before
    # Alice keeps the community's zone (UTC): letters and follow-ups come at 09:00 UTC.
    assert default["letter"]["ask"] == "2027-03-09T09:00:00+00:00"  # 6 weeks before
    assert changed["letter"]["ask"] == "2027-02-23T09:00:00+00:00"  # 8 weeks before
    assert default["letter"]["gentle"] == "2027-03-23T09:00:00+00:00"  # 4 weeks before
    assert changed["letter"]["gentle"] == "2027-03-30T09:00:00+00:00"  # 3 weeks before
    # Met on the first day of a meeting ending 8 Feb: counted from its last day.
    assert default["follow_up"] == "2027-02-11T09:00:00+00:00"  # 3 days after it ends
    assert changed["follow_up"] == "2027-02-10T09:00:00+00:00"  # 2 days after it ends
    assert default["goal"] == {"faculty": 3, "peers": 2, "deep": 1}
    assert changed["goal"] == {"faculty": 4, "peers": 3, "deep": 2}


async def test_list_today_and_a_conference_that_has_ended(chat: Conversation) -> None:
    await chat.ok("olivia", ADD)
    await chat.ok("alice", "/conference attend sir-2027")
    listed = await chat.ok("bob", "/conference list")
    assert [(c["name"], c["attendees"], c["mine"]) for c in listed.data["conferences"]] == [
        ("SIR 2027", 1, False)
    ]
    early = await chat.ok("alice", "/conference today")
    assert "not running today" in early.text
    await chat.at("2027-02-10T12:00:00+00:00")
    over = await chat.fails("bob", "/conference attend sir-2027")
    assert "ended on Mon 08 Feb 2027" in over.text
    assert (await chat.ok("bob", "/conference list")).data["conferences"] == []
    assert "no conference called" in (await chat.fails("bob", "/conference attend aua")).text


async def test_follow_ups_count_from_the_last_day_of_a_long_meeting(
    any_chat: Conversation,
) -> None:
    chat = any_chat
    five_days = '"AUA 2027" 2027-02-06 2027-02-10 Chicago America/Chicago'
    await chat.ok("olivia", f"/conference add {five_days}")
    await chat.ok("alice", "/profile set timezone Asia/Tokyo")
    await chat.ok("alice", "/conference attend aua-2027")
    await chat.at(DAY1)
    met = await chat.ok("alice", '/conference met "Dr Lee" faculty')
    # Five days in Chicago, ending Wed 10 Feb: the nudge comes 3 days after it ends,
    # at 09:00 in Alice's own zone (Tokyo), not on day 4 of the meeting.
    assert met.data["met"]["follow_up"] == "2027-02-13T00:00:00+00:00"
    assert "Sat 13 Feb" in met.text
    during = await chat.at("2027-02-10T23:00:00+00:00")
    assert [d for d in during if "nudge" in d["message"]["data"]] == []
    after = await chat.at("2027-02-13T00:00:00+00:00")
    nudge = next(d["message"] for d in after if "nudge" in d["message"]["data"])
    assert nudge["data"]["nudge"]["which"] == "follow-up"
    assert "Mon 15 Feb 2027" in nudge["text"]  # send it by 5 days after the meeting
    summary = next(
        d["message"]["data"]["conference"]
        for d in after + during
        if d["message"]["data"].get("conference", {}).get("kind") == "after"
    )
    assert summary["follow_ups"]["Dr Lee"]["by"] == "2027-02-15"
