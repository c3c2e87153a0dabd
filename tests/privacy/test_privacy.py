"""/privacy export and /privacy delete through the console: a member with data in
every feature exports it, deletes it, and nothing of theirs remains in any table,
while other members' data, and the same member name in another community, stay."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.privacy.rules import ERASED, RULES, Keep
from bot.scheduling.jobs import schedule
from bot.scheduling.tables import jobs
from bot.schema import metadata
from bot.storage.inbound import inbound_keys
from bot.storage.message_refs import MessageRef, remember
from bot.storage.tables import communities
from tests.conversation import Conversation, Talk

ME = "zed7"  # a member id no other text in these tests contains
MINE = (
    "Hi, I'm Zoe Quint, an MS4 at Emory. Before medical school I was a radiologic "
    "technologist, and I'm focused on limb salvage. Could I ask you for 15 minutes?"
)
BOBS = (
    "Hi, I'm Bo Ruiz, an MS3 at Drexel. I'm interested in IR and did a chart review "
    "of below-the-knee angioplasty. Could I ask you for 15 minutes of advice?"
)
RATE = "clarity=4 specificity=3 memorability=3 ask=4"
MENTOR = (
    "/mentor signup pack=ir kinds='research, career' focus=interventional-oncology "
    "stage=attending capacity=2"
)
ANA = "/mentor signup kinds=near-peer,career focus=venous-disease stage=pgy3 capacity=1"
AMIR = "/mentee signup kinds=research focus='Interventional oncology' stage=ms3 goal='an abstract'"
BEA = "/mentee signup kinds=near-peer focus=venous-disease stage=ms2 goal='plan away rotations'"


async def _everything(chat: Conversation) -> dict[str, Any]:
    """Data in every feature for ME and for others around them; returns ids."""
    await chat.ok(ME, "/profile set timezone Asia/Kolkata")
    await chat.ok("olivia", "/admin set review-channel reviews")
    await chat.ok("olivia", f"/admin organiser add @{ME}")
    # groups: ME starts a group, bob joins, both check in, ME skips next week
    await chat.ok(ME, "/group create crew")
    await chat.ok("bob", "/group join crew")
    await chat.ok("carol", "/group want")
    await chat.ok(ME, '/checkin win="A reply from the program" next="Email two programs"')
    await chat.ok("bob", '/checkin win="Finished a draft" next="Send the draft"')
    await chat.ok(ME, "/checkin skip 1 exam week")
    # pitches: each submits one and reviews the other's; ME revises theirs
    bob_pitch = (await chat.ok("bob", "/pitch-review submit " + BOBS)).data["submitted"]["id"]
    my_pitch = (await chat.ok(ME, "/pitch-review submit " + MINE)).data["submitted"]["id"]
    await chat.ok(ME, f'/pitch-review review {bob_pitch} {RATE} comment="Name the study"')
    await chat.ok("carol", f'/pitch-review review {bob_pitch} {RATE} comment="Good ask"')
    await chat.ok("bob", f'/pitch-review review {my_pitch} {RATE} comment="Clear"')
    await chat.ok(ME, f"/pitch-review revise {my_pitch} {MINE} I also speak Hindi.")
    # mentoring: ME opens a round as an organiser and mentors; bob asks never to meet ME
    await chat.ok(ME, "/mentor round open seed=42")
    await chat.ok(ME, MENTOR)
    await chat.ok(ME, "/mentor exclude @carol")
    await chat.ok("ana", ANA)
    await chat.ok("amir", AMIR)
    await chat.ok("bea", BEA)
    await chat.ok("bob", "/mentee signup kinds=career stage=ms3 goal='a mentor'")
    await chat.ok("bob", f"/mentee exclude @{ME}")
    await chat.ok(ME, "/mentor round close")
    published = await chat.ok(ME, "/mentor round publish")
    pairs = published.data["published"]["pairs"]
    mine = [p for p in pairs if p["mentor"] == ME]
    assert mine, pairs
    for p in pairs:
        await chat.ok(p["mentee"], f"/mentee accept {p['id']}")
        await chat.ok(p["mentor"], f"/mentor accept {p['id']}")
    # contact log, a conference (ME adds it and attends, with a target and a contact
    # met there) and a letter request: all of it ME's
    await chat.ok(ME, '/contact add "Dr Ada Okafor" fellow Emory "SIR booth" "talked Y-90"')
    await chat.ok(ME, "/contact log 1 emailed about a call")
    await chat.ok(ME, "/conference add SIR 2027-01-20 2027-01-24 Boston America/New_York")
    await chat.ok(ME, "/conference attend SIR")
    await chat.ok("bob", "/conference attend SIR")
    await chat.ok(ME, '/conference target add "Dr Lee" faculty Yale "TACE work" poster')
    await chat.ok(ME, "/letters request #1 2027-03-30 two programs")
    # a job of ME's own (a reminder) and a thread pointer for a post made for ME
    async with chat.rounds.db.begin() as conn:
        now = chat.rounds.clock.now()
        await schedule(
            conn,
            community_id=chat.community_id,
            kind="reminder",
            due_at=now + timedelta(days=3),
            now=now,
            member_id=chat.id(ME),
            payload={"text": "Email Dr Okafor"},
        )
        ref = MessageRef("D1", "m1")
        community, me = chat.community_id, chat.id(ME)
        await remember(conn, community, f"groups:report:2027-01-04:{me}", ref, now)
        await remember(conn, community, f"pitch:{my_pitch}:root", ref, now)
        await remember(conn, community, f"pitch:{bob_pitch}:root", ref, now)
    return {"my_pitch": my_pitch, "bob_pitch": bob_pitch, "my_pairs": mine}


async def _rows(chat: Conversation, community: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of the community, platform ids read back as the tests' names."""
    out: dict[str, list[dict[str, Any]]] = {}
    async with chat.rounds.db.connect() as conn:
        for table in metadata.sorted_tables:
            if table is inbound_keys:  # request hashes of no community (declared Unowned)
                continue
            col = table.c.id if table is communities else table.c.community_id
            rows = (await conn.execute(select(table).where(col == community))).all()
            out[table.name] = [dict(r._mapping) for r in rows]
    return dict(chat.back(out))


