"""Peer groups and check-ins as members use them, bad input included: nothing
is stored when an answer is refused."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.core import Rounds
from bot.features.groups.tables import checkins, peer_group_members, peer_groups
from bot.scheduling.tables import jobs
from tests.conversation import Conversation, Talk

NEXT = 'next="Email two IR faculty; Finish the abstract draft"'


async def _count(rounds: Rounds, table: Any, **where: Any) -> int:
    stmt = select(func.count()).select_from(table)
    for key, value in where.items():
        stmt = stmt.where(table.c[key] == value)
    async with rounds.db.connect() as conn:
        return int((await conn.execute(stmt)).scalar_one())


async def _crew(chat: Conversation, *names: str, group: str = "crew") -> None:
    await chat.ok(names[0], f"/group create {group}")
    for name in names[1:]:
        await chat.ok(name, f"/group join {group}")


def _events(deliveries: list[dict[str, Any]], kind: str) -> list[str]:
    return [
        d["to"]["member"] or "#" + d["to"]["channel"]
        for d in deliveries
        if d["message"]["data"].get("group_event", {}).get("kind") == kind
    ]


async def test_create_join_list_show_leave(chat: Conversation, rounds: Rounds) -> None:
    made = await chat.ok("alice", "/group create Tuesday-Crew tue 18:30 America/Chicago")
    assert (
        made.data["group"] | {"prompt": "Tue 18:30", "timezone": "America/Chicago"}
        == (made.data["group"])
    )
    assert "first member" in made.text
    joined = await chat.ok("bob", "/group join tuesday-crew")
    assert joined.data["group"]["size"] == 2
    listed = await chat.ok("carol", "/group list")
    assert [(g["name"], g["size"]) for g in listed.data["groups"]] == [("tuesday-crew", 2)]
    shown = await chat.ok("bob", "/group")
    assert shown.data["week"]["marks"] == {"alice": "open", "bob": "open"}
    assert (await chat.ok("carol", "/group show tuesday-crew")).data["group"]["size"] == 2
    await chat.ok("bob", "/group leave")
    assert (await chat.fails("bob", "/group leave")).text.startswith("You are not in a group")
    keys = {"group:1:prompt", "group:1:nudge", "group:1:digest", "groups:report"}
    async with rounds.db.connect() as conn:
        live = set(
            (await conn.execute(select(jobs.c.key).where(jobs.c.status == "pending"))).scalars()
        )
    assert live == keys
    closed = await chat.ok("alice", "/group leave")
    assert closed.data["closed"] is True
    async with rounds.db.connect() as conn:
        live = set(
            (await conn.execute(select(jobs.c.key).where(jobs.c.status == "pending"))).scalars()
        )
    assert live == {"groups:report"}
    assert await _count(rounds, peer_groups) == 0


async def test_group_names_are_unique_per_community_only(talk: Talk, rounds: Rounds) -> None:
    demo = await talk(rounds, community="demo")
    other = await talk(rounds, community="other")
    await demo.ok("alice", "/group create crew")
    taken = await demo.fails("bob", "/group create CREW")
    assert "already exists" in taken.text
    assert await _count(rounds, peer_groups) == 1
    assert await _count(rounds, peer_group_members, member_id="bob") == 0
    await other.ok("bob", "/group create crew")  # another community may use the name
    assert await _count(rounds, peer_groups) == 2
    assert "no group called" in (await other.fails("carol", "/group join nosuch")).text


async def test_bad_group_settings_change_nothing(chat: Conversation, rounds: Rounds) -> None:
    assert "can't be a group name" in (await chat.fails("alice", "/group create a")).text
    assert "can't be a group name" in (await chat.fails("alice", "/group create @everyone")).text
    assert "not a day" in (await chat.fails("alice", "/group create crew someday")).text
    assert "not a time" in (await chat.fails("alice", "/group create crew mon 25:00")).text
    assert "not a time" in (await chat.fails("alice", "/group create crew mon 13pm")).text
    bad_zone = await chat.fails("alice", "/group create crew mon 9am Mars/Olympus")
    assert "not a time zone" in bad_zone.text
    assert await _count(rounds, peer_groups) == 0
    assert await _count(rounds, jobs) == 0
    await chat.ok("alice", "/group create crew mon 9am Europe/Berlin")
    await chat.fails("alice", "/group set timezone Nowhere/Land")
    assert (await chat.ok("alice", "/group")).data["group"]["timezone"] == "Europe/Berlin"
    assert "Only the members" in (await chat.fails("bob", "/group set group=crew day fri")).text
    await chat.ok("olivia", "/group set group=crew day fri")
    assert (await chat.ok("alice", "/group")).data["group"]["prompt"] == "Fri 09:00"


async def test_joining_rules(chat: Conversation) -> None:
    await _crew(chat, "m1", "m2", "m3", "m4", "m5")
    full = await chat.fails("m6", "/group join crew")
    assert "is full" in full.text
    await chat.ok("m6", "/group create other")
    assert "Leave it first" in (await chat.fails("m6", "/group join crew")).text
    assert "already in **crew**" in (await chat.fails("m1", "/group join crew")).text


async def test_checkin_updates_never_duplicates(chat: Conversation, rounds: Rounds) -> None:
    await _crew(chat, "alice", "bob", "carol")
    first = await chat.ok("alice", f'/checkin win="A reply from Dr Lee" {NEXT}')
    assert first.data["checkin"]["revision"] == 1
    assert [p.to.channel_id or p.to.member_id for p in first.also] == ["bob", "carol"]
    second = await chat.ok("alice", '/checkin next="Only one thing this week"')
    assert second.data["checkin"]["revision"] == 2
    assert "Updated" in second.text
    assert await _count(rounds, checkins) == 1
    async with rounds.db.connect() as conn:
        row = (await conn.execute(select(checkins))).one()
    # Fields left out keep what the form showed: the earlier answers.
    assert row.commitments == ["Only one thing this week"] and row.win == "A reply from Dr Lee"
    # Reopening the form shows the saved answers to edit.
    form = (await chat.ok("alice", "/checkin")).form
    assert form is not None
    assert {f.key: f.default for f in form.fields}["next"] == "Only one thing this week"


async def test_checkin_for_a_group_you_are_not_in(chat: Conversation, rounds: Rounds) -> None:
    await _crew(chat, "alice", "bob", "carol")
    await _crew(chat, "dan", "erin", "fay", group="other")
    own = (await chat.ok("alice", "/checkin")).form
    assert own is not None
    week = own.submit.split("week=")[1]
    refused = await chat.fails("dan", f"/checkin save group=1 week={week} {NEXT}")
    assert "not in that group" in refused.text and "**other**" in refused.text
    outsider = await chat.fails("zed", f"/checkin save group=1 week={week} {NEXT}")
    assert "not in that group" in outsider.text
    assert "not in a group" in (await chat.fails("zed", "/checkin")).text
    await chat.ok("bob", "/group leave")
    assert "not in" in (await chat.fails("bob", f"/checkin save group=1 week={week} {NEXT}")).text
    assert await _count(rounds, checkins) == 0


async def test_over_long_and_malformed_answers_store_nothing(
    chat: Conversation, rounds: Rounds
) -> None:
    await _crew(chat, "alice", "bob", "carol")
    long_win = await chat.fails("alice", f'/checkin win="{"w" * 301}" {NEXT}')
    assert "limit is 300" in long_win.text
    long_item = await chat.fails("alice", f'/checkin next="{"x" * 151}"')
    assert "Commitment 1 is 151 characters" in long_item.text
    many = await chat.fails("alice", '/checkin next="a; b; c; d"')
    assert "at most 3" in many.text
    none = await chat.fails("alice", '/checkin win="ok" next=" ; "')
    assert "1 to 3 commitments" in none.text
    assert await _count(rounds, checkins) == 0
    # Statuses for last week's commitments must be ones the pack knows, one each.
    await chat.ok("alice", '/checkin next="One; Two; Three"')
    await chat.advance("14d")
    wrong = await chat.fails("alice", '/checkin last="done; maybe; done" next="Four"')
    assert "'maybe' (commitment 2) is not a status" in wrong.text
    short = await chat.fails("alice", '/checkin last="done; done" next="Four"')
    assert "one status for each of last week's 3" in short.text
    assert await _count(rounds, checkins) == 1
    ok = await chat.ok("alice", '/checkin last="yes; partial: half of it; no" next="Four"')
    statuses = [r["status"] for r in ok.data["checkin"]["review"]]
    assert statuses == ["done", "partly", "not-done"]


async def test_mentions_in_answers_never_ping(chat: Conversation) -> None:
    await _crew(chat, "alice", "bob", "carol")
    saved = await chat.ok("alice", '/checkin win="@everyone look" next="Ask <@&42> for help"')
    posted = saved.also[0].message.text
    assert "@everyone" not in posted and "<@&" not in posted
    assert "@\u200beveryone" in posted


async def test_a_form_from_a_closed_week_is_refused(chat: Conversation, rounds: Rounds) -> None:
    await _crew(chat, "alice", "bob", "carol")
    form = (await chat.ok("alice", "/checkin")).form
    assert form is not None
    await chat.advance("14d")
    stale = await chat.fails("alice", f"/{form.submit} {NEXT}")
    assert "which is over" in stale.text
    future = form.submit.replace("2027-01-11", "2027-03-01")
    assert "not a week" in (await chat.fails("alice", f"/{future} {NEXT}")).text
    assert await _count(rounds, checkins) == 0


async def test_skip_history_and_grace(chat: Conversation) -> None:
    await chat.ok("olivia", "/admin set groups-channel groups")
    await _crew(chat, "alice", "bob", "carol")
    await chat.at("2027-01-11T09:00+00:00")  # the first prompt
    await chat.ok("alice", f"/checkin {NEXT}")
    word_first = await chat.ok("bob", "/checkin skip holiday in Lagos")
    assert word_first.data["skip"]["weeks"] == ["2027-01-11"]
    assert "too many" not in word_first.text
    two = await chat.ok("alice", "/checkin skip 2 Step 2 CK")  # this week is answered
    assert two.data["skip"]["weeks"] == ["2027-01-18", "2027-01-25"]
    assert "1 to 4 weeks" in (await chat.fails("carol", "/checkin skip 9")).text
    assert "1 to 4 weeks" in (await chat.fails("carol", "/checkin skip 0")).text
    assert _events(await chat.at("2027-01-13T09:00+00:00"), "nudge") == ["carol"]
    delivered = await chat.at("2027-01-13T21:00+00:00")
    digest = next(
        d["message"]["data"]["group_event"]
        for d in delivered
        if d["message"]["data"].get("group_event", {}).get("kind") == "digest"
    )
    assert digest["skipped"] == ["bob"] and digest["missing"] == ["carol"]
    # Alice is away two weeks in a row: with a grace of one, her streak restarts.
    await chat.at("2027-02-01T10:00+00:00")
    await chat.ok("alice", '/checkin s1=done s2=done next="Back at it"')
    history = (await chat.ok("alice", "/checkin history")).data["history"]
    assert [w["mark"] for w in history["weeks"][:4]] == ["checked", "skipped", "skipped", "checked"]
    assert history["streak"] == 1
    bob = (await chat.ok("bob", "/checkin history")).data["history"]
    assert bob["weeks"][-1]["mark"] == "before"


async def test_without_a_channel_everything_goes_by_dm(chat: Conversation) -> None:
    await _crew(chat, "alice", "bob", "carol")
    prompt = await chat.at("2027-01-11T09:00+00:00")
    assert _events(prompt, "prompt") == ["alice", "bob", "carol"]
    await chat.ok("alice", f"/checkin {NEXT}")
    await chat.ok("bob", f"/checkin {NEXT}")
    await chat.ok("carol", f"/checkin {NEXT}")
    rest = await chat.advance("3d")
    assert _events(rest, "nudge") == []
    assert _events(rest, "digest") == ["alice", "bob", "carol"]


async def test_a_restart_keeps_the_weekly_cycle(
    talk: Talk, chat: Conversation, rounds: Rounds
) -> None:
    await _crew(chat, "alice", "bob", "carol")
    # A new process on the same database, clock and content: the jobs are in the database.
    after = await talk(Rounds(rounds.db, rounds.content, clock=rounds.clock), community="demo")
    prompt = await after.at("2027-01-11T09:00+00:00")
    assert _events(prompt, "prompt") == ["alice", "bob", "carol"]
    assert await chat.tick() == []


async def test_prompts_stay_at_local_time_across_dst(chat: Conversation) -> None:
    await chat.ok("olivia", "/admin set groups-channel groups")
    await chat.at("2027-03-02T12:00+00:00")
    await chat.ok("alice", "/group create crew mon 09:00 America/New_York")
    first = await chat.at("2027-03-08T14:00+00:00")  # 09:00 EST
    assert "#groups" in _events(first, "prompt")
    await chat.at("2027-03-14T12:00+00:00")  # the week's nudge and digest
    assert await chat.at("2027-03-15T12:59+00:00") == []
    second = await chat.at("2027-03-15T13:00+00:00")  # 09:00 EDT, an hour earlier in UTC
    assert "#groups" in _events(second, "prompt")


async def test_stats_and_organiser_report(chat: Conversation) -> None:
    await chat.ok("olivia", "/admin organiser add @olivia")
    await _crew(chat, "alice", "bob", "carol")
    await _crew(chat, "dan", "erin", "fay", group="quiet")
    assert "for organisers" in (await chat.fails("alice", "/group report")).text
    for week in ("2027-01-11", "2027-01-18"):
        await chat.at(f"{week}T09:30+00:00")
        await chat.ok(
            "alice",
            f"/checkin {NEXT}" if week == "2027-01-11" else "/checkin s1=done s2=done next=More",
        )
        await chat.ok(
            "bob", "/checkin next=One" if week == "2027-01-11" else "/checkin s1=partly next=Two"
        )
        await chat.ok(
            "dan", "/checkin next=One" if week == "2027-01-11" else "/checkin s1=done next=Two"
        )
    delivered = await chat.at("2027-01-21T12:00+00:00")
    report = next(d for d in delivered if "group_report" in d["message"]["data"])
    assert report["to"]["member"] == "olivia"
    data = report["message"]["data"]["group_report"]
    assert data["groups"]["crew"] | {"done": 2, "expected": 3} == data["groups"]["crew"]
    assert data["missed_two_weeks"] == {"crew": ["carol"], "quiet": ["erin", "fay"]}
    assert data["below_two_active"] == ["quiet"]
    stats = (await chat.ok("bob", "/group stats")).data["stats"]["members"]
    assert stats["alice"] == {"checked": 2, "expected": 2, "kept": [2, 2], "streak": 2}
    assert stats["bob"]["kept"] == [0, 1] and stats["carol"]["checked"] == 0
    assert (await chat.ok("olivia", "/group report")).data["group_report"] == data
