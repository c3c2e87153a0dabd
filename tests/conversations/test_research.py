"""/research as an applicant uses it: projects that climb their stage ladder
with dated moves, one nudge when a project sits still, abstract-deadline
reminders from a pack meeting, good news drafted for mentors (never sent by the
bot), the summary against the field's benchmarks, an export as a CSV file,
counts for organisers, and bad input that stores nothing."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.content import Content
from bot.core import Rounds
from bot.features.contacts.tables import contact_events
from bot.features.research.content import AbstractDeadline, ResearchSection
from bot.features.research.tables import research_deadlines, research_moves, research_projects
from bot.scheduling.tables import jobs
from bot.storage.db import Database
from tests.conversation import Conversation, Talk

CASE = (
    '/research add case-report role=first venue=JVIR with="Dr Ana Rao, K. Osei" '
    "Y-90 dosimetry in a rare HCC"
)
POSTER = (
    "/research add abstract role=presenting venue=SIR Outcomes of splenic embolization in trauma"
)


@pytest.fixture
async def any_chat(talk: Talk, any_rounds: Rounds) -> Conversation:
    chat = await talk(any_rounds, community="demo", organisers={"olivia"})
    for member in ("alice", "bob", "carol"):  # platforms give members zones of their own
        await chat.ok(member, "/profile set timezone UTC")
    return chat


def _kinds(deliveries: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return [d["message"]["data"][key] for d in deliveries if key in d["message"]["data"]]


async def _rows(rounds: Rounds) -> list[Any]:
    out: list[Any] = []
    async with rounds.db.connect() as conn:
        for table in (research_projects, research_moves, research_deadlines, jobs):
            out += [tuple(r) for r in await conn.execute(select(table).order_by(table.c.id))]
    return out


async def test_a_project_climbs_its_ladder_with_dated_moves(any_chat: Conversation) -> None:
    chat = any_chat
    added = await chat.ok("alice", CASE)
    made = added.data["research_project"]
    assert (made["id"], made["kind"], made["stage"], made["role"]) == (
        1,
        "case-report",
        "idea",
        "first",
    )
    assert (made["venue"], made["venue_id"], made["related"]) == ("JVIR", "jvir", True)
    assert [c["name"] for c in made["collaborators"]] == ["Dr Ana Rao", "K. Osei"]
    assert "Target: JVIR." in added.text and "nudge you once" in added.text
    assert [b.action for b in added.buttons] == ["research move 1 ethics"]
    # One button press moves it on; each move is dated.
    await chat.ok("alice", "/research move 1 ethics")
    await chat.advance("3d")
    moved = await chat.ok("alice", "/research move 1")  # no stage: the next one
    assert moved.data["research_move"]["to"] == "data"
    assert "moved from Ethics/IRB to Data collection on Thu 07 Jan 2027" in moved.text
    await chat.advance("2d")
    await chat.ok("alice", "/research move 1 analysis")
    # A step back is allowed, dated, and says so; its note is kept.
    back = await chat.ok("alice", "/research move 1 data the ethics board asked for more cases")
    assert back.data["research_move"]["back"] is True
    assert "moved back from Analysis to Data collection" in back.text
    assert "A step back is part of research" in back.text
    shown = await chat.ok("alice", "/research show 1")
    moves = shown.data["research_project"]["moves"]
    assert [(m["from"], m["to"], m["at"][:10]) for m in moves] == [
        (None, "idea", "2027-01-04"),
        ("idea", "ethics", "2027-01-04"),
        ("ethics", "data", "2027-01-07"),
        ("data", "analysis", "2027-01-09"),
        ("analysis", "data", "2027-01-09"),
    ]
    assert moves[-1]["note"] == "the ethics board asked for more cases"
    # Options may follow the title too.
    late = await chat.ok(
        "alice", '/research add abstract Radiation dose in TIPS venue="SIR" stage=submitted'
    )
    assert (late.data["research_project"]["venue_id"], late.data["research_project"]["stage"]) == (
        "sir",
        "submitted",
    )
    listed = await chat.ok("alice", "/research list")
    assert listed.data["research"] == [
        {"id": 1, "kind": "case-report", "stage": "data"},
        {"id": 2, "kind": "abstract", "stage": "submitted"},
    ]
    assert "Radiation dose in TIPS" in listed.fields[1].name


async def test_a_still_project_gets_one_nudge_and_can_become_a_commitment(
    any_chat: Conversation,
) -> None:
    chat = any_chat
    await chat.ok("alice", "/group create crew")
    await chat.ok("alice", CASE)
    await chat.ok("alice", POSTER)
    await chat.advance("5d")
    await chat.ok("alice", "/research move 2 submitted")  # moved: its clock restarts
    got = await chat.at("2027-02-03T09:00:00+00:00")  # 30 days after the last move of #1
    (nudge,) = _kinds(got, "research_stall")
    assert nudge == {"project": 1, "stage": "idea"}
    (message,) = [d["message"] for d in got if "research_stall" in d["message"]["data"]]
    assert "at Idea since Mon 04 Jan 2027, 30 days now" in message["text"]
    actions = [b["action"] for b in message["buttons"]]
    assert actions == ["research move 1 ethics", "research show 1", "research commit 1"]
    # Once: nothing more while it stays still.
    assert _kinds(await chat.advance("40d"), "research_stall") == [
        {"project": 2, "stage": "submitted"}
    ]
    assert _kinds(await chat.advance("40d"), "research_stall") == []
    committed = await chat.ok("alice", "/research commit 1")
    assert "Move project #1 one step" in committed.text
    form = await chat.ok("alice", "/checkin")
    assert "Move project #1 one step" in form.data["checkin_form"]["suggested"]
    # Moving it ends the suggestion.
    await chat.ok("alice", "/research move 1")
    form = await chat.ok("alice", "/checkin")
    assert "Move project #1 one step" not in form.data["checkin_form"]["suggested"]


async def test_an_organiser_deadline_for_a_pack_meeting_reminds_those_aiming_there(
    any_chat: Conversation,
) -> None:
    chat = any_chat
    await chat.ok("alice", POSTER)
    await chat.ok("bob", "/research add abstract venue=RSNA Cone-beam CT in prostate embolization")
    added = await chat.ok("olivia", "/research deadline sir 2027-03-01 SIR 2027 abstracts")
    assert added.data["research_deadline"] == {"meeting": "sir", "day": "2027-03-01", "projects": 1}
    listed = await chat.ok("carol", "/research deadlines")
    assert listed.data["research_deadlines"] == [{"meeting": "sir", "day": "2027-03-01"}]
    # Projects added later get the reminders too.
    late = await chat.ok("carol", "/research add oral venue=sir Radiation dose in TIPS")
    assert "The SIR abstract deadline is Mon 01 Mar 2027" in late.text
    got = await chat.at("2027-02-01T09:00:00+00:00")  # 4 weeks before, 9:00 their time
    reminders = _kinds(got, "research_deadline")
    assert sorted((r["project"], r["days"]) for r in reminders) == [(1, 28), (3, 28)]
    assert {d["to"]["member"] for d in got if "research_deadline" in d["message"]["data"]} == {
        "alice",
        "carol",
    }
    # Alice submits: her remaining reminders stop; Carol's come 1 week and 2 days before.
    await chat.ok("alice", "/research move 1 submitted")
    week = _kinds(await chat.at("2027-02-22T09:00:00+00:00"), "research_deadline")
    assert [(r["project"], r["days"]) for r in week] == [(3, 7)]
    two = _kinds(await chat.at("2027-02-27T09:00:00+00:00"), "research_deadline")
    assert [(r["project"], r["days"]) for r in two] == [(3, 2)]
    # Organisers only, and only the pack's meetings.
    assert "for organisers" in (await chat.fails("bob", "/research deadline sir 2027-04-01")).text
    assert (
        "not one of this pack's meetings"
        in (await chat.fails("olivia", "/research deadline nowhere 2027-04-01")).text
    )


async def test_a_deadline_in_the_pack_sets_reminders(
    talk: Talk, any_db: Database, content: Content, clock: FakeClock
) -> None:
    ir = content.packs["ir"]
    sec = ir.section("research", ResearchSection)
    dated = sec.model_copy(
        update={"abstract_deadlines": [AbstractDeadline(meeting="sir", date=date(2027, 2, 12))]}
    )
    packs = {
        **content.packs,
        "ir": ir.model_copy(update={"sections": {**ir.sections, "research": dated}}),
    }
    chat = await talk(Rounds(any_db, Content(packs, content.messages), clock=clock))
    await chat.ok("alice", "/profile set timezone Asia/Kolkata")
    added = await chat.ok("alice", POSTER)
    assert added.data["research_project"]["deadlines"] == ["2027-02-12"]
    # 4 weeks and 1 week before, at 09:00 in Kolkata.
    early = await chat.at("2027-01-15T03:30:00+00:00")
    assert [r["days"] for r in _kinds(early, "research_deadline")] == [28]
    got = await chat.at("2027-02-05T03:30:00+00:00")
    assert [r["days"] for r in _kinds(got, "research_deadline")] == [7]
    (text,) = [d["message"]["text"] for d in got if "research_deadline" in d["message"]["data"]]
    assert "The SIR abstract deadline is Fri 12 Feb 2027, 7 days from now" in text


async def test_accepted_offers_a_draft_for_mentors_and_never_sends_it(
    any_chat: Conversation, any_rounds: Rounds
) -> None:
    chat = any_chat
    await chat.ok("alice", '/contact add "Dr Jane Lee" role="IR attending"')
    await chat.ok("alice", '/contact add "Sam Park" role="MS3 classmate"')
    await chat.ok("alice", POSTER)
    await chat.ok("alice", "/research move 1 submitted")
    await chat.advance("20d")
    accepted = await chat.ok("alice", "/research move 1 accepted")
    assert accepted.also == ()  # nothing goes to anyone
    move = accepted.data["research_move"]
    assert move["mentors"] == [1]  # the attending, not the classmate
    assert "has been accepted at SIR" in move["draft"] and "Dear [name]" in move["draft"]
    assert "Dr Jane Lee" in accepted.text and "I never send it for you" in accepted.text
    assert accepted.buttons[0].action == "research shared 1"
    shared = await chat.ok("alice", "/research shared 1")
    ((row),) = shared.data["research_shared"]
    assert row["contact"] == 1
    assert row["next_update"].startswith("2027-04-24")  # 90 days from today, not from the add
    async with any_rounds.db.connect() as conn:
        logged = (await conn.execute(select(contact_events.c.kind, contact_events.c.text))).all()
        (update_job,) = (
            await conn.execute(select(jobs.c.due_at).where(jobs.c.key == "contact:1:update"))
        ).all()
    assert [(k, t.startswith("Sent the update")) for k, t in logged] == [("emailed", True)]
    assert update_job.due_at.date() == date(2027, 4, 24)


async def test_summary_counts_against_the_benchmarks(any_chat: Conversation) -> None:
    chat = any_chat
    await chat.ok("alice", CASE.replace("add case-report", "add case-report stage=published"))
    await chat.ok(
        "alice", "/research add review role=co-first venue=CVIR stage=published Ablation review"
    )
    await chat.ok(
        "alice", '/research add qi venue="Hospital QI day" stage=accepted Fewer contrast doses'
    )
    await chat.ok("alice", "/research add retrospective venue=AJR stage=under-review TACE outcomes")
    await chat.ok("alice", "/research add education Teaching IR anatomy")
    summary = await chat.ok("alice", "/research summary")
    s = summary.data["research_summary"]
    assert (s["done"], s["related"], s["papers"], s["first_author_papers"]) == (3, 2, 2, 2)
    assert (s["under_review"], s["in_progress"]) == (1, 1)
    assert s["benchmarks"] == [
        {"id": "basic", "met": True},
        {"id": "strong", "met": False},
        {"id": "exceptional", "met": False},
    ]
    assert "of them 2 in IR or radiology" in summary.text
    assert "**Strong profile**: not yet (2 more finished item(s) to go)" in summary.text
    assert "Under review: 1 (not counted until accepted)" in summary.text


async def test_export_is_application_ready_text_and_a_csv_file(any_chat: Conversation) -> None:
    chat = any_chat
    await chat.ok("alice", CASE.replace("add case-report", "add case-report stage=published"))
    await chat.ok(
        "alice",
        '/research add retrospective role=second venue=AJR with="Dr Ana Rao, Lee M" '
        "stage=under-review TACE outcomes",
    )
    await chat.ok("alice", "/research add education Teaching IR anatomy")  # not submitted: left out
    reply = await chat.ok("alice", "/research export")
    assert reply.file is not None
    assert (reply.file.name, reply.file.media_type) == ("research-portfolio.csv", "text/csv")
    assert reply.file.content == (
        b"status,kind,citation,authors,title,venue,year,role,related\n"
        b'Published,Case report,"alice, Dr Ana Rao, K. Osei. Y-90 dosimetry in a rare HCC. '
        b'JVIR. 2027.","alice, Dr Ana Rao, K. Osei",Y-90 dosimetry in a rare HCC,JVIR,2027,'
        b"First author,yes\n"
        b'Under review,Retrospective study,"Dr Ana Rao, alice, Lee M. TACE outcomes. AJR. 2027. '
        b'[Under review]","Dr Ana Rao, alice, Lee M",TACE outcomes,AJR,2027,Second author,yes\n'
    )
    rows = list(csv.DictReader(io.StringIO(reply.file.content.decode())))
    assert [r["status"] for r in rows] == ["Published", "Under review"]
    assert (
        "**Under review**" in reply.text
        and "[Under review] Your position: Second author." in reply.text
    )


async def test_organisers_see_counts_never_titles(any_chat: Conversation) -> None:
    chat = any_chat
    await chat.ok("alice", CASE)
    await chat.ok("alice", "/research move 1")
    await chat.ok("bob", POSTER.replace("add abstract", "add abstract stage=accepted"))
    report = await chat.ok("olivia", "/research report")
    assert report.data["research_report"] == {
        "members": 2,
        "projects": 2,
        "moved": 1,
        "finished": 1,
    }
    assert "Y-90" not in report.text and "splenic" not in report.text
    assert "for organisers" in (await chat.fails("alice", "/research report")).text


async def test_bad_input_is_refused_and_stores_nothing(
    any_chat: Conversation, any_rounds: Rounds
) -> None:
    chat = any_chat
    await chat.ok("alice", CASE)
    before = await _rows(any_rounds)
    kind = await chat.fails("bob", "/research add poem A sonnet on stents")
    assert "'poem' is not a kind of project" in kind.text and "case-report" in kind.text
    stage = await chat.fails("bob", "/research add abstract stage=idea An abstract")
    assert "'idea' is not a stage of a abstract or poster" in stage.text
    assert "drafted → submitted → accepted → presented" in stage.text
    venue = "V" * 121
    long = await chat.fails("bob", f"/research add abstract venue={venue} Too far")
    assert "121 characters; the limit is 120" in long.text
    contact = await chat.fails("bob", '/research add abstract with="#9" Unknown contact')
    assert "no contact #9" in contact.text
    # Alice's project is not Bob's to move, show or remove.
    for line in (
        "/research move 1",
        "/research show 1",
        "/research remove 1",
        "/research commit 1",
    ):
        assert "You have no project #1" in (await chat.fails("bob", line)).text
    assert (
        "not a stage of a case report"
        in (await chat.fails("alice", "/research move 1 printed")).text
    )
    assert "at Idea already" in (await chat.fails("alice", "/research move 1 idea")).text
    assert "not a project number" in (await chat.fails("alice", "/research move one")).text
    assert await _rows(any_rounds) == before


async def test_privacy_export_and_delete_cover_research(any_chat: Conversation) -> None:
    chat = any_chat
    await chat.ok("alice", CASE)
    await chat.ok("alice", "/research move 1")
    await chat.ok("bob", POSTER)
    tables = (await chat.ok("alice", "/privacy export")).data["export"]["tables"]
    assert [p["title"] for p in tables["research_projects"]] == ["Y-90 dosimetry in a rare HCC"]
    assert [m["to_stage"] for m in tables["research_moves"]] == ["idea", "ethics"]
    asked = await chat.ok("alice", "/privacy delete")
    done = await chat.ok("alice", "/" + asked.buttons[0].action)
    assert done.data["erased"]["research_projects"] == 1
    async with chat.rounds.db.connect() as conn:
        left = (await conn.execute(select(research_moves.c.member_id))).scalars().all()
    assert left == [chat.id("bob")]  # alice's moves went with her projects
    assert (await chat.ok("alice", "/research list")).data["research"] == []
    assert [p["id"] for p in (await chat.ok("bob", "/research list")).data["research"]] == [2]