def _mentions(row: dict[str, Any], who: str, skip: set[str] = frozenset()) -> list[str]:
    """Columns of the row whose value is or contains `who` (JSON searched as text)."""
    found = []
    for key, value in row.items():
        if key in skip or value is None:
            continue
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        if who in text:
            found.append(key)
    return found


async def _delete(chat: Conversation, member: str) -> dict[str, Any]:
    asked = await chat.ok(member, "/privacy delete")
    (button,) = asked.buttons
    assert button.label == "Delete my data" and button.style == "danger"
    done = await chat.ok(member, "/" + button.action)
    erased: dict[str, Any] = done.data["erased"]
    return erased


async def test_export_holds_every_feature_and_comes_as_a_dm(chat: Conversation) -> None:
    made = await _everything(chat)
    response = await chat.ok(ME, "/privacy export")
    export = response.data["export"]
    tables = export["tables"]
    assert export["member"] == ME and export["community"] == chat.community_id
    assert {
        "profile",
        "group_membership",
        "peer_groups_created",
        "checkins",
        "checkin_skips",
        "pitches",
        "pitch_versions",
        "pitch_reviews_received",
        "pitch_reviews_written",
        "mentoring_signups",
        "mentoring_exclusions_made",
        "mentoring_rounds_opened",
        "mentoring_round_pools",
        "mentoring_pairs_as_mentor",
        "jobs",
    } <= set(tables)
    assert tables["profile"][0]["timezone"] == "Asia/Kolkata"
    assert tables["checkins"][0]["win"] == "A reply from the program"
    assert [v["number"] for v in tables["pitch_versions"]] == [1, 2]
    assert {r["pitch_id"] for r in tables["pitch_reviews_written"]} == {made["bob_pitch"]}
    received = tables["pitch_reviews_received"]
    assert [r["comment"] for r in received] == ["Clear"]
    assert "reviewer_id" not in received[0]  # who reviewed is the reviewer's, not ME's
    assert [e["excluded_id"] for e in tables["mentoring_exclusions_made"]] == ["carol"]
    assert {"text": "Email Dr Okafor"} in [j["payload"] for j in tables["jobs"]]
    assert [c["name"] for c in tables["contacts"]] == ["Dr Ada Okafor", "Dr Lee"]
    assert [x["deadline"] for x in tables["letters"]] == ["2027-03-30"]
    assert len(tables["conferences_attended"]) == 1
    # bob's request never to be matched with ME is bob's: not in ME's export
    assert "bob" not in json.dumps(tables["mentoring_exclusions_made"])
    # other members' rows are not in it
    assert all(r.get("member_id") in (None, ME) for rows in tables.values() for r in rows)

    (dm,) = response.also
    assert dm.to.member_id == ME and dm.to.community_id == chat.community_id
    assert dm.message.data["export"] == export
    # the DM is a summary naming the file; the JSON itself is the attached file
    assert len(dm.message.text) <= 3500
    assert "rounds-data.json" in dm.message.text and "checkins: 1" in dm.message.text
    assert dm.message.file is not None
    assert (dm.message.file.name, dm.message.file.media_type) == (
        "rounds-data.json",
        "application/json",
    )
    assert json.loads(dm.message.file.content) == export


def _read(path: str) -> bytes:
    return Path(path).read_bytes()


async def test_a_short_export_is_a_file_too_written_where_the_console_says(
    chat: Conversation,
) -> None:
    if chat.adapter != "console":
        pytest.skip(
            "the console's file path; Slack uploads and Discord attachments: tests/adapters"
        )
    await chat.ok("bob", "/profile set timezone Europe/Berlin")
    reply = await chat.ok("bob", "/privacy export")
    (dm,) = reply.also
    assert "rounds-data.json" in reply.text and "JSON file" in reply.text
    assert "file rounds-data.json" in dm.message.text
    # The console wrote the file and printed its path; the bytes on disk are bob's data.
    printed = chat.printed()[-1]["also"][0]["message"]["file"]
    assert printed["name"] == "rounds-data.json" and printed["size"] == len(dm.message.file.content)
    shown = json.loads(_read(printed["path"]))
    assert shown["member"] == "bob"
    assert shown["tables"]["profile"][0]["timezone"] == "Europe/Berlin"
    assert (await chat.ok("bob", "/privacy")).data["export"]["member"] == "bob"  # the default


async def test_delete_leaves_nothing_of_the_member_and_everything_of_others(
    talk: Talk, chat: Conversation
) -> None:
    made = await _everything(chat)
    other = await talk(chat.rounds, community="other", organisers={"olivia"})
    await other.ok(ME, "/profile set timezone Europe/Berlin")
    await other.ok(ME, "/group create crew")
    await other.ok(ME, '/checkin win="Other win" next="Other plan"')
    await other.ok(ME, MENTOR)
    other_before = await _rows(chat, other.community_id)
    before = await _rows(chat, chat.community_id)
    my_pair_ids = {p["id"] for p in made["my_pairs"]}
    mentees = {p["mentee"] for p in made["my_pairs"]}

    erased = await _delete(chat, ME)
    assert erased["profile"] == 1 and erased["checkins"] == 1 and erased["pitches"] == 1
    assert erased["pitch_reviews_written"] == 1 and erased["mentoring_pairs_as_mentor"] >= 1

    after = await _rows(chat, chat.community_id)
    kept = {(r.table.name, r.column) for r in RULES if isinstance(r, Keep)}
    # 1. nothing of ME anywhere, but in columns kept on purpose (bob's exclusion)
    for name, rows in after.items():
        for row in rows:
            found = [c for c in _mentions(row, ME) if (name, c) not in kept]
            assert not found, f"{name}.{found} still holds {ME}: {row}"
    assert [(r["member_id"], r["excluded_id"]) for r in after["mentoring_exclusions"]] == [
        ("bob", ME)
    ]
    # the kept rows of the community lost only ME's name
    (group,) = after["peer_groups"]
    assert group["name"] == "crew" and group["created_by"] == ERASED
    (rnd,) = after["mentoring_rounds"]
    assert rnd["opened_by"] == ERASED
    assert ME not in {s["member_id"] for s in rnd["pool"]} and len(rnd["pool"]) == 4
    # the reviews on ME's pitch went with it; the other pitch keeps its other reviews
    assert {r["pitch_id"] for r in after["pitch_reviews"]} == {made["bob_pitch"]}
    assert [r["reviewer_id"] for r in after["pitch_reviews"]] == ["carol"]
    assert {r["key"] for r in after["message_refs"]} == {f"pitch:{made['bob_pitch']}:root"}
    # the mentees ME was paired with: pairs gone, their follow-ups cancelled
    assert not my_pair_ids & {p["id"] for p in after["mentoring_pairs"]}
    followups = [j for j in after["jobs"] if j["payload"].get("pair_id") in my_pair_ids]
    assert followups and all(j["member_id"] in mentees for j in followups)
    assert {j["status"] for j in followups} == {"cancelled"}
    was = [j for j in before["jobs"] if j["payload"].get("pair_id") in my_pair_ids]
    assert "pending" in {j["status"] for j in was}  # (an answered pair's reminder was cancelled)

    # 2. everything else of others is as it was (but for the changes above)
    def others(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
        skip = {"updated_at", "status", "created_by", "opened_by", "pool"}
        gone = {("pitch_reviews", made["my_pitch"])}
        out = {}
        for name, table_rows in rows.items():
            out[name] = sorted(
                repr(sorted((k, v) for k, v in r.items() if k not in skip))
                for r in table_rows
                if not (_mentions(r, ME) or _mentions(r, ERASED))
                and (name, r.get("pitch_id")) not in gone
                and not (name == "jobs" and r["payload"].get("pair_id") in my_pair_ids)
                and not (name == "pitch_versions" and r["pitch_id"] == made["my_pitch"])
                # the refs of ME's pitch posts (its root, and each version in its thread)
                and not (
                    name == "message_refs" and r["key"].startswith(f"pitch:{made['my_pitch']}:")
                )
            )
        return out

    assert others(after) == others(before)
    assert len(after["members"]) == len(before["members"]) - 1
    # 3. the same member name in another community is untouched
    assert await _rows(chat, other.community_id) == other_before
    # and the member can start afresh
    fresh = await chat.ok(ME, "/privacy export")
    assert set(fresh.data["export"]["tables"]) == {"profile"}


async def test_someone_elses_or_a_stale_button_does_nothing(chat: Conversation) -> None:
    await chat.ok(ME, "/group create crew")
    await chat.ok("bob", "/group join crew")
    action = (await chat.ok(ME, "/privacy delete")).buttons[0].action
    before = await _rows(chat, chat.community_id)

    refused = await chat.fails("bob", "/" + action)  # bob presses ME's button
    assert "not made for you" in refused.text
    assert await chat.fails(ME, "/privacy confirm-delete nonsense")
    assert await chat.fails(ME, "/privacy confirm-delete ffffffff-0123")
    await chat.ok(ME, '/checkin win="More data" next="Later"')  # more than the question listed
    assert await chat.fails(ME, "/" + action)
    assert len((await _rows(chat, chat.community_id))["members"]) == len(before["members"])

    action = (await chat.ok(ME, "/privacy delete")).buttons[0].action
    await chat.advance("25h")
    assert "expired" in (await chat.fails(ME, "/" + action)).text
    action = (await chat.ok(ME, "/privacy delete")).buttons[0].action
    await chat.ok(ME, "/" + action)
    assert await chat.fails(ME, "/" + action)  # again, after the erase: a new profile
    async with chat.rounds.db.connect() as conn:
        rows = (await conn.execute(select(jobs).where(jobs.c.member_id == chat.id(ME)))).all()
    assert rows == []
    assert (await _rows(chat, chat.community_id))["peer_group_members"][0]["member_id"] == "bob"
